"""The Disagreements and Claims vs official pages, and the official overlay on Compare countries, under AppTest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import paths
from tests._app import APP

DOCS = {
    "a_ministry.txt": "Kazakhstan: progress report\n\nIn 2023, internet penetration in Kazakhstan reached 96%, "
                      "the ministry said.\n",
    "b_review.txt": "Connectivity review\n\nKazakhstan had an internet penetration of 92.9% in 2023, up from "
                    "92.3% in 2022.\n",
    "c_other.txt": "Uzbekistan notes\n\nIn 2023, internet penetration in Uzbekistan reached 89%.\n",
}
CHECK_PAGES = {"dis": "pages/7_Disagreements.py", "cvo": "pages/8_Claims_vs_official.py",
               "compare": "pages/2_Compare_countries.py", "review": "pages/9_Review.py",
               "profile": "pages/1_Country_profile.py"}


def build_store(home: Path, docs: dict[str, str]) -> None:
    raw = home / "data" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (raw / name).write_text(text, encoding="utf-8")
    env = {"CADI_HOME": str(home), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "etl", "--quiet", "--workers", "1"], check=True, env=env,
                   cwd=paths.REPO_ROOT)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CADI_DATA_DIR", raising=False)
    build_store(tmp_path, DOCS)
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    return tmp_path


def open_check_page(name: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(CHECK_PAGES[name]).run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, column: str):
    """The first table showing `column` (AppTest does not keep a dataframe's key)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def traces(at: AppTest) -> list[dict]:
    return [t for e in at.get("plotly_chart") for t in json.loads(e.proto.spec)["data"]]


def test_disagreements_lists_both_documents_with_quotes(store):
    at = open_check_page("dis")
    shown = table(at, "disagree")
    kaz = shown[shown["country"] == "Kazakhstan"]
    assert sorted(kaz["document"]) == ["a_ministry.txt", "b_review.txt"]
    assert set(kaz["disagree"]) == {"⚠ differ"}
    assert set(kaz["value"]) == {"96%", "92.9%"}
    assert kaz["quote"].str.contains("reached 96%").any()
    assert "Uzbekistan" not in set(shown["country"])  # one document only: nothing to disagree with


def test_claims_vs_official_flags_the_far_claim_only(store):
    at = open_check_page("cvo", country="KAZ")
    shown = table(at, "official series")
    by_claim = dict(zip(shown["claim"], shown["flag"], strict=True))
    assert by_claim["96%"] == "⚠ far"
    assert by_claim["92.9%"] == ""
    assert set(shown["official"]) >= {"92.9%"}
    sources = table(at, "licence")
    assert "CC BY 4.0" in set(sources["licence"])
    names = [t.get("name") for t in traces(at)]
    assert names[0] == "Kazakhstan: official"  # drawn first: behind the claims
    assert "sources disagree" in names


def test_compare_countries_draws_the_official_line_and_rings_the_disagreement(store):
    at = open_check_page("compare", indicator="internet_penetration_pct")
    names = [t.get("name") for t in traces(at)]
    assert "Kazakhstan: official" in names and "Uzbekistan: official" in names
    assert "sources disagree" in names
    ring = next(t for t in traces(at) if t.get("name") == "sources disagree")
    assert sorted(d[1] for d in ring["customdata"]) == ["a_ministry.txt", "b_review.txt"]


def test_ranks_in_context_gives_percentiles(tmp_path, monkeypatch):
    monkeypatch.delenv("CADI_DATA_DIR", raising=False)
    build_store(tmp_path, {"r.txt": "E-government\n\nKazakhstan ranked 28th out of 193 countries in the UN "
                                    "E-Government Development Index in 2022.\n"})
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    at = open_check_page("cvo", country="KAZ")
    ranks = table(at, "percentile")
    row = ranks.iloc[0]
    assert (row["rank"], row["of"], row["percentile"]) == (28, 193, round(165 / 192 * 100, 1))
    claims = table(at, "official series")
    assert list(claims["flag"]) == [""]  # the official 2022 rank is 28 too


def test_review_is_off_unless_turned_on(store, monkeypatch):
    monkeypatch.delenv("CADI_REVIEW", raising=False)
    at = open_check_page("review")
    assert any("Review is off" in i.value for i in at.info)
    assert not at.get("form") and not at.selectbox
    monkeypatch.setenv("CADI_REVIEW", "1")
    at = open_check_page("review", doc="b_review.txt")
    claim = at.selectbox(key="rv_claim")
    assert list(claim.options) == [
        "92.9% · Internet penetration · KAZ · 2023 · extracted",
        "92.3% · Internet penetration · KAZ · 2022 · extracted",
    ]
    assert at.get("form")


def test_country_profile_draws_the_official_line_behind_the_country_chart(store):
    at = open_check_page("profile", country="KAZ")
    names = [t.get("name") for t in traces(at)]
    assert "Kazakhstan: official" in names and "sources disagree" in names
    assert "Uzbekistan: official" not in names  # only the profile's country


HOSTILE = {
    "x_hostile.txt": "Hostile note\n\n<script>alert(1)</script> In 2023, internet penetration in Kazakhstan reached "
                     "99% <img src=x onerror=alert(1)> [link](javascript:alert(1)) **bold**.\n",
    "y_plain.txt": "Plain note\n\nIn 2023, internet penetration in Kazakhstan reached 90%.\n",
}


@pytest.mark.parametrize("name", ["dis", "cvo", "review"])
def test_markup_from_documents_is_never_rendered(tmp_path, monkeypatch, name):
    monkeypatch.delenv("CADI_DATA_DIR", raising=False)
    build_store(tmp_path, HOSTILE)
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    monkeypatch.setenv("CADI_REVIEW", "1")
    at = open_check_page(name, country="KAZ", doc="x_hostile.txt")
    rendered = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    rendered += [e.value for e in at.error] + [s.value for s in at.success]
    for text in rendered:
        assert "<script" not in text and "<img" not in text and "](javascript" not in text, text
    shown = "\n".join(df.value.to_csv() for df in at.dataframe) + "\n".join(t.value for t in at.text)
    assert "99%" in shown  # the hostile document's figure is there, as text

