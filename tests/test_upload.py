"""Uploads: type from content, size limit, safe names; hostile files refused before anything is written."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
import zlib
from pathlib import Path

import pytest

from cadi import upload
from etl import paths
from tests._pdf import make_pdf

GOOD_PDF = make_pdf([["Kazakhstan: internet penetration reached 92.9% in 2023."]])


def _pdf_with(catalog_extra: bytes) -> bytes:
    return GOOD_PDF.replace(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra
                            + b" >>")


def _pdf_with_compressed(payload: bytes) -> bytes:
    stream = zlib.compress(payload)
    return GOOD_PDF.replace(b"%%EOF", b"9 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length "
                            + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n%%EOF")


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("report.txt", "w") as member:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(64):  # 64 MB of zeros in a zip of about 64 KB
                member.write(zeros)
    return out.getvalue()


HOSTILE = [
    ("report.txt", 200 * 1024 * 1024, b"Kazakhstan 92.9%", "the limit is 20 MB"),
    ("report.txt", None, _zip_bomb(), "ZIP archive"),
    ("report.zip", None, _zip_bomb(), "ZIP archive"),
    ("page.html", None, gzip.compress(b"<html>" + b" " * 10_000_000), "gzip archive"),
    ("report.docx", None, _zip_bomb(), "ZIP archive"),
    ("report.pdf", None, _pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "JavaScript"),
    ("report.pdf", None, _pdf_with(b"/OpenAction << /S /J#61vaScript /JS (x) >>"), "JavaScript"),
    ("report.pdf", None, _pdf_with(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), "Launch"),
    ("report.pdf", None, _pdf_with(b"/Names << /EmbeddedFiles 9 0 R >>"), "EmbeddedFiles"),
    ("report.pdf", None, _pdf_with_compressed(b"<< /S /JavaScript /JS (app.alert(1)) >>"), "JavaScript"),
    ("page.html", None, b"<html><body><p>Internet use 92.9%</p><script>alert(1)</script></body></html>", "scripts"),
    ("page.html", None, b"<html><body onload='alert(1)'><p>92.9%</p></body></html>", "scripts"),
    ("page.html", None, b"<html><body><a href='javascript:alert(1)'>x</a> 92.9%</body></html>", "scripts"),
    ("page.html", None, b"<html><body><iframe src='https://x'></iframe>92.9%</body></html>", "scripts"),
    ("notes.txt", None, b"<p>Innocent <SCRIPT >alert(1)</script> 92.9%</p>", "scripts"),  # HTML named .txt
    ("../../etc/cron.d/evil.txt", None, b"Kazakhstan 92.9%", "folder or '..'"),
    ("..\\evil.txt", None, b"Kazakhstan 92.9%", "folder or '..'"),
    ("sub/evil.txt", None, b"Kazakhstan 92.9%", "folder or '..'"),
    ("data.txt", None, bytes(range(256)) * 40, "not readable text"),
    ("data.txt", None, b"\x7fELF\x02\x01\x01" + b"\0" * 100, "a program"),
    ("data.txt", None, b"MZ\x90\x00" + b"\0" * 100, "a program"),
    ("empty.txt", None, b"", "empty"),
]


@pytest.mark.parametrize(("name", "size", "data", "reason"), HOSTILE,
                         ids=[f"{i}-{h[0][:20]}-{h[3][:12]}" for i, h in enumerate(HOSTILE)])
def test_hostile_uploads_are_refused_and_nothing_is_written(tmp_path, monkeypatch, name, size, data, reason):
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    raw = paths.raw_dir()
    raw.mkdir(parents=True)
    (raw / "000_kept.txt").write_text("Kazakhstan 92.9%\n", encoding="utf-8")
    store = paths.processed_dir()
    store.mkdir(parents=True)
    (store / "marker").write_text("x", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(upload.Refused, match=reason):
        upload.receive(name, size if size is not None else len(data), data)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not paths.uploads_dir().exists()


@pytest.mark.parametrize(
    ("name", "data", "kind", "safe"),
    [
        ("report.pdf", GOOD_PDF, "pdf", "report.pdf"),
        ("scan.txt", GOOD_PDF, "pdf", "scan.pdf"),  # a PDF named .txt is a PDF
        ("page.html", b"<!DOCTYPE html><html><body><p>Internet use 92.9% in 2023.</p></body></html>", "html",
         "page.html"),
        ("notes.md", b"# Notes\n\nInternet use reached 92.9% in 2023.\n", "markdown", "notes.md"),
        ("notes.pdf", b"Internet use reached 92.9% in 2023.\n", "text", "notes.txt"),  # text named .pdf is text
        ("Отчёт 2024 (final).txt", ("В 2023 году доля пользователей интернета в Казахстане достигла 92,9%, "
                                    "сообщило министерство цифрового развития.").encode("cp1251"), "text",
         "Отчёт_2024_(final).txt"),
        ("<script>x.txt", b"plain 92.9%", "text", "script_x.txt"),
        (".hidden.txt", b"plain 92.9%", "text", "hidden.txt"),
        ("-rf.md", b"plain 92.9%", "markdown", "rf.md"),
        ("a.b.c.txt", b"plain 92.9%", "text", "a.b.c.txt"),
        ("no_suffix", b"plain 92.9%", "text", "no_suffix.txt"),
    ],
)
def test_accepted_uploads_get_their_kind_from_content_and_a_safe_name(name, data, kind, safe):
    accepted = upload.validate(name, len(data), data)
    assert (accepted.kind, accepted.name) == (kind, safe)
    assert "/" not in accepted.name and not accepted.name.startswith((".", "-"))


def test_a_sparse_200_mb_file_is_refused_by_its_size(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(200 * 1024 * 1024)
    with pytest.raises(upload.Refused, match="200 MB; the limit is 20 MB"):
        upload.validate(big.name, big.stat().st_size, b"head")


def test_an_upload_is_staged_read_and_added_only_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    paths.raw_dir().mkdir(parents=True)
    text = b"Connectivity note\n\nIn 2023, internet penetration in Kazakhstan reached 92.9%.\n"
    folder = upload.receive("note.txt", len(text), text)
    assert list(paths.raw_dir().iterdir()) == []  # not in the store yet
    claims = upload.staged_claims(folder)
    assert list(claims["as_written"]) == ["92.9%"]
    shown = upload.staged_text(folder)
    assert shown[claims["char_start"].iloc[0]:claims["char_end"].iloc[0]] == "92.9%"
    target = upload.add_to_raw(folder)
    assert target == paths.raw_dir() / "note.txt" and target.read_bytes() == text
    assert not folder.exists()
    again = upload.receive("note.txt", len(text), text)
    with pytest.raises(upload.Refused, match="already in the store"):
        upload.add_to_raw(again)
    assert [p.name for p in paths.raw_dir().iterdir()] == ["note.txt"]
    assert not [p for p in os.listdir(paths.raw_dir()) if p.endswith(".part")]
    assert Path(again).exists()
