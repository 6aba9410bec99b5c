"""Every page run headless with AppTest on the fixture store: no exception, what it shows, empty states."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests._app import PAGES, open_page
from tests.fixtures import write_fixture_docs, write_fixture_store

CHART_PAGES = ("overview", "profile", "compare", "rankings", "money")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CADI_HOME with the fixture documents, CADI_DATA_DIR with the fixture store."""
    write_fixture_store(tmp_path / "data" / "processed")
    write_fixture_docs(tmp_path / "data" / "raw")
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    monkeypatch.setenv("CADI_DATA_DIR", str(tmp_path / "data" / "processed"))
    return tmp_path


def specs(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def shown_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [json.dumps(s["data"]) for s in specs(at)]
    parts += [df.value.to_csv() for df in at.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize("name", list(PAGES))
def test_page_runs_and_shows_its_content(store, name):
    at = open_page(name)
    assert not at.exception, at.exception
    if name in CHART_PAGES:
        assert specs(at), f"{name}: no chart"
        assert all(t["type"] not in ("choropleth", "scattergeo") for s in specs(at) for t in s["data"])
    else:
        assert at.dataframe, f"{name}: no table"
    assert at.sidebar.multiselect(key="f_countries").value  # the shared filters are on every page


@pytest.mark.parametrize("name", list(PAGES))
def test_changing_countries_changes_what_is_shown(store, name):
    at = open_page(name)
    before = shown_text(at)
    at.sidebar.multiselect(key="f_countries").set_value(["KGZ", "TJK"]).run()
    assert not at.exception, at.exception
    after = shown_text(at)
    assert after != before
    if name in ("compare", "rankings"):
        names = {t.get("name") for s in specs(at) for t in s["data"]}
        assert "Tajikistan" in names and "Kazakhstan" not in names
    if name == "explorer":
        assert set(at.dataframe[0].value["country_name"]) == {"Kyrgyzstan", "Tajikistan"}


@pytest.mark.parametrize("name", list(PAGES))
def test_missing_store_says_how_to_build_it(tmp_path, monkeypatch, name):
    monkeypatch.setenv("CADI_DATA_DIR", str(tmp_path / "empty"))
    at = open_page(name)
    assert not at.exception, at.exception
    assert any("python -m etl" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_corrupt_store_says_how_to_rebuild(store):
    (store / "data" / "processed" / "claims.parquet").write_bytes(b"PAR1 this is not parquet")
    at = open_page("overview")
    assert not at.exception, at.exception
    assert any("python -m etl" in e.value and "claims.parquet" in e.value for e in at.error)


def test_empty_selection_asks_for_a_country(store):
    at = open_page("compare")
    at.sidebar.multiselect(key="f_countries").set_value([]).run()
    assert not at.exception
    assert any("No country is selected" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_link_opens_the_same_view_and_garbage_is_noted(store):
    at = open_page("overview", countries="KAZ,ZZZ,uzb", years="2030-2010", categories="ranking,penetration")
    assert not at.exception
    assert at.sidebar.multiselect(key="f_countries").value == ["KAZ", "UZB"]
    assert at.sidebar.multiselect(key="f_categories").value == ["penetration", "ranking"]
    notes = " ".join(i.value for i in at.sidebar.info)
    assert "ZZZ" in notes and "2030-2010" in notes
    assert at.query_params["countries"] in ("KAZ,UZB", ["KAZ,UZB"])


def test_url_follows_the_widgets(store):
    at = open_page("overview")
    assert "countries" not in at.query_params  # defaults keep the URL clean
    at.sidebar.multiselect(key="f_countries").set_value(["GEO", "XCA"]).run()
    at.sidebar.checkbox(key="f_no_year").uncheck().run()
    params = {k: v if isinstance(v, str) else ",".join(v) for k, v in at.query_params.items()}
    assert params["countries"] == "GEO,XCA" and params["noyear"] == "0"


def test_filters_survive_a_page_switch(store):
    at = open_page("overview")
    at.sidebar.multiselect(key="f_countries").set_value(["UZB"]).run()
    at.sidebar.slider(key="f_years").set_value((2022, 2023)).run()
    for path in PAGES.values():
        at.switch_page(path or "pages/0_Overview.py").run()
        assert not at.exception, (path, at.exception)
        assert at.sidebar.multiselect(key="f_countries").value == ["UZB"], path
        assert tuple(at.sidebar.slider(key="f_years").value) == (2022, 2023), path


def test_undated_figures_toggle(store):
    at = open_page("explorer")
    with_undated = len(at.dataframe[0].value)
    at.sidebar.checkbox(key="f_no_year").uncheck().run()
    without = at.dataframe[0].value
    assert len(without) < with_undated and without["year"].notna().all()


def test_explorer_search_and_literal_quotes(store):
    at = open_page("explorer")
    at.text_input(key="p_q").input("<script>").run()
    table = at.dataframe[0].value
    assert len(table) == 1 and "<script>alert(1)</script>" in table["quote"].iloc[0]
    assert {"quote", "doc", "title"} <= set(table.columns)
    assert at.get("download_button")


def test_document_view_escapes_and_marks(store):
    at = open_page("sources", doc="000_caigf.txt")
    assert not at.exception
    html = next(m.value for m in at.markdown if "cadi-document" in m.value)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<mark") == 6


def test_document_missing_from_raw_dir_is_said(store):
    (store / "data" / "raw" / "005_budget.txt").unlink()
    at = open_page("sources", doc="005_budget.txt")
    assert not at.exception
    assert any("not in the raw documents folder" in i.value for i in at.info)
    assert at.dataframe  # its figures are still listed


def test_unknown_page_choice_in_link_is_ignored(store):
    at = open_page("profile", country="ZZZ")
    assert not at.exception
    assert at.selectbox(key="p_country").value in at.sidebar.multiselect(key="f_countries").value


# ---- a store of traps: unrelated figures, bounds, targets, undated claims -----------------------------

# (country, indicator, subject, value, comparator, year, claim_type, doc)
TRAPS = [
    ("KAZ", "internet_penetration_pct", None, 76.0, "=", 2019, "actual", "a.txt"),
    ("KAZ", "internet_penetration_pct", None, 81.0, "=", 2021, "actual", "a.txt"),
    ("KAZ", "internet_penetration_pct", None, 100.0, "=", 2030, "target", "b.txt"),
    ("XCR", "internet_penetration_pct", None, 50.0, "<", 2019, "actual", "c.txt"),
    ("XCR", "internet_penetration_pct", None, 70.0, "=", 2025, "actual", "c.txt"),
    ("TKM", "internet_penetration_pct", None, 100.0, "=", None, "actual", "d.txt"),  # undated: never the latest
    ("UZB", "internet_penetration_pct", None, 83.0, "=", 2022, "actual", "e.txt"),
    ("KGZ", "budget_other", "state budget", 50e6, "=", 2021, "actual", "f.txt"),
    ("KGZ", "budget_other", "additional funding", 7e6, "=", 2022, "actual", "f.txt"),
    ("KGZ", "change_pct", None, 8.0, "=", 2021, "actual", "g.txt"),
    ("KGZ", "change_pct", None, 100.0, "=", 2024, "actual", "g.txt"),
]
TRAP_NAMES = {"KAZ": "Kazakhstan", "XCR": "CAREC region", "TKM": "Turkmenistan", "UZB": "Uzbekistan",
              "KGZ": "Kyrgyzstan"}
TRAP_UNITS = {"internet_penetration_pct": "percent", "budget_other": "USD", "change_pct": "percent"}
TRAP_CATEGORIES = {"internet_penetration_pct": "penetration", "budget_other": "budget", "change_pct": "other"}


@pytest.fixture
def traps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import pyarrow.parquet as pq

    from etl.schema import to_table

    rows = []
    for i, (country, indicator, subject, value, comparator, year, kind, doc) in enumerate(TRAPS):
        quote = f"Figure {i} of the report."
        rows.append({"claim_id": f"c{i}", "doc": doc, "country": country, "country_name": TRAP_NAMES[country],
                     "indicator": indicator, "category": TRAP_CATEGORIES[indicator], "value": value,
                     "as_written": f"{i}", "unit": TRAP_UNITS[indicator], "year": year,
                     "year_basis": "stated" if year else None, "claim_type": kind, "comparator": comparator,
                     "rank_of": None, "subject": subject, "counterpart": None, "quote": quote, "quote_start": 0,
                     "char_start": 7, "char_end": 7 + len(str(i)), "origin": "extracted"})
    claims = pd.DataFrame(rows).astype({"year": "Int32", "rank_of": "Int32"})
    indicators = pd.DataFrame([(i, i.replace("_", " "), TRAP_CATEGORIES[i], u, f"What {i} counts.")
                               for i, u in TRAP_UNITS.items()], columns=["id", "label", "category", "unit",
                                                                          "definition"])
    docs = sorted(claims["doc"].unique())
    sources = pd.DataFrame({"doc": docs, "title": [f"Report {d[0].upper()}" for d in docs], "publisher": "Pub",
                            "published": [datetime.date(2024, 3, 1)] * len(docs), "published_basis": "manifest",
                            "place": None, "url": None, "n_claims": [int((claims["doc"] == d).sum()) for d in docs]})
    out = tmp_path / "store"
    out.mkdir()
    for name, frame in (("claims", claims), ("indicators", indicators), ("sources", sources)):
        pq.write_table(to_table(frame, name), out / f"{name}.parquet")
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    monkeypatch.setenv("CADI_DATA_DIR", str(out))
    return out


def line_runs(spec: dict) -> list[tuple]:
    """(trace name, values) of every run of points a line joins in a chart spec."""
    runs = []
    for trace in spec["data"]:
        if "lines" not in trace.get("mode", "") or trace.get("meta") == "lead":
            continue
        run: list = []
        for y in [*trace["y"], None]:
            if y is None:
                if run:
                    runs.append((trace.get("name"), tuple(run)))
                run = []
            else:
                run.append(y)
    return runs


def test_traps_no_line_joins_unrelated_figures(traps):
    at = open_page("compare", indicator="change_pct", countries="KAZ,KGZ,XCR,TKM,UZB")
    assert not at.exception, at.exception
    assert line_runs(specs(at)[0]) == []  # two changes of what, nobody says: never a trend
    at = open_page("compare", indicator="internet_penetration_pct", countries="KAZ,KGZ,XCR,TKM,UZB")
    runs = line_runs(specs(at)[0])
    assert ("Kazakhstan", (76.0, 81.0)) in runs  # the near miss: one series is a line
    assert all(50.0 not in ys and 100.0 not in ys for _, ys in runs)  # no bound, no target on a line
    text = shown_text(at)
    assert "Report A (Pub, 2024)" in text and "a.txt" not in json.dumps(specs(at))  # sources by name


def test_traps_map_latest_is_dated_and_actual(traps):
    at = open_page("overview", indicator="internet_penetration_pct", countries="KAZ,KGZ,XCR,TKM,UZB")
    assert not at.exception, at.exception
    spec = next(s for s in specs(at) if any(t.get("fill") == "toself" for t in s["data"]))
    fills = {t["name"]: t for t in spec["data"] if t.get("fill") == "toself"}
    assert "no figure" in fills["Turkmenistan"]["text"]  # the undated 100% is not Turkmenistan's latest
    kaz = fills["Kazakhstan"]["text"]
    assert "81%" in kaz and "2021" in kaz and "100%" not in kaz  # not the 2030 target
    scale = next(t for t in spec["data"] if (t.get("marker") or {}).get("showscale"))
    assert (scale["marker"]["cmin"], scale["marker"]["cmax"]) == (81.0, 83.0)  # only what the map draws
    at.selectbox(key="p_map_year").set_value("2019").run()
    spec = next(s for s in specs(at) if any(t.get("fill") == "toself" for t in s["data"]))
    fills = {t["name"]: t for t in spec["data"] if t.get("fill") == "toself"}
    assert "76%" in fills["Kazakhstan"]["text"] and "no figure for 2019" in fills["Uzbekistan"]["text"]


def test_compare_keeps_the_chosen_indicator_through_clear_all(store):
    """Clear all, then add two countries: the indicator the reader chose comes back (it fell to another
    only while the first country alone did not have it)."""
    at = open_page("compare")
    at.selectbox(key="p_indicator").set_value("egdi_rank").run()
    at.sidebar.multiselect(key="f_countries").set_value([]).run()
    at.sidebar.multiselect(key="f_countries").set_value(["PAK"]).run()  # no EGDI figure for Pakistan
    assert at.selectbox(key="p_indicator").value != "egdi_rank"
    at.sidebar.multiselect(key="f_countries").set_value(["PAK", "KAZ"]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="p_indicator").value == "egdi_rank"
    assert at.query_params["indicator"] in ("egdi_rank", ["egdi_rank"])


def test_rankings_indices_are_kept_in_the_url(store):
    at = open_page("rankings")
    at.multiselect(key="p_indices").set_value(["gii_rank"]).run()
    assert at.query_params["indices"] in ("gii_rank", ["gii_rank"])
    again = open_page("rankings", indices="egdi_rank")
    assert again.multiselect(key="p_indices").value == ["egdi_rank"]
    assert [s["layout"]["title"]["text"] for s in specs(again)][0].startswith("UN")


@pytest.mark.parametrize("name", ["overview", "profile", "compare", "rankings", "money"])
def test_every_chart_has_tabs_a_source_line_and_about_this_data(store, name):
    at = open_page(name)
    charts_ = [s for s in specs(at) if not s["layout"].get("title", {}).get("text", "").startswith("Claims per")]
    assert charts_
    for spec in charts_:
        notes = " ".join(a.get("text", "") for a in spec["layout"].get("annotations", []))
        assert "Source: " in notes, spec["layout"].get("title")
        assert ".txt" not in notes  # sources by name, not by file name
    assert at.tabs and {t.label for t in at.tabs} >= {"Chart", "Table"}
    if name != "overview":
        assert any("About this data" in e.label for e in at.expander)
