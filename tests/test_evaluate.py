"""The evaluation script runs and prints its figures; matching follows the documented rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from etl import evaluate, paths
from etl.claim import Claim


def test_script_prints_the_figures() -> None:
    done = subprocess.run([sys.executable, "-m", "etl.evaluate"], cwd=paths.REPO_ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    for words in ("precision", "recall", "F1", "year", "comparator", "Misses", "False positives"):
        assert words in done.stdout


EVAL_FILES = sorted((Path(__file__).parent.parent / "data" / "eval").glob("*.jsonl"))


# Copied as their blind writer wrote them (near misses sit inside texts that also hold claims).
VERBATIM_BLIND_SETS = {"holdout_ru1.jsonl", "holdout7.jsonl"}


@pytest.mark.parametrize("path", EVAL_FILES, ids=[p.name for p in EVAL_FILES])
def test_labelled_files_are_well_formed(path: Path) -> None:
    items = evaluate.load(path)
    assert 20 <= len(items) <= 100
    assert len({item.id for item in items}) == len(items)
    if path.name not in VERBATIM_BLIND_SETS:
        assert any(not item.claims for item in items), "near-misses with no claims belong in the set"
    for item in items:
        assert all(c.unit and c.country for c in item.claims), item.id


def test_default_file_is_the_team_set() -> None:
    assert evaluate.default_file().name == "labelled.jsonl" and evaluate.default_file() in EVAL_FILES


def test_missing_file_is_a_plain_sentence(tmp_path: Path, capsys) -> None:
    assert evaluate.main(["--file", str(tmp_path / "nope.jsonl")]) == 2
    assert "No labelled file" in capsys.readouterr().err


def _claim(value: float, unit: str, country: str, year: int | None, comparator: str = "=") -> Claim:
    return Claim(country=country, country_name=country, indicator="x", category="other", value=value,
                 as_written=str(value), unit=unit, year=year, year_basis=None, comparator=comparator,
                 rank_of=None, subject=None, quote="q", quote_start=0, char_start=0, char_end=1)


def test_matching_needs_value_unit_and_country(tmp_path: Path) -> None:
    gold = [{"value": 96, "unit": "percent", "country": "KAZ", "year": 2023, "comparator": "=",
             "category": "penetration"},
            {"value": 5e8, "unit": "USD", "country": "KAZ", "year": 2022, "comparator": ">",
             "category": "investment"}]
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "t", "reference_year": 2024, "claims": gold}) + "\n")

    def fake(text: str, year: int | None) -> list[Claim]:
        return [_claim(96.00000001, "percent", "KAZ", 2024), _claim(5e8, "USD", "UZB", 2022, ">"),
                _claim(7, "count", "KAZ", 2024)]

    report = evaluate.score(evaluate.load(path), fake)
    assert (report.full.tp, report.full.predicted, report.full.gold) == (1, 3, 2)
    assert report.value_unit.tp == 2
    assert report.agree["year"] == 0 and report.agree["comparator"] == 1
    assert [g.unit for _, g in report.misses] == ["USD"]
    assert sorted(c.unit for _, c in report.false_positives) == ["USD", "count"]


@pytest.mark.parametrize(
    ("gold", "predicted", "same"),
    [
        (66.67, 200 / 3, True),  # "two in three", written to two decimals
        (33.33, 100 / 3, True),
        (92.3, 92.3, True),
        (1.5e9, 1.5e9 * (1 + 1e-9), True),
        (66.67, 66.6, False),
        (33.33, 33.34, False),
        (50.0, 50.004, False),  # a whole gold value needs the exact figure
        (92.3, 92.34, False),
        (1.5e9, 1.6e9, False),
    ],
)
def test_same_value(gold: float, predicted: float, same: bool) -> None:
    assert evaluate.same_value(gold, predicted) is same


def test_realdocs_summary_runs_per_language(tmp_path: Path) -> None:
    """`make evaluate` reads a realdocs folder (docs/, gold.csv, manifest.csv) and scores each language."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "en_01_x.txt").write_text("Kazakhstan invested $5 million in 2021.", encoding="utf-8")
    (tmp_path / "docs" / "ru_01_x.txt").write_text("Пример без цифр.", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,title,publisher,published,place,url\n"
                                           "en_01_x.txt,t,p,2022-01-01,,\nru_01_x.txt,t,p,2022,,\n", encoding="utf-8")
    (tmp_path / "gold.csv").write_text(
        "doc,country,category,indicator,value,unit,year,year_basis,comparator,rank_of,quote\n"
        "en_01_x.txt,KAZ;WORLD,investment,x,5000000,USD,2021,stated,=,,q\n", encoding="utf-8")
    by_language = evaluate.load_realdocs(tmp_path)
    assert sorted(by_language) == ["en", "ru"]
    assert [g.country for g in by_language["en"][0].claims] == ["KAZ", "WLD"]
    assert by_language["en"][0].reference_year == 2022
    text = evaluate.summary(tmp_path)
    assert "realdocs en" in text and "realdocs ru" in text and "year" in text
    assert "No real documents" in evaluate.summary(tmp_path / "missing")


@pytest.mark.parametrize(
    ("gold_value", "predicted", "unsigned", "matched"),
    [
        (3.2, -3.2, True, 1),  # realdocs: labelled before changes were signed
        (3.2, -3.2, False, 0),  # our sets are signed: "fell 3.2%" must be -3.2
        (-3.2, 3.2, True, 0),  # a signed gold never matches an unsigned prediction
        (3.2, 3.2, True, 1),
        (3.2, -3.3, True, 0),
    ],
)
def test_signed_changes_against_unsigned_gold(gold_value: float, predicted: float, unsigned: bool,
                                              matched: int) -> None:
    gold = evaluate.Gold(gold_value, "percent", "KAZ", 2023, "=", "other")
    item = evaluate.Item("a", "t", 2024, (gold,), unsigned_changes=unsigned)
    report = evaluate.score([item], lambda text, year: [_claim(predicted, "percent", "KAZ", 2023)])
    assert report.full.tp == matched
