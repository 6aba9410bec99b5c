"""Reading stage: every kind of bad file becomes a Skipped with a reason; good text is decoded unchanged."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from etl import read
from etl.manifest import parse_manifest
from etl.read import Document, Skipped, read_document

CYRILLIC = (
    "Казахстан занял 28-е место из 193 стран в индексе развития электронного правительства ООН в 2022 году.\n"
    "Доля пользователей интернета достигла 92 процентов.\n"
)
ENGLISH = "Kazakhstan ranked 28th out of 193 countries.\r\nInternet use reached 92%.\r\n"


@pytest.mark.parametrize(
    ("name", "data", "text", "encoding"),
    [
        ("plain.txt", ENGLISH.encode(), ENGLISH, "utf-8"),
        ("bom.txt", codecs.BOM_UTF8 + ENGLISH.encode(), ENGLISH, "utf-8-sig"),
        ("wide.txt", ENGLISH.encode("utf-16"), ENGLISH, "utf-16"),
        ("wide-be.txt", codecs.BOM_UTF16_BE + ENGLISH.encode("utf-16-be"), ENGLISH, "utf-16"),
        ("cyrillic.txt", CYRILLIC.encode("cp1251"), CYRILLIC, "cp1251"),
        ("notes.md", b"# Title\n\n96% of schools\n", "# Title\n\n96% of schools\n", "utf-8"),
        ("UPPER.TXT", b"Upper-case suffix 5%", "Upper-case suffix 5%", "utf-8"),
        ("with spaces.txt", b"A name with spaces", "A name with spaces", "utf-8"),
        ("отчёт 2024.txt", "Отчёт".encode(), "Отчёт", "utf-8"),
    ],
)
def test_reads_text_unchanged(tmp_path: Path, name: str, data: bytes, text: str, encoding: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert read_document(path) == Document(name, text, encoding, len(data))


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n", "contains only whitespace"),
        ("nul.txt", b"PK\x03\x04\x00\x00binary", "looks binary (contains NUL bytes)"),
        ("controls.txt", bytes(range(1, 9)) * 50, "looks binary (mostly non-text"),
        ("noise.txt", bytes(range(128, 256)) * 20, "not valid text in any supported encoding"),
        ("badbom.txt", codecs.BOM_UTF8 + b"\xff\xfe", "starts with a UTF-8 byte-order mark but is not valid"),
        ("report.pdf", b"%PDF-1.7", "the PDF cannot be read"),
        ("renamed.pdf", b"Plain text, not a PDF.", "is named .pdf but is not a PDF"),
        ("empty.pdf", b"", "empty file"),
        ("page.html", b"<html><script>var x = 92;</script></html>", "the page has no visible text"),
        ("page.htm", b"<html></html>", "the page has no visible text"),
        ("letter.docx", b"PK", "Word is not read yet"),
        ("letter.rtf", b"{\\rtf1}", "RTF is not read yet"),
        ("data.csv", b"a,b", "not a .txt, .md, .pdf or .html document"),
        ("README", b"no suffix", "not a .txt, .md, .pdf or .html document"),
    ],
)
def test_skips_bad_files_with_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = read_document(path)
    assert isinstance(result, Skipped)
    assert result.name == name
    assert result.reason.startswith(reason)


def test_directory_named_like_a_document(tmp_path: Path) -> None:
    (tmp_path / "x.txt").mkdir()
    assert read_document(tmp_path / "x.txt") == Skipped("x.txt", "is a directory, not a file")


def test_oversized_file_names_size_and_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 1024 * 1024)
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (3 * 1024 * 1024))
    assert read_document(path) == Skipped("big.txt", "too large: 3.0 MB is over the 1.0 MB limit")


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (PermissionError(13, "Permission denied"), "cannot be read: permission denied"),
        (OSError(5, "Input/output error"), "cannot be read: Input/output error"),
    ],
)
def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError,
                         reason: str) -> None:
    # Tests may run as root, where chmod 000 does not stop reading; fail the read itself instead.
    path = tmp_path / "locked.txt"
    path.write_text("text")

    def refuse(_path: Path) -> bytes:
        raise error

    monkeypatch.setattr(read, "_read_bytes", refuse)
    assert read_document(path) == Skipped("locked.txt", reason)


def test_missing_file(tmp_path: Path) -> None:
    result = read_document(tmp_path / "gone.txt")
    assert isinstance(result, Skipped) and result.reason.startswith("cannot be read")


def test_list_inputs_sorted_without_manifest_or_hidden(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "manifest.csv", ".DS_Store", "c.pdf"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in read.list_inputs(tmp_path)] == ["a.md", "b.txt", "c.pdf"]


@pytest.mark.parametrize(
    ("csv_text", "expected_title", "expected_year", "warning"),
    [
        ("file,title,publisher,published,place,url\na.txt,T,P,2024-03-14,,\n", "T", 2024, None),
        ("file,title,publisher,published,place,url\na.txt,,P,2024-03,,\n", None, 2024, None),
        ("file,title,publisher,published,place,url\na.txt,T,P,March 2024,,\n", "T", None, "is not a date"),
        ("file,title\na.txt,T\n", "T", None, "no 'publisher' column"),
    ],
)
def test_parse_manifest(csv_text: str, expected_title: str | None, expected_year: int | None,
                        warning: str | None) -> None:
    rows, warnings = parse_manifest(csv_text)
    meta = rows["a.txt"]
    assert meta.title == expected_title
    assert (meta.published.year if meta.published else None) == expected_year
    assert any(warning in w for w in warnings) if warning else warnings == []


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        ("https://example.org/report.pdf", True),
        ("http://stat.gov.kz/a?b=1#c", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("", False),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(document.cookie)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("file:///etc/passwd", False),
        ("//example.org/no-scheme", False),
        ("example.org/report", False),
        ("https://", False),
        ("https://exa mple.org", False),
        ("http://[::1", False),
    ],
)
def test_manifest_keeps_only_http_links(cell: str, kept: bool) -> None:
    rows, warnings = parse_manifest(f"file,title,publisher,published,place,url\na.txt,T,P,2024,,{cell}\n")
    assert rows["a.txt"].url == (cell if kept else None)
    assert (warnings == []) == (kept or cell == "")


def test_manifest_without_file_column_is_ignored() -> None:
    rows, warnings = parse_manifest("name,title\na.txt,T\n")
    assert rows == {} and "no 'file' column" in warnings[0]
