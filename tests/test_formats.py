"""PDF and HTML documents: the text the extractor reads, and clear reasons when there is none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from etl.extract import extract_claims
from etl.formats import FormatError, html_text, pdf_text
from etl.read import Document, Skipped, read_document
from tests._pdf import make_pdf

REPORT_PAGES = [
    ["Digital Georgia 2024", "In 2023, 84.5% of Georgian households had internet access,",
     "up from 79.3% in 2021."],
    ["2", "The World Bank approved a $40 million loan to Georgia in 2024."],
]


def test_pdf_text_keeps_lines_and_separates_pages() -> None:
    text = pdf_text(make_pdf(REPORT_PAGES))
    # The page number "2" on a line of its own is left out.
    assert text == "\n".join(REPORT_PAGES[0]) + "\n\n" + "\n".join(REPORT_PAGES[1][1:])


def test_pdf_running_heads_and_page_numbers_are_dropped() -> None:
    head = "ADB Connectivity Review 2024"
    pages = [[head, f"Paragraph {word} says mobile coverage is high.", f"- {n} -"]
             for n, word in ((1, "one"), (2, "two"), (3, "three"))]
    pages.append([head, "iv", "Kyrgyzstan reached 79% in 2023.", "Page 4 of 4"])
    text = pdf_text(make_pdf(pages))
    assert head not in text and "- 1 -" not in text and "Page 4" not in text and "iv" not in text.split()
    assert text.split("\n\n") == ["Paragraph one says mobile coverage is high.",
                                   "Paragraph two says mobile coverage is high.",
                                   "Paragraph three says mobile coverage is high.", "Kyrgyzstan reached 79% in 2023."]


def test_a_line_on_two_pages_only_is_kept() -> None:
    pages = [["Summary", "Coverage is 97%."], ["Summary", "Prices fell 12%."]]
    assert pdf_text(make_pdf(pages)).count("Summary") == 2


def test_pdf_claims_quote_the_extracted_text(tmp_path: Path) -> None:
    path = tmp_path / "georgia.pdf"
    path.write_bytes(make_pdf(REPORT_PAGES))
    document = read_document(path)
    assert isinstance(document, Document) and document.encoding == "pdf text layer"
    claims = extract_claims(document.text, 2024)
    assert sorted((c.value, c.unit, c.country, c.year) for c in claims) == [
        (79.3, "percent", "GEO", 2021), (84.5, "percent", "GEO", 2023), (4e7, "USD", "GEO", 2024)]
    for c in claims:  # offsets index the text the reader returned
        assert document.text[c.char_start:c.char_end] == c.as_written
        assert document.text[c.quote_start:c.quote_start + len(c.quote)] == c.quote


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (make_pdf([[]]), "the PDF has no text layer (a scan?)"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "the PDF cannot be read"),
        (make_pdf(REPORT_PAGES)[:300], "the PDF cannot be read"),
    ],
)
def test_unreadable_pdfs_say_why(data: bytes, reason: str) -> None:
    with pytest.raises(FormatError, match=reason.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        pdf_text(data)


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        # Paragraphs become blocks; entities are decoded; inline tags vanish.
        ("<p>Internet use reached <b>92.3&nbsp;%</b> in 2023.</p><p>Prices fell.</p>",
         "Internet use reached 92.3 % in 2023.\n\nPrices fell.\n"),
        # Scripts, styles, navigation and the head are not text a reader sees.
        ("<html><head><title>T</title><style>p{width:100%}</style></head><body><nav>Home 1 2 3</nav>"
         "<script>var share = 45;</script><p>Coverage is 97%.</p><footer>© 2025</footer></body></html>",
         "Coverage is 97%.\n"),
        # Headings become Markdown headings, list items bullets, <br> a line break.
        ("<h2>Budget 2024</h2><ul><li>Planned: KZT 12 bn</li><li>Actual: KZT 9 bn</li></ul>"
         "<p>Line one<br>line two</p>",
         "## Budget 2024\n\n- Planned: KZT 12 bn\n- Actual: KZT 9 bn\n\nLine one\nline two\n"),
        # Tables become pipe rows.
        ("<table><tr><th>Country</th><th>Share</th></tr><tr><td>Kazakhstan</td><td>92.3%</td></tr></table>",
         "| Country | Share |\n| Kazakhstan | 92.3% |\n"),
        # Broken markup: an unclosed script hides only itself and what it swallows.
        ("<p>Before 12 km.</p><div>After <i>3 MW</div>", "Before 12 km.\n\nAfter 3 MW\n"),
    ],
)
def test_html_text(markup: str, expected: str) -> None:
    assert html_text(markup) == expected


def test_html_document_claims(tmp_path: Path) -> None:
    page = ("<!doctype html><html><head><meta charset='utf-8'><title>News</title></head><body>"
            "<h1>Uzbekistan’s digital push</h1><p>TASHKENT — Uzbekistan will invest $300 million in data "
            "centres by 2026, the ministry said.</p><script>track(1000)</script></body></html>")
    path = tmp_path / "news.html"
    path.write_text(page, encoding="utf-8")
    document = read_document(path)
    assert isinstance(document, Document) and document.encoding.startswith("html")
    claims = extract_claims(document.text, 2025)
    assert [(c.value, c.unit, c.country, c.category) for c in claims] == [(3e8, "USD", "UZB", "investment")]


def test_formats_cli_prints_the_text_offsets_index(tmp_path: Path) -> None:
    path = tmp_path / "georgia.pdf"
    path.write_bytes(make_pdf(REPORT_PAGES))
    done = subprocess.run([sys.executable, "-m", "etl.formats", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == pdf_text(path.read_bytes())
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    done = subprocess.run([sys.executable, "-m", "etl.formats", str(bad)], capture_output=True, text=True)
    assert done.returncode == 1 and "is named .pdf but is not a PDF" in done.stderr


def test_skipped_pdf_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([[]]))
    assert read_document(path) == Skipped("scan.pdf", "the PDF has no text layer (a scan?): run OCR on it first, "
                                                      "e.g. `ocrmypdf`")
