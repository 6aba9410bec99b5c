"""The whole run on a folder of hostile documents: each bad one is named with its reason, the rest is processed.

tests/test_read.py covers each kind of file at the reading stage and tests/test_run.py a CLI run
where every file is bad; here good and bad files are mixed, so the run must go on past each
bad one, and the good ones (UTF-16, Windows-1251, odd names) must come out with correct offsets.
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl import paths, read, store
from etl.read import Document, read_document
from etl.run import main

ENGLISH = "Internet use in Kazakhstan reached 92% in 2023, and $1.2 billion was invested in 2022.\n"
RUSSIAN = "Доля пользователей интернета в Казахстане достигла 92% в 2023 году.\n" * 3
UZBEK = "Oʻzbekistonda internetdan foydalanish 83% ga yetdi (2023). Uzbekistan reached 83% in 2023.\n"
KAZAKH = "Қазақстанда әғқңөұүһі интернет қолданушылар үлесі 2023 жылы 92% болды.\n"

GOOD = {
    "plain.txt": ENGLISH.encode(),
    "crlf.txt": ENGLISH.replace("\n", "\r\n").encode() * 2,
    "bom.md": codecs.BOM_UTF8 + ("# Report\n\n" + ENGLISH).encode(),
    "wide le.txt": ENGLISH.encode("utf-16"),  # with BOM
    "wide-be.txt": codecs.BOM_UTF16_BE + ENGLISH.encode("utf-16-be"),
    "cyrillic-1251.txt": RUSSIAN.encode("cp1251"),
    "отчёт Қазақстан 2024.txt": (KAZAKH + ENGLISH).encode(),
    "oʻzbek gʻ sh ch.md": UZBEK.encode(),
    "name with  spaces & (brackets) [1].txt": ENGLISH.encode(),
    "=HYPERLINK(evil).txt": ENGLISH.encode(),
    "-rf --output.txt": ENGLISH.encode(),
}
BAD = {  # name -> (bytes, start of the reason the summary must give)
    "empty.txt": (b"", "empty file"),
    "blank.md": (b" \r\n\t\n", "contains only whitespace"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "looks binary"),
    "zip.md": (b"PK\x03\x04" + bytes(200), "looks binary"),
    "wide-no-bom.txt": (ENGLISH.encode("utf-16-le"), "looks binary (contains NUL bytes); if it is UTF-16"),
    "noise.txt": (bytes(range(128, 256)) * 30, "not valid text in any supported encoding"),
    "bad bom.txt": (codecs.BOM_UTF8 + b"ok \xff\xfe\xfd", "starts with a UTF-8 byte-order mark"),
    "scan.pdf": (b"%PDF-1.7\n", "the PDF cannot be read"),
    "Отчёт.docx": (b"PK\x03\x04", "Word is not read yet"),
}


def _run(raw: Path, out: Path, capsys: pytest.CaptureFixture, *extra: str) -> tuple[int, str, str]:
    code = main(["--input", str(raw), "--output", str(out), "--curations", str(raw.parent / "none.csv"),
                 "--workers", "1", *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _write(raw: Path, files: dict[str, bytes]) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (raw / name).write_bytes(data)


def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as handle:  # no disk blocks: the size limit is checked before reading
        handle.write(b"Internet use reached 92%.\n")
        handle.truncate(size)


def assert_offsets(raw: Path, out: Path) -> list[dict]:
    """Every claim's figure and quote sit at their offsets in the text as the run decoded it."""
    claims = store.read_tables(out)["claims"].to_pylist()
    texts: dict[str, str] = {}
    for row in claims:
        if row["doc"] not in texts:
            document = read_document(raw / row["doc"])
            assert isinstance(document, Document), document
            texts[row["doc"]] = document.text
        text = texts[row["doc"]]
        assert text[row["char_start"]:row["char_end"]] == row["as_written"], row
        assert text[row["quote_start"]:row["quote_start"] + len(row["quote"])] == row["quote"], row
    return claims


def test_bad_documents_are_named_and_the_rest_is_processed(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, GOOD)
    _write(raw, {name: data for name, (data, _) in BAD.items()})
    (raw / "folder.txt").mkdir()
    _sparse(raw / "huge.txt", read.MAX_BYTES + 10 * 1024 * 1024)  # the real limit, not a patched one
    code, stdout, stderr = _run(raw, out, capsys)
    assert code == 0, stderr
    assert "Traceback" not in stdout + stderr
    n_bad = len(BAD) + 2
    assert stdout.startswith(f"read {len(GOOD)} document(s), skipped {n_bad}\n"), stdout
    for name, (_, reason) in BAD.items():
        assert f"\n  skipped {name}: {reason}" in stdout, (name, stdout)
    assert "\n  skipped folder.txt: is a directory, not a file" in stdout
    limit_mb = read.MAX_BYTES / 1024 / 1024
    assert f"\n  skipped huge.txt: too large: {limit_mb + 10:.1f} MB is over the {limit_mb:.1f} MB limit" in stdout
    report = store.read_report(out)
    assert sorted(report["documents_read"]) == sorted(GOOD)
    assert {s["doc"] for s in report["documents_skipped"]} == {*BAD, "folder.txt", "huge.txt"}
    sources = store.read_tables(out)["sources"].to_pylist()
    assert sorted(s["doc"] for s in sources) == sorted(GOOD)  # names kept exactly, spaces and letters
    claims = assert_offsets(raw, out)
    by_doc = {}
    for row in claims:
        by_doc.setdefault(row["doc"], []).append(row)
    # Each decoding gives the same figures as the UTF-8 original.
    for name in ("wide le.txt", "wide-be.txt", "bom.md", "crlf.txt", "=HYPERLINK(evil).txt", "-rf --output.txt"):
        assert {r["as_written"] for r in by_doc.get(name, [])} == {r["as_written"] for r in by_doc["plain.txt"]}, name
    assert "92%" in {r["as_written"] for r in by_doc["cyrillic-1251.txt"]}
    assert all("Казахстане" in r["quote"] for r in by_doc["cyrillic-1251.txt"])


def test_gigantic_document_limit_is_clear(tmp_path: Path, capsys: pytest.CaptureFixture,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # With a small limit a real (non-sparse) file over it is skipped before being read, the rest goes on.
    monkeypatch.setattr(read, "MAX_BYTES", 64 * 1024)
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, {"small.txt": ENGLISH.encode(), "big.txt": ENGLISH.encode() * 2000})
    code, stdout, _ = _run(raw, out, capsys)
    assert code == 0
    size_mb = len(ENGLISH.encode()) * 2000 / 1024 / 1024
    assert f"skipped big.txt: too large: {size_mb:.1f} MB is over the 0.1 MB limit" in stdout
    assert store.read_report(out)["documents_read"] == ["small.txt"]


@pytest.mark.parametrize(
    ("name", "original", "cut"),
    [
        ("english-euro.txt", "Internet use in Kazakhstan reached 92% in 2023. Price: €", 2),  # 3-byte char, 1 left
        ("english-emoji.txt", "Internet use in Kazakhstan reached 92% in 2023. 🇰🇿", 1),
        ("english-kazakh.txt", "Internet use in Kazakhstan reached 92% in 2023. " * 40 + "Қ", 1),
    ],
)
def test_truncated_utf8_is_read_as_utf8_or_named(tmp_path: Path, capsys: pytest.CaptureFixture, name: str,
                                                 original: str, cut: int) -> None:
    # A download cut off mid-character: the text before the cut must not be garbled.
    raw, out = tmp_path / "raw", tmp_path / "out"
    _write(raw, {"plain.txt": ENGLISH.encode(), name: original.encode()[:-cut]})
    code, stdout, _ = _run(raw, out, capsys)
    assert code == 0
    result = read_document(raw / name)
    if isinstance(result, Document):
        kept = original.encode()[:-cut].decode("utf-8", errors="ignore")
        assert result.text.startswith(kept.rstrip()[:-1]), (result.encoding, result.text[-40:])
        assert_offsets(raw, out)
    else:
        assert f"skipped {name}: " in stdout


@pytest.mark.parametrize("text", [
    "Internet use in Kazakhstan reached 92% in 2023. Қазақстан",  # read as mac_latin2
    "Kazakhstan reached 92% in 2023. " * 5 + "Алматы қаласы",  # read as mac_iceland
])
def test_truncated_cyrillic_utf8_is_not_garbled(tmp_path: Path, text: str) -> None:
    path = tmp_path / "cut.txt"
    path.write_bytes(text.encode()[:-1])  # the last letter loses its second byte
    result = read_document(path)
    if isinstance(result, Document):
        assert result.text in (text[:-1], text[:-1] + "\ufffd"), (result.encoding, result.text[-30:])
    else:  # skipping it with a reason is honest too (the README allows it)
        assert "UTF-8" in result.reason


def test_cli_with_hostile_names_and_files(tmp_path: Path) -> None:
    # The real command line: file names with spaces, non-Latin letters and leading dashes are data, not options.
    raw = tmp_path / "raw"
    _write(raw, GOOD)
    _write(raw, {name: data for name, (data, _) in BAD.items()})
    env = {**os.environ, "PYTHONPATH": str(paths.REPO_ROOT), "CADI_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "etl", "--input", str(raw), "--output", str(tmp_path / "out"),
                           "--workers", "2"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert f"read {len(GOOD)} document(s), skipped {len(BAD)}" in done.stdout
    assert sorted(store.read_report(tmp_path / "out")["documents_read"]) == sorted(GOOD)
