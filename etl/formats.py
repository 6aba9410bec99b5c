"""Text out of PDF and HTML documents, so a report can be added as it was published.

Pure functions over bytes. The text they return is what the extractor reads, so every
offset in the claims (`char_start`, `quote_start`) indexes it; `python -m etl.formats FILE`
prints it, to find a quote again. Layout becomes the plain-text layout the segmenter
knows: blank lines between paragraphs and pages, `#` before HTML headings, `- ` before
list items, ` | ` between table cells.
"""

from __future__ import annotations

import io
import logging
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

PDF_MAX_PAGES = 2000  # a report; more pages is a book or a trap, and each page costs time


class FormatError(ValueError):
    """The bytes are not a readable document of this format; the message says why in one sentence."""


# --- PDF -----------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, pages separated by a blank line."""
    from pypdf import PdfReader  # imported here: only runs that meet a PDF pay for it
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd files are not the user's
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")  # many "protected" reports only restrict printing
            except Exception as exc:
                raise FormatError("the PDF is encrypted with a password") from exc
        n_pages = len(reader.pages)
        if n_pages > PDF_MAX_PAGES:
            raise FormatError(f"the PDF has {n_pages:,} pages, over the {PDF_MAX_PAGES:,}-page limit")
        pages = _drop_running_lines([_clean_page(page.extract_text() or "") for page in reader.pages])
    except FormatError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            OSError, NotImplementedError) as exc:
        raise FormatError(f"the PDF cannot be read ({type(exc).__name__}: {str(exc)[:120]})") from exc
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise FormatError("the PDF has no text layer (a scan?): run OCR on it first, e.g. `ocrmypdf`")
    return text


PAGE_NUMBER = re.compile(r"(?:page\s+)?[-–—]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?", re.I)


def _drop_running_lines(pages: list[str]) -> list[str]:
    """Pages without their page numbers and running heads or feet: these are not the report's prose,
    and a page number glued to the next page's first sentence would end up in its quote."""
    edges = Counter()
    for page in pages:
        lines = page.split("\n")
        edges.update({lines[0].strip(), lines[-1].strip()} - {""})
    repeated = {line for line, n in edges.items() if len(pages) >= 3 and n >= max(3, len(pages) // 2)}
    cleaned = []
    for page in pages:
        lines = page.split("\n")
        for at in (0, -1):  # the first and the last line, twice: a head over a page number
            for _ in range(2):
                if lines and (PAGE_NUMBER.fullmatch(lines[at].strip()) or lines[at].strip() in repeated):
                    lines.pop(at)
        cleaned.append("\n".join(lines).strip())
    return cleaned


def _clean_page(text: str) -> str:
    # pypdf keeps the PDF's own line breaks; trailing spaces and NULs are noise.
    lines = [line.rstrip().replace("\x00", "") for line in text.splitlines()]
    return "\n".join(lines).strip()


# --- HTML ----------------------------------------------------------------------------------------

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "canvas",
                   "nav", "footer", "form", "button", "select"})
_BLOCK = frozenset({"p", "div", "section", "article", "main", "header", "aside", "blockquote", "pre", "figure",
                    "figcaption", "table", "ul", "ol", "dl", "dd", "dt", "address", "hr", "caption", "details",
                    "summary"})
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track",
                   "wbr", "param"})


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []  # open elements whose content is not text a reader sees

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _VOID:
            if tag == "br":
                self.parts.append("\n")
            elif tag == "hr":
                self.parts.append("\n\n")
            return
        if self.skipping or tag in _SKIP:
            self.skipping.append(tag)
            return
        if tag in _HEADINGS:
            self.parts.append("\n\n" + "#" * _HEADINGS[tag] + " ")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "tr":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag in self.skipping:  # close up to the matching tag: unclosed children do not leak
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag in _HEADINGS or tag in _BLOCK or tag == "table":
            self.parts.append("\n\n")
        elif tag in ("ul", "ol"):
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The text a reader sees on a web page: no scripts, styles or navigation; blocks as paragraphs."""
    parser = _TextParser()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser's rare hard failures on broken markup
        raise FormatError(f"the HTML cannot be parsed ({exc})") from exc
    text = "".join(parser.parts).replace("\xa0", " ")
    text = re.sub(r"[ \t\r\f\v]+", " ", text)  # HTML whitespace collapses; newlines carry the layout
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    text = "\n".join(_table_row(line) for line in text.split("\n"))
    if not text.strip():
        raise FormatError("the page has no visible text")
    return text.strip() + "\n"


def _table_row(line: str) -> str:
    # " | Kazakhstan | 92.3%" -> "| Kazakhstan | 92.3% |": the pipe-table shape the table reader knows.
    return f"{line.strip()} |" if line.startswith("| ") else line


def main(argv: list[str] | None = None) -> int:
    """Print the text the ETL reads from a PDF or HTML file (the text its offsets index)."""
    from etl.read import read_document

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m etl.formats FILE", file=sys.stderr)
        return 2
    document = read_document(Path(args[0]))
    if not hasattr(document, "text"):
        print(f"{document.name}: {document.reason}", file=sys.stderr)
        return 1
    sys.stdout.write(document.text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
