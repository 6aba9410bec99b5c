"""Adding a document from the app: what an upload must be, where it is staged, how it joins the raw folder.

An upload is checked before anything is written: a plain file name (no folder, no `..`), a size limit,
and a type read from its content, never from its name: a PDF (`%PDF-`) without JavaScript, launch
actions or embedded files; an HTML page without scripts, handlers or frames; or text (Markdown or plain)
in a supported encoding. Archives (ZIP, and Word files which are ZIPs; gzip, 7z...) are refused unread,
so a zip bomb is never opened. A refused upload leaves the store and the raw folder as they were.

An accepted file is staged in its own folder (`data/uploads/<token>/`), the ETL runs there, and the page
shows its claims in the document view; only "Add to the store" moves it into `data/raw/` (never over an
existing file) and rebuilds the store.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl import paths
from etl.read import decode_document, read_document

MAX_BYTES = 20 * 1024 * 1024
MAX_MB = MAX_BYTES // (1024 * 1024)
MAX_NAME = 100
SUFFIX = {"pdf": ".pdf", "html": ".html", "markdown": ".md", "text": ".txt"}
# Leading bytes of formats refused unread.
REFUSED_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (Word .docx and other office files are ZIPs too)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\xd0\xcf\x11\xe0", "an old Word or Excel file"),
    (b"MZ", "a program"),
    (b"\x7fELF", "a program"),
)
# PDF names that run code or carry files (names may be written with #xx escapes: decoded first).
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData)\b")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
MAX_INFLATE = 64 * 1024 * 1024  # inflated bytes read while looking for scripts: a bomb stops here
HTML_CUE = re.compile(r"<\s*(!doctype\s+html|html|head|body|p|div|table|h[1-6]|article|section)\b", re.IGNORECASE)
HTML_ACTIVE = re.compile(
    r"<\s*(script|iframe|object|embed|applet|frame|frameset|base|form)\b|\bon[a-z]+\s*=|javascript\s*:|"
    r"<\s*meta[^>]+http-equiv\s*=\s*[\"']?refresh",
    re.IGNORECASE,
)
NAME_OK = re.compile(r"[^\w.()\- ]+", re.UNICODE)


class Refused(ValueError):
    """An upload that is not accepted; `str(exc)` is the sentence the user sees."""


@dataclass(frozen=True)
class Accepted:
    name: str  # the safe file name it will have in data/raw/
    kind: str  # pdf, html, markdown or text
    data: bytes


def safe_name(name: str, kind: str) -> str:
    """A plain file name for an upload, its suffix from its content; Refused for a name with a path."""
    name = unicodedata.normalize("NFC", str(name or ""))
    if not name.strip():
        raise Refused("The file has no name.")
    if "/" in name or "\\" in name or ".." in name or "\x00" in name:
        raise Refused("The file name holds a folder or '..'; upload a file with a plain name.")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = NAME_OK.sub("_", stem).strip(" ._-")[:MAX_NAME] or "document"
    return stem.replace(" ", "_") + SUFFIX[kind]


def sniff(data: bytes, name: str) -> str:
    """The kind of a document from its bytes (pdf, html, markdown, text); Refused for anything else."""
    for magic, what in REFUSED_MAGIC:
        if data.startswith(magic):
            raise Refused(f"The file is {what}, whatever its name says; upload a PDF, HTML, TXT or MD file.")
    if data.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") >= 0:
        return "pdf"
    decoded = decode_document(name, data)
    if not hasattr(decoded, "text"):
        raise Refused(f"The file is not a PDF and not readable text ({decoded.reason}), whatever its name says.")
    if HTML_CUE.search(decoded.text[:8192]):
        return "html"
    return "markdown" if name.lower().endswith((".md", ".markdown")) else "text"


def _pdf_names(data: bytes) -> bytes:
    """The PDF's bytes and its inflated streams (bounded), with #xx escapes in names decoded."""
    parts, budget = [data], MAX_INFLATE
    for match in PDF_STREAM.finditer(data):
        if budget <= 0:
            break
        try:
            inflater = zlib.decompressobj()
            chunk = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        parts.append(chunk)
    joined = b"\n".join(parts)
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), joined)


def check_content(kind: str, data: bytes, name: str) -> None:
    """Refused when a PDF can run code or carry files, or an HTML page holds scripts."""
    if kind == "pdf":
        active = PDF_ACTIVE.search(_pdf_names(data))
        if active:
            raise Refused(f"The PDF holds {active.group(1).decode()} (scripts, actions or embedded files); "
                          "print it to a plain PDF and upload that.")
    elif kind == "html":
        text = decode_document(name, data).text
        active = HTML_ACTIVE.search(text)
        if active:
            raise Refused("The web page holds scripts or active content "
                          f"(“{active.group(0)[:30]}”); save it as text or as a PDF and upload that.")


def validate(name: str, size: int, data: bytes) -> Accepted:
    """Everything an upload must be, checked before anything is written; Refused with the reason."""
    if size > MAX_BYTES or len(data) > MAX_BYTES:
        raise Refused(f"The file is {size / 1024 / 1024:,.0f} MB; the limit is {MAX_MB} MB.")
    if not data:
        raise Refused("The file is empty.")
    safe_name(name, "text")  # a name with a folder is refused before its content is read
    kind = sniff(data, name)
    check_content(kind, data, name)
    return Accepted(safe_name(name, kind), kind, data)


# ---- staging and adding ---------------------------------------------------------------------------


def receive(name: str, size: int, data: bytes, root: Path | None = None) -> Path:
    """Check an upload and stage it (the ETL run on it alone); Refused before anything is written."""
    return stage(validate(name, size, data), root)


def stage(accepted: Accepted, root: Path | None = None) -> Path:
    """Write the upload to its own staging folder and run the ETL there; the staging folder."""
    root = root or paths.uploads_dir()
    folder = root / secrets.token_hex(8)
    (folder / "raw").mkdir(parents=True)
    (folder / "raw" / accepted.name).write_bytes(accepted.data)
    done = subprocess.run(
        [sys.executable, "-m", "etl", "--input", str(folder / "raw"), "--output", str(folder / "processed"),
         "--workers", "1", "--quiet"],
        capture_output=True, text=True, timeout=600, cwd=paths.REPO_ROOT,
        env={**os.environ, "CADI_HOME": str(folder)},
    )
    (folder / "etl_message.txt").write_text((done.stderr or done.stdout)[-2000:], encoding="utf-8")
    return folder


def staged_claims(folder: Path) -> pd.DataFrame:
    """The claims the ETL found in a staged upload (none when it found none or skipped the file)."""
    current = folder / "processed" / "current" / "claims.parquet"
    try:
        return pd.read_parquet(current)
    except (OSError, ValueError):
        return pd.DataFrame(columns=["doc", "char_start", "char_end", "indicator", "value", "unit", "comparator"])


def staged_report(folder: Path) -> str:
    """Why the ETL skipped a staged file, or ''."""
    report = folder / "processed" / "current" / "run_report.json"
    try:
        skipped = json.loads(report.read_text(encoding="utf-8")).get("skipped", [])
        return "; ".join(f"{s.get('doc')}: {s.get('reason')}" for s in skipped)
    except (OSError, ValueError, AttributeError):
        try:
            return (folder / "etl_message.txt").read_text(encoding="utf-8").strip()[-300:] or "no output"
        except OSError:
            return "no output"


def add_to_raw(folder: Path, raw: Path | None = None) -> Path:
    """Move the staged document into the raw folder (never over an existing file); its new path."""
    raw = raw or paths.raw_dir()
    staged = next((folder / "raw").iterdir())
    target = raw / staged.name
    raw.mkdir(parents=True, exist_ok=True)
    tmp = raw / f".{staged.name}.{secrets.token_hex(4)}.part"
    shutil.copyfile(staged, tmp)
    try:
        os.link(tmp, target)  # fails if the name is taken, even by a file added a moment ago
    except FileExistsError:
        raise Refused(f"A document named {staged.name} is already in the store; rename the file and upload "
                      "it again.") from None
    finally:
        tmp.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
    return target


def discard(folder: Path) -> None:
    """Forget a staged upload."""
    shutil.rmtree(folder, ignore_errors=True)


def staged_text(folder: Path) -> str | None:
    """The text the ETL read from a staged upload (what its offsets index), or None."""
    try:
        staged = next((folder / "raw").iterdir())
    except (OSError, StopIteration):
        return None
    document = read_document(staged)
    return getattr(document, "text", None)
