"""Query functions on the fixture store: table-driven, no Streamlit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cadi import data, filters, query
from etl.schema import CATEGORIES
from tests import _oracles as oracles
from tests.fixtures import claims_frame, indicators_frame, sources_frame, write_fixture_store


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return claims_frame()


@pytest.fixture(scope="module")
def labels() -> dict[str, str]:
    ind = indicators_frame()
    return dict(zip(ind["id"], ind["label"], strict=True))


def test_summary_counts(claims):
    s = query.summary(claims)
    assert s["claims"] == len(claims) == 42
    assert (s["countries"], s["regions"]) == (8, 3)
    assert (s["year_min"], s["year_max"]) == (2019, 2025)
    assert s["undated"] == int(claims["year"].isna().sum()) > 0


def test_claims_per_category_lists_all_five(claims):
    counts = query.claims_per_category(claims)
    assert list(counts["category"]) == list(CATEGORIES)
    assert counts["claims"].sum() == len(claims)
    assert query.claims_per_category(claims.iloc[0:0])["claims"].sum() == 0


def test_coverage_matrix_zero_where_silent(claims, labels):
    countries = {"KAZ": "Kazakhstan", "TJK": "Tajikistan", "MNG": "Mongolia"}
    matrix = query.coverage_matrix(claims, labels, countries)
    assert list(matrix.index) == ["Kazakhstan", "Tajikistan", "Mongolia"]
    assert matrix.loc["Mongolia"].sum() == 0  # selected, no data: an empty row, not a missing one
    assert matrix.loc["Kazakhstan", "UN E-Government Development Index rank"] == 2
    assert matrix.loc["Tajikistan", "Global Innovation Index rank"] == 0


@pytest.mark.parametrize(
    ("country", "year", "value"),
    [("KAZ", 2023, 92.3), ("UZB", 2023, 83.0), ("XCR", 2025, 70.0), ("AZE", None, 88.0)],
)
def test_latest_by_country(claims, country, year, value):
    latest = query.latest_by_country(claims, "internet_users_pct").set_index("country")
    row = latest.loc[country]
    assert row["value"] == value
    assert (pd.isna(row["year"]) and year is None) or row["year"] == year
    assert latest.index.is_unique


def test_latest_by_country_unknown_indicator_is_empty(claims):
    assert query.latest_by_country(claims, "no_such_indicator").empty


def test_indicator_rows_count_points_per_series(claims, labels):
    rows = oracles.indicator_rows(claims, "internet_users_pct", labels)
    n = rows.drop_duplicates("country").set_index("country")["n_points"]
    assert n["KAZ"] == 2 and n["KGZ"] == 1 and n["AZE"] == 0
    assert set(rows["indicator_label"]) == {"Internet users"}


def test_rankings(claims, labels):
    ranks = oracles.ranking_rows(claims, labels)
    assert set(ranks) == {"egdi_rank", "gii_rank", "ai_readiness_rank"}
    uzb = ranks["ai_readiness_rank"]
    assert list(uzb["value"]) == [79, 48] and list(uzb["year"]) == [2022, 2023]  # "from 79th to 48th"
    assert query.rank_of_text(ranks["egdi_rank"]) == "out of 193"
    assert query.rank_of_text(uzb) == ""


def test_amounts_never_mix_currencies(claims, labels):
    by_unit = oracles.amounts_by_unit(claims, labels)
    assert list(by_unit)[0] == "USD"
    for unit, rows in by_unit.items():
        assert set(rows["unit"]) == {unit}
    assert "Digital Kazakhstan 2025" in set(by_unit["USD"]["subject_label"])


def test_budget_comparison_pairs_planned_and_actual(claims):
    both, other = query.budget_comparison(claims)
    assert set(both["subject"]) == {"Interpretation", "Venue"}
    assert list(both[both["subject"] == "Venue"]["measure"]) == ["planned", "actual"]
    assert set(other["subject"]) == {"Interpretation", "Travel support"}  # variance, planned-only line
    assert len(both) + len(other) == int((claims["category"] == "budget").sum())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 42),
        ("kazakhstan", None),
        ("<script>", 1),
        ("digital   kazakhstan", 2),  # all words, in any order
        ('"digital kazakhstan 2025"', 0),  # quotes are literal characters
        ("hyperlink", 1),
        ("no such words anywhere", 0),
        ("(", 6),  # literal, not a regex
    ],
)
def test_search_mask(claims, text, expected):
    hits = int(query.search_mask(claims, text).sum())
    if expected is None:
        assert 0 < hits < len(claims)
    else:
        assert hits == expected


def test_explorer_table_has_quote_and_source_on_every_row(claims, labels):
    table = query.explorer_table(claims, sources_frame(claims), labels)
    assert len(table) == len(claims)
    assert table[["quote", "doc", "title"]].notna().all().all()
    assert list(table.columns[:3]) == ["country_name", "indicator_label", "category"]


def test_documents_table_counts_shown_claims(claims):
    docs = query.documents_table(sources_frame(claims), claims[claims["country"] == "KAZ"])
    shown = docs.set_index("doc")["claims_shown"]
    assert shown["001_qazigf.txt"] == 7 and shown["005_budget.txt"] == 0
    assert docs["n_claims"].sum() == len(claims)


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("x 50% y", [(2, 5, "t")], 'x <mark title="t">50%</mark> y'),
        (
            "<script>alert(1)</script> 7",
            [(26, 27, "a<b")],
            '&lt;script&gt;alert(1)&lt;/script&gt; <mark title="a&lt;b">7</mark>',
        ),
        ("abc", [(0, 2, ""), (1, 3, "")], '<mark title="">ab</mark>c'),  # overlap skipped
        ("abc", [(2, 9, "")], "abc"),  # out of range skipped
    ],
)
def test_highlight_html_escapes_everything_but_marks(text, spans, expected):
    assert query.highlight_html(text, spans) == expected


def test_filters_apply_on_claims(claims):
    defaults = filters.default_filters(sorted(claims["country"].unique()), 2019, 2025)
    chosen = filters.Filters(("KAZ",), ("penetration",), 2022, 2025, include_no_year=False)
    rows = filters.apply(claims, chosen)
    assert set(rows["country"]) == {"KAZ"} and list(rows["value"]) == [92.3]
    assert len(filters.apply(claims, defaults)) == len(claims)
    no_year = filters.apply(claims, filters.Filters(defaults.countries, defaults.categories, 2019, 2025, False))
    assert no_year["year"].notna().all() and len(no_year) == len(claims) - 7


def test_store_roundtrip_categoricals_and_projection(tmp_path, monkeypatch):
    write_fixture_store(tmp_path)
    monkeypatch.setenv("CADI_DATA_DIR", str(tmp_path))
    full = data.load_claims()
    assert len(full) == 42 and isinstance(full["country"].dtype, pd.CategoricalDtype)
    assert str(full["year"].dtype) == "Int32"
    part = data.load_claims(columns=data.COUNT_COLUMNS, where={"country": ["KAZ"]})
    assert list(part.columns) == list(data.COUNT_COLUMNS) and set(part["country"]) == {"KAZ"}
    cat = data.catalog()
    assert list(cat.countries)[-3:] == ["XCA", "XCR", "WLD"] or set(list(cat.countries)[-3:]) == {
        "XCA",
        "XCR",
        "WLD",
    }
    assert (cat.year_min, cat.year_max) == (2019, 2025)


def test_new_etl_output_is_seen_without_restart(tmp_path, monkeypatch):
    write_fixture_store(tmp_path)
    monkeypatch.setenv("CADI_DATA_DIR", str(tmp_path))
    assert len(data.load_claims()) == 42
    claims = claims_frame().iloc[:10]
    import pyarrow.parquet as pq

    from etl.schema import to_table

    pq.write_table(to_table(claims, "claims"), tmp_path / "claims.parquet")
    assert len(data.load_claims()) == 10


def test_symlinked_generation_dir_is_followed(tmp_path, monkeypatch):
    gen = tmp_path / "gen-1"
    write_fixture_store(gen)
    store = tmp_path / "store"
    store.mkdir()
    for name in data.FILES.values():
        (store / name).symlink_to(gen / name)
    monkeypatch.setenv("CADI_DATA_DIR", str(store))
    version = data.store_version()
    assert all(path.startswith(str(gen)) for path, _, _ in version)
    assert len(data.load_claims()) == 42


@pytest.mark.parametrize(
    ("damage", "kind"),
    [("missing", "missing"), ("garbage", "corrupt"), ("wrong_schema", "corrupt")],
)
def test_unreadable_store_raises_kind_sentence(tmp_path, monkeypatch, damage, kind):
    write_fixture_store(tmp_path)
    monkeypatch.setenv("CADI_DATA_DIR", str(tmp_path))
    target = tmp_path / "claims.parquet"
    if damage == "missing":
        target.unlink()
    elif damage == "garbage":
        target.write_bytes(b"not a parquet file at all")
    else:
        pd.DataFrame({"claim_id": ["a"], "value": ["x"]}).to_parquet(target)
    with pytest.raises(data.DataUnavailable) as err:
        data.load_claims()
    assert err.value.kind == kind
    assert "python -m etl" in str(err.value)


@pytest.mark.parametrize("doc", ["../etc/passwd", "", ".hidden", "a/b.txt", "missing.txt"])
def test_read_document_refuses_paths_and_missing(tmp_path, monkeypatch, doc):
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    assert data.read_document(doc) is None


@pytest.mark.parametrize(
    ("text", "limit", "n_rows", "n_matches"),
    [("", 100, 42, 42), ("", 5, 5, 42), ("kyrgyzstan", 100, 5, 5), ("financial report", 100, 6, 6)],
)
def test_explorer_rows_limit_and_search(claims, text, limit, n_rows, n_matches):
    titles = dict(zip(sources_frame(claims)["doc"], sources_frame(claims)["title"], strict=True))
    keep = pd.Series(True, index=claims.index)
    rows, n = query.explorer_rows(claims, keep, text, titles, limit=limit)
    assert (len(rows), n) == (n_rows, n_matches)
    assert list(rows.columns) == list(claims.columns)


def test_explorer_rows_respects_the_mask(claims):
    keep = claims["country"] == "KAZ"
    rows, n = query.explorer_rows(claims, keep, "internet")
    assert n == 2 and set(rows["country"]) == {"KAZ"}


@pytest.mark.parametrize(("start", "stop"), [(0, 5), (3, 9), (0, 1000), (40, 45), (7, 7)])
@pytest.mark.parametrize("countries", [("KAZ",), ("KAZ", "UZB", "XCA"), ()])
@pytest.mark.parametrize("chunk", [2, 1000])
def test_filtered_page_is_a_slice_of_the_filtered_claims(claims, monkeypatch, start, stop, countries, chunk):
    monkeypatch.setattr(query, "SCAN_CHUNK_ROWS", chunk)  # small chunks: pages that span several
    chosen = filters.Filters(countries, tuple(CATEGORIES), 2019, 2024, True)
    expected = filters.apply(claims, chosen).iloc[start:stop]
    assert list(query.filtered_page(claims, chosen, start, stop)["claim_id"]) == list(expected["claim_id"])


@pytest.mark.parametrize("offset", [0, 2, 4, 10])
def test_explorer_rows_offset(claims, offset):
    keep = claims["country"] == "KAZ"
    rows, n = query.explorer_rows(claims, keep, "", limit=2, offset=offset)
    assert list(rows["claim_id"]) == list(claims.loc[keep, "claim_id"].iloc[offset : offset + 2]) and n == keep.sum()


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (pd.DataFrame({"indicator": ["a", "a", "b"], "unit": ["USD", "KZT", "KZT"]}), ["KZT", "USD"]),
        (pd.DataFrame({"indicator": ["a", "a"], "unit": ["USD", "KZT"], "n": [3, 5]}), ["KZT", "USD"]),
        (pd.DataFrame({"indicator": ["a", "a"], "unit": ["USD", "EUR"], "n": [4, 4]}), ["EUR", "USD"]),  # tie: name
    ],
)
def test_usual_units(frame, expected):
    assert query.usual_units(frame) == expected
    assert query.usual_unit(frame, "a") == expected[0] if (frame["indicator"] == "a").all() else True


def test_top_indicators_by_category_caps_and_says_so(claims):
    counts = claims.groupby(["indicator", "category"]).size().rename("n").reset_index()
    tops = query.top_indicators_by_category(counts, n=2)
    assert list(tops) == [c for c in CATEGORIES if c in set(claims["category"])]
    for category, top in tops.items():
        ranked = claims.loc[claims["category"] == category, "indicator"].value_counts()
        assert set(top.indicators) <= set(ranked.index) and len(top.indicators) == min(2, len(ranked))
        left_out = ranked.drop(list(top.indicators))
        assert left_out.empty or ranked[list(top.indicators)].min() >= left_out.max()
        assert ("of " in top.note) == (len(ranked) > 2)


def test_ranking_indices_and_chosen_rows(claims, labels):
    indices = query.ranking_indices(claims, labels)
    assert list(indices)[0] == "egdi_rank"
    assert list(oracles.ranking_rows(claims, labels, ["gii_rank"])) == ["gii_rank"]


def test_budget_pairs_any_planned_actual_indicator_names(claims):
    renamed = claims.assign(
        indicator=claims["indicator"].astype(str).str.replace("event_budget_", "budget_", regex=False)
    )
    both, _ = query.budget_comparison(renamed)
    assert set(both["subject"]) == {"Interpretation", "Venue"} and len(both) == 4


def test_budget_lines_without_a_subject_still_pair():
    # Regression: a planned/actual pair with no subject crashed the pages under pandas 3.
    rows = pd.DataFrame({
        "doc": ["a.txt", "a.txt", "a.txt"], "country": ["KAZ"] * 3, "subject": [None, None, "Venue"],
        "unit": ["USD"] * 3, "category": ["budget"] * 3,
        "indicator": ["budget_planned", "budget_actual", "budget_planned"], "value": [10.0, 12.0, 5.0],
    })
    both, other = query.budget_comparison(rows)
    assert sorted(both["value"]) == [10.0, 12.0]
    assert list(other["value"]) == [5.0]


def test_selection_points_past_the_limit_are_real_figures_never_joined(claims):
    from cadi import aggregates, charts
    from cadi.filters import Filters

    rows = claims[claims["indicator"] == "internet_users_pct"]
    pile = pd.concat([rows] * 40, ignore_index=True)  # 40 figures in each cell
    pile["value"] = pile["value"] + np.tile(np.arange(40, dtype=float), len(rows))
    built = aggregates.build_rows(pile)
    chosen = Filters(tuple(pile["country"].astype(str).unique()), ("penetration",), None, None, True)
    selection = query.Selection.of(built, chosen)
    points, note = selection.points(max_points=50)
    assert note and "never joined" in note
    assert (points["cell_figures"] > 1).all() and len(points) <= 50
    assert set(points["value"]) <= set(pile["value"])  # real figures, not medians
    fig = charts.time_series(points.assign(indicator_label="Internet users"), "country", "t", "percent")
    assert not any("lines" in t.mode for t in fig.data if t.meta != "lead")
    small, none = selection.points(max_points=10_000)  # the near miss: under the limit, every figure
    assert none == "" and len(small) == int(pile["year"].notna().sum())
