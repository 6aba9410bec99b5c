"""Reading stage: one file in, its decoded text (a Document) or the reason it was skipped out.

The text is decoded only, never normalized: `\\r\\n` stays `\\r\\n`, so every offset
the extractor reports (`char_start`, `quote_start`, ...) indexes the exact string it
was given, counted in Python characters (code points). A UTF-8 BOM is removed
before that string is made, so offsets never count it.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from etl import formats, paths

MAX_BYTES = 50 * 1024 * 1024
DOCUMENT_SUFFIXES = (".txt", ".md", ".pdf", ".html", ".htm")
TEXT_SUFFIXES = (".txt", ".md")

# Formats people will try to add; each gets a sentence saying how to get a .txt instead.
_CONVERT = "{what} is not read yet: convert it to .txt (e.g. `{tool}`) and add it again"
_PANDOC = "pandoc file{suffix} -t plain -o file.txt"
UNSUPPORTED_FORMATS = {
    ".docx": _CONVERT.format(what="Word", tool=_PANDOC.format(suffix=".docx")),
    ".doc": _CONVERT.format(what="Word", tool="libreoffice --convert-to txt file.doc"),
    ".rtf": _CONVERT.format(what="RTF", tool=_PANDOC.format(suffix=".rtf")),
    ".odt": _CONVERT.format(what="OpenDocument text", tool=_PANDOC.format(suffix=".odt")),
    ".epub": _CONVERT.format(what="EPUB", tool=_PANDOC.format(suffix=".epub")),
    ".pptx": _CONVERT.format(what="PowerPoint", tool="libreoffice --convert-to txt file.pptx"),
    ".xlsx": "spreadsheets are not read: only reports (.txt, .md, .pdf, .html) are",
    ".xls": "spreadsheets are not read: only reports (.txt, .md, .pdf, .html) are",
}
NOT_A_DOCUMENT = "not a .txt, .md, .pdf or .html document"

# charset_normalizer's guess is used only when it is this sure (chaos: share of odd
# characters; coherence: how much the text looks like a known language).
MAX_CHAOS = 0.1
MIN_COHERENCE = 0.25
# Share of control characters above which decoded "text" is really binary.
MAX_CONTROL_SHARE = 0.05
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


@dataclass(frozen=True)
class Document:
    """A document's text exactly as decoded, with the encoding it was decoded from."""

    name: str
    text: str
    encoding: str
    size: int


@dataclass(frozen=True)
class Skipped:
    """A file that was not read, with a sentence saying why."""

    name: str
    reason: str


def list_inputs(input_dir: Path) -> list[Path]:
    """Every candidate file in `input_dir`, sorted by name; hidden files and the manifest left out."""
    return sorted(
        (p for p in input_dir.iterdir() if not p.name.startswith(".") and p.name != paths.MANIFEST_NAME),
        key=lambda p: p.name,
    )


def format_problem(path: Path) -> str | None:
    """Why a file's name says it is not a document the reader takes, or None for a document."""
    suffix = path.suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        return None
    return UNSUPPORTED_FORMATS.get(suffix, NOT_A_DOCUMENT)


def read_document(path: Path, max_bytes: int | None = None) -> Document | Skipped:
    """Read and decode `path`, or say in a Skipped why it cannot be used; never raises for a bad file."""
    name = path.name
    limit = MAX_BYTES if max_bytes is None else max_bytes
    problem = format_problem(path)
    if problem:
        return Skipped(name, problem)
    try:
        if path.is_dir():
            return Skipped(name, "is a directory, not a file")
        size = path.stat().st_size
        if size > limit:
            return Skipped(name, f"too large: {_megabytes(size)} is over the {_megabytes(limit)} limit")
        data = _read_bytes(path)
    except PermissionError:
        return Skipped(name, "cannot be read: permission denied")
    except OSError as exc:
        return Skipped(name, f"cannot be read: {exc.strerror or exc}")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_document(name, data)
    document = decode_document(name, data)
    if suffix in (".html", ".htm") and isinstance(document, Document):
        return html_document(document)
    return document


def pdf_document(name: str, data: bytes) -> Document | Skipped:
    """A PDF's text layer as a Document, or why it cannot be had (encrypted, a scan, broken)."""
    if not data:
        return Skipped(name, "empty file")
    if not data[:1024].lstrip().startswith(b"%PDF-"):  # the header, without copying a 50 MB file
        return Skipped(name, "is named .pdf but is not a PDF")
    try:
        text = formats.pdf_text(data)
    except formats.FormatError as exc:
        return Skipped(name, str(exc))
    return Document(name, text, "pdf text layer", len(data))


def html_document(decoded: Document) -> Document | Skipped:
    """The visible text of a decoded HTML page, or why there is none."""
    try:
        text = formats.html_text(decoded.text)
    except formats.FormatError as exc:
        return Skipped(decoded.name, str(exc))
    return Document(decoded.name, text, f"html ({decoded.encoding})", decoded.size)


def decode_document(name: str, data: bytes) -> Document | Skipped:
    """Decode the bytes of a document, or say why they are not usable text."""
    if not data:
        return Skipped(name, "empty file")
    decoded = decode(data)
    if isinstance(decoded, str):
        return Skipped(name, decoded)
    text, encoding = decoded
    if not text.strip():
        return Skipped(name, "contains only whitespace")
    if _control_share(text) > MAX_CONTROL_SHARE:
        return Skipped(name, "looks binary (mostly non-text characters)")
    return Document(name, text, encoding, len(data))


def decode(data: bytes) -> tuple[str, str] | str:
    """(text, encoding) for `data`, or a sentence saying why it is not text in a supported encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", "utf-8-sig")
    # UTF-32 BOMs start with the UTF-16 ones, so they are tested first.
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _strict(data, codec, codec)
    if b"\x00" in data:
        return "looks binary (contains NUL bytes); if it is UTF-16 text, save it as UTF-8 instead"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        # A file cut in the middle of its last multibyte character is still UTF-8: keep the text,
        # mark the lost character, rather than let a detector guess a wrong encoding for all of it.
        if exc.reason.startswith("unexpected end of data") and len(data) - exc.start < 4:
            return data[: exc.start].decode("utf-8") + "\ufffd", "utf-8 (truncated)"
    best = from_bytes(data).best()
    if best is None or best.chaos > MAX_CHAOS or best.coherence < MIN_COHERENCE:
        return "not valid text in any supported encoding (UTF-8, UTF-16, or a clearly detectable one)"
    return str(best), best.encoding


def _strict(data: bytes, codec: str, label: str) -> tuple[str, str] | str:
    # A BOM promises an encoding; bytes that break it are not guessed at.
    try:
        return data.decode(codec), label
    except UnicodeDecodeError:
        return f"starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()}"


def _read_bytes(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read()


def _control_share(text: str) -> float:
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch < " " and ch not in _ALLOWED_CONTROLS)
    return controls / len(sample)


def _megabytes(n_bytes: int) -> str:
    return f"{n_bytes / 1024 / 1024:.1f} MB"
