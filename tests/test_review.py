"""Review: entries in the keyed curations format, applied by the ETL; locked atomic writes; no markup."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from cadi import review
from etl import curate, paths

MTR = "002_232393ca2cf74d5c.txt"


@pytest.mark.parametrize(
    ("quote", "figure", "start", "expected"),
    [
        ("Kazakhstan's investment drove penetration to 96%;", "96%", None,
         "Kazakhstan's investment drove penetration to 96%;"),
        # The second occurrence, chosen by its offset.
        ("Up from 50% in 2019 to 70% in 2025, while rural areas stay at 50% of households.", "50%", 62,
         "in 2019 to 70% in 2025, while rural areas stay at 50% of households."),
        # A list item: the key stays on the figure's line.
        ("Targets:\n- broadband 85% by 2027\n- mobile 99%", "85%", None, "- broadband 85% by 2027"),
        ("no figure here", "12%", None, ""),
    ],
)
def test_key_piece(quote, figure, start, expected):
    piece = review.key_piece(quote, figure, start, 0 if start is not None else None)
    assert piece == expected
    assert piece in quote


def test_key_piece_of_a_long_sentence_is_cut_at_words():
    quote = "word " * 40 + "rose to 78% in 2023 " + "tail " * 40
    piece = review.key_piece(quote, "78%")
    assert "78%" in piece and piece in quote and len(piece) <= 3 + 2 * review.WINDOW
    assert not piece.startswith("ord") and piece.split()[0] == "word"


@pytest.mark.parametrize(
    ("action", "fields", "note", "problem"),
    [
        ("correct", {"value": 92.9}, "", "Write a note"),
        ("correct", {"value": 92.9}, "<script>alert(1)</script>", "plain text"),
        ("correct", {"value": 92.9}, "see <img src=x onerror=alert(1)>", "plain text"),
        ("correct", {"value": 92.9}, "javascript:alert(1)", "plain text"),
        ("correct", {"value": 92.9}, "a\x07bell", "plain text"),
        ("correct", {"subject": "<b>bold</b>"}, "ok", "plain text"),
        ("correct", {"unit": "per<100"}, "ok", "not a plain unit"),
        ("correct", {"unit": "=cmd|' /C calc'!A0"}, "ok", "not a plain unit"),
        ("correct", {"country": "XXX"}, "typo", "not an ISO alpha-3"),
        ("correct", {"year": "20x3"}, "typo", "not a whole number"),
        ("correct", {"indicator": "Internet Users"}, "typo", "snake_case"),
        ("correct", {"category": "misc"}, "typo", "not one of"),
        ("add", {"value": 5}, "missed", "add needs"),
        ("rewrite", {}, "x", "Unknown action"),
        ("correct", {"claim_type": "wish"}, "typo", "claim_type 'wish' is not one of"),
        ("correct", {"rating": 5}, "x", "cannot be set"),
    ],
)
def test_entries_that_are_refused(action, fields, note, problem):
    with pytest.raises(review.ReviewError, match=problem):
        review.entry(action, MTR, "96%", "penetration to 96%", fields, note)


@pytest.mark.parametrize(
    ("action", "fields", "note"),
    [
        ("correct", {"value": 92.9, "year": 2023}, "The official 2023 figure is 92.9; the report rounds up."),
        ("correct", {"country": "UZB", "unit": "per 100 people"}, "Uzbekistan's figure, per 100 people."),
        ("drop", {}, "A target, not a measured value: 5 < 6 is fine in a note."),
        ("correct", {"claim_type": "target"}, "The ministry's aim for 2025, not a measurement."),
        ("accept", {}, "Checked against the report."),
        ("add", {"country": "KAZ", "indicator": "internet_penetration_pct", "category": "penetration",
                 "value": 96, "unit": "percent"}, "missed"),
    ],
)
def test_entries_that_are_accepted(action, fields, note):
    row = review.entry(action, MTR, "96%", "penetration to 96%", fields, note)
    assert set(row) == set(curate.COLUMNS) and row["note"] == note.strip()
    assert action == "accept" or review.validate(row) == []  # an accept is logged, not a curation


def _etl(home: Path) -> pd.DataFrame:
    subprocess.run([sys.executable, "-m", "etl", "--quiet", "--workers", "1"], check=True, cwd=paths.REPO_ROOT,
                   env={**os.environ, "CADI_HOME": str(home)})
    return pd.read_parquet(home / "data" / "processed" / "current" / "claims.parquet")


def test_review_changes_survive_every_rerun(home):
    claims = _etl(home)
    kaz = claims[(claims["doc"] == MTR) & (claims["as_written"] == "96%")].iloc[0]
    piece = review.key_piece(kaz["quote"], kaz["as_written"], kaz["char_start"], kaz["quote_start"])
    review.save(review.entry("correct", MTR, "96%", piece, {"value": 92.9, "year": 2023}, "Official figure."))
    uzb = claims[(claims["doc"] == MTR) & (claims["as_written"] == "75%")].iloc[0]
    review.save(review.entry("drop", MTR, "75%", review.key_piece(uzb["quote"], "75%"), {}, "Coverage, not use."))
    review.save(review.entry("accept", MTR, "70%", "to 70% (2025)", {}, "Checked."))
    text = (paths.raw_dir() / MTR).read_text(encoding="utf-8")
    assert review.check_addition(text, "70%", "to 70% (2025)") is None
    assert "not in the document" in review.check_addition(text, "71%", "to 71% (2031)")
    for _ in range(2):  # the same result on every run
        after = _etl(home)
        fixed = after[(after["doc"] == MTR) & (after["as_written"] == "96%")]
        assert list(fixed["value"]) == [92.9] and list(fixed["year"]) == [2023]
        assert list(fixed["origin"]) == ["corrected"]
        assert uzb["claim_id"] not in set(after["claim_id"])  # the one dropped, not the other 75%
        assert len(after) == len(claims) - 1
    log = review.read_log()
    assert list(log["action"]) == ["accept", "drop", "correct"]  # newest first
    assert log["time"].str.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC").all()
    assert log.loc[2, "changes"] == "value=92.9; year=2023"


WRITER = textwrap.dedent("""
    import sys
    from cadi import review
    tag, n = sys.argv[1], int(sys.argv[2])
    for i in range(n):
        row = review.entry("drop", "doc.txt", f"{tag}-{i}%", f"piece {tag} {i}", {}, f"note {tag} {i}")
        review.save(row)
        print(i, flush=True)
""")


def _writer(home: Path, tag: str, n: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, tag, str(n)], cwd=paths.REPO_ROOT,
                            env={**os.environ, "CADI_HOME": str(home)}, stdout=subprocess.PIPE, text=True,
                            start_new_session=True)


def _entries(home: Path) -> pd.DataFrame:
    entries, problems = curate.load_curations(home / "data" / "curated" / "curations.csv")
    assert problems == []
    return entries


def test_two_reviewers_at_once_lose_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    (tmp_path / "data" / "curated").mkdir(parents=True)
    shutil.copy(paths.REPO_ROOT / "data" / "curated" / "curations.csv", paths.curated_file())
    before = _entries(tmp_path)
    writers = [_writer(tmp_path, tag, 40) for tag in ("ann", "bob", "cem")]
    for w in writers:
        w.communicate(timeout=300)
        assert w.returncode == 0
    after = _entries(tmp_path)
    assert len(after) == len(before) + 120
    pd.testing.assert_frame_equal(after.iloc[: len(before)].drop(columns="line"), before.drop(columns="line"))
    for tag in ("ann", "bob", "cem"):
        assert sorted(after[after["match"].str.startswith(f"{tag}-")]["match"]) == sorted(
            f"{tag}-{i}%" for i in range(40))
    assert len(review.read_log()) == 120


def test_a_review_write_killed_halfway_loses_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    (tmp_path / "data" / "curated").mkdir(parents=True)
    shutil.copy(paths.REPO_ROOT / "data" / "curated" / "curations.csv", paths.curated_file())
    before = len(_entries(tmp_path))
    confirmed = 0
    for round_ in range(8):
        writer = _writer(tmp_path, f"k{round_}", 10_000)
        done = 0
        deadline = time.monotonic() + 30
        while done < 3 + round_ and time.monotonic() < deadline:  # kill at a different point each round
            if writer.stdout.readline():
                done += 1
        time.sleep(0.003 * round_)
        os.killpg(writer.pid, signal.SIGKILL)
        writer.wait()
        entries = _entries(tmp_path)  # parses whole: no half-written row
        ours = entries[entries["match"].str.startswith(f"k{round_}-")]
        confirmed += done
        assert len(ours) >= done  # every save that returned is there
        assert list(ours["match"]) == [f"k{round_}-{i}%" for i in range(len(ours))]
        assert len(entries) >= before + confirmed
    leftovers = [p.name for p in paths.curated_file().parent.iterdir() if p.name.endswith(".tmp")]
    # A killed write may leave its temporary file; it is never read and the next save goes on.
    assert all(name.startswith(".curations.csv.") or name.startswith(".review_log.csv.") for name in leftovers)


def test_review_is_off_by_default(monkeypatch):
    monkeypatch.delenv(review.ENV_SETTING, raising=False)
    assert review.review_enabled() is False
    assert review.review_enabled({"review": True}) is True
    for value, expected in (("1", True), ("on", True), ("0", False), ("", False), ("maybe", False)):
        monkeypatch.setenv(review.ENV_SETTING, value)
        assert review.review_enabled({"review": True}) is expected
