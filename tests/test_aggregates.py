"""Pre-aggregates against plain pandas on the filtered claims: the same numbers, rows and points."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cadi import aggregates, filters, query
from cadi.filters import Filters
from tests.fixtures import claims_frame

INDICATORS = {  # id -> (category, unit)
    "internet_users_pct": ("penetration", "percent"),
    "egdi_rank": ("ranking", "rank"),
    "budget_planned": ("budget", "USD"),
    "budget_actual": ("budget", "USD"),
    "fibre_km": ("other", "km"),
}
COUNTRIES = {"KAZ": "Kazakhstan", "UZB": "Uzbekistan", "XCA": "Central Asia"}


def synthetic(n: int = 400, seed: int = 3) -> pd.DataFrame:
    """Claims with repeated cells (several values per country, indicator and year), ties, undated rows."""
    rng = np.random.default_rng(seed)
    ids = rng.choice(list(INDICATORS), n)
    codes = rng.choice(list(COUNTRIES), n)
    year = pd.array(rng.integers(2018, 2023, n), dtype="Int64")
    year[rng.random(n) < 0.15] = pd.NA
    # Half the indicators also come in a second unit, so a country has several series of one indicator.
    unit = [INDICATORS[i][1] if rng.random() < 0.8 else "count" for i in ids]
    return pd.DataFrame({
        "claim_id": [f"c{i:04d}" for i in range(n)],
        "doc": rng.choice([f"d{k}.txt" for k in (5, 1, 4, 2, 3)], n),
        "country": codes,
        "country_name": [COUNTRIES[c] for c in codes],
        "indicator": ids,
        "category": [INDICATORS[i][0] for i in ids],
        "unit": unit,
        "year": year,
        "value": rng.integers(1, 20, n).astype(float),  # small range: ties inside cells
        "comparator": rng.choice(["=", ">", "~"], n),
        "rank_of": pd.array([193] * n, dtype="Int32"),
        "quote": [f"quote {i}" for i in range(n)],
        "subject": None,
    })


def categorical(frame: pd.DataFrame) -> pd.DataFrame:
    """As cadi.data reads the store: text columns dictionary-encoded, categories NOT in name order."""
    out = frame.copy()
    for col in ("doc", "country", "country_name", "indicator", "category", "unit", "comparator"):
        values = list(dict.fromkeys(out[col]))[::-1]
        out[col] = pd.Categorical(out[col], categories=values)
    return out


FRAMES = {"synthetic": synthetic(), "synthetic_categorical": categorical(synthetic()), "fixture": claims_frame()}
ALL = ("penetration", "ranking", "investment", "budget", "other")
FILTERS = {
    "everything": Filters(("KAZ", "UZB", "XCA", "TJK", "KGZ", "GEO", "CHN", "PAK", "AZE", "XCR", "WLD"), ALL,
                          None, None, True),
    "two_countries": Filters(("KAZ", "UZB"), ALL, 2019, 2021, True),
    "no_undated": Filters(("KAZ", "XCA"), ALL, 2018, 2022, False),
    "one_category": Filters(("KAZ", "UZB", "XCA"), ("budget",), 2020, 2020, True),
    "years_outside": Filters(("KAZ", "UZB", "XCA"), ALL, 1990, 1995, False),
    "nothing": Filters((), ALL, None, None, True),
}
CASES = [(f, c) for f in FRAMES for c in FILTERS]


def selection(frame: pd.DataFrame, chosen: Filters):
    cube, docs = aggregates.build_store_index(frame)
    return cube, docs, aggregates.series_mask(cube, chosen), aggregates.slot_mask(cube.years, chosen)


@pytest.mark.parametrize(("frame", "case"), CASES)
def test_counts_match_pandas(frame, case):
    claims, chosen = FRAMES[frame], FILTERS[case]
    expected = filters.apply(claims, chosen)
    cube, docs, keep, slots = selection(claims, chosen)
    counts = aggregates.selected_counts(cube, keep, slots)

    keys = list(aggregates.SERIES_KEYS)
    want = expected.astype({k: str for k in keys}).groupby(keys).size()
    got = counts.astype({k: str for k in keys}).set_index(keys)["n"]
    assert got.sort_index().to_dict() == want.sort_index().to_dict()
    assert aggregates.count(cube, keep, slots) == len(expected)

    years, undated = aggregates.year_totals(cube, keep, slots)
    assert years[years > 0].to_dict() == expected["year"].dropna().astype(int).value_counts().sort_index().to_dict()
    assert undated == int(expected["year"].isna().sum())

    per_doc = aggregates.doc_counts(docs, keep, slots)
    assert per_doc[per_doc > 0].to_dict() == expected["doc"].astype(str).value_counts().to_dict()
    n_docs = int((per_doc > 0).sum())
    assert aggregates.summary(counts, years, undated, n_docs) == query.summary(expected)


@pytest.mark.parametrize(("frame", "case"), CASES)
def test_doc_counts_of_some_documents(frame, case):
    claims, chosen = FRAMES[frame], FILTERS[case]
    expected = filters.apply(claims, chosen)["doc"].astype(str).value_counts()
    _, docs, keep, slots = selection(claims, chosen)
    names = sorted(set(claims["doc"].astype(str)))[1:3] + ["zz_not_a_document.txt"]
    got = aggregates.doc_counts(docs, keep, slots, names)
    assert got.to_dict() == {d: int(expected.get(d, 0)) for d in names}


@pytest.mark.parametrize(
    ("function", "weighted"),
    [
        ("claims_per_category", lambda q, c, labels: q.claims_per_category(c).to_dict("list")),
        ("coverage_matrix", lambda q, c, labels: q.coverage_matrix(c, labels).to_dict()),
        ("indicators_by_reach", lambda q, c, labels: q.indicators_by_reach(c, labels)),
        ("indicators_present", lambda q, c, labels: q.indicators_present(c, labels)),
        ("usual_units", lambda q, c, labels: q.usual_units(c)),
    ],
)
@pytest.mark.parametrize("case", ["everything", "two_countries", "one_category"])
def test_query_functions_take_counts_like_claims(function, weighted, case):
    claims, chosen = FRAMES["synthetic"], FILTERS[case]
    expected = filters.apply(claims, chosen)
    cube, _, keep, slots = selection(claims, chosen)
    counts = aggregates.selected_counts(cube, keep, slots)
    labels = {"egdi_rank": "EGDI"}
    assert weighted(query, counts, labels) == weighted(query, expected, labels)


@pytest.mark.parametrize(("frame", "case"), CASES)
def test_rows_take_the_filtered_claims_in_series_and_year_order(frame, case):
    claims, chosen = FRAMES[frame], FILTERS[case]
    expected = filters.apply(claims, chosen)
    rows = aggregates.build_rows(claims)
    keep, slots = aggregates.series_mask(rows.cube, chosen), aggregates.slot_mask(rows.cube.years, chosen)
    taken = aggregates.take(rows, keep, slots)
    assert sorted(taken["claim_id"]) == sorted(expected["claim_id"])
    # Order: series keys as text, then year (no year last), then file order.
    keys = taken[list(aggregates.SERIES_KEYS)].astype(str)
    order = keys.assign(_year=taken["year"].fillna(9999).astype(int), _file=taken["claim_id"].map(
        {c: i for i, c in enumerate(claims["claim_id"])}))
    assert order.equals(order.sort_values([*aggregates.SERIES_KEYS, "_year", "_file"]))
    first = aggregates.take(rows, keep, slots, limit=7)
    assert list(first["claim_id"]) == list(taken["claim_id"][:7])
    assert aggregates.count(rows, keep, slots) == len(expected)
    by_doc, n_docs = aggregates.doc_counts_of(rows, keep, slots)
    want = expected["doc"].astype(str).value_counts()
    assert by_doc.to_dict() == want.to_dict() and n_docs == len(want)
    assert list(by_doc.index) == list(want.sort_index().sort_values(ascending=False, kind="stable").index)
    for top in (0, 1, 3):
        first, n = aggregates.doc_counts_of(rows, keep, slots, top=top)
        assert list(first.index) == list(by_doc.index[:top]) and n == n_docs
    no_year = aggregates.take(rows, keep, aggregates.undated(slots))
    assert sorted(no_year["claim_id"]) == sorted(expected.loc[expected["year"].isna(), "claim_id"])


def limit_points(rows: pd.DataFrame, by: str, max_points: int) -> tuple[pd.DataFrame, str]:
    """Plain pandas: one point per (by, year) with the median value when points pile up, then a sample.

    The reference aggregates.points is checked against (charts.py no longer aggregates points itself).
    """
    keys = [by, "year"]
    if not aggregates.piles_up(len(rows), rows.groupby(keys, observed=True, dropna=False).ngroups, max_points):
        return rows, ""
    grouped = rows.groupby(keys, observed=True, dropna=False)["value"]
    rank, size, median = grouped.rank(method="first"), grouped.transform("size"), grouped.transform("median")
    middle = rank == np.ceil(size / 2)
    reduced = rows[middle].assign(value=median[middle], comparator="~")
    note = f"Aggregated: median of {len(rows):,} figures per {by.replace('_', ' ')} and year"
    if len(reduced) > max_points:
        reduced = reduced.sample(max_points, random_state=0).sort_index()
        note += f"; a random sample of {max_points:,} of those points is drawn"
    return reduced, note + "."


@pytest.mark.parametrize("max_points", [1000, 40, 5])
@pytest.mark.parametrize("indicator", ["internet_users_pct", "egdi_rank"])
@pytest.mark.parametrize("frame", ["synthetic", "synthetic_categorical"])
def test_points_are_limit_points(frame, indicator, max_points):
    claims, chosen = FRAMES[frame], FILTERS["everything"]
    rows = aggregates.build_rows(claims)
    slots = aggregates.slot_mask(rows.cube.years, chosen)
    for unit in ("count", INDICATORS[indicator][1]):
        keep = aggregates.series_mask(rows.cube, chosen, indicator=indicator, unit=unit)
        expected = filters.apply(claims, chosen)
        expected = expected[(expected["indicator"] == indicator) & (expected["unit"] == unit)]
        want, want_note = limit_points(query.dated(expected), "country", max_points=max_points)
        got, note = aggregates.points(rows, keep, slots, max_points, "country")
        if "sample" in want_note:  # more cells than points: a chart draws the sample from these
            assert note == want_note.split(";")[0] + "." and len(got) > max_points
            continue
        assert note == want_note
        key = ["country", "year"] if note else ["claim_id"]
        want = want.astype({"country": str}).sort_values(key)[["claim_id", "value", "comparator"]]
        got = got.astype({"country": str}).sort_values(key)[["claim_id", "value", "comparator"]]
        assert got.astype(str).values.tolist() == want.astype(str).values.tolist()


@pytest.mark.parametrize(("frame", "case"), CASES)
def test_latest_is_latest_by_country(frame, case):
    claims, chosen = FRAMES[frame], FILTERS[case]
    indicator = "internet_users_pct"
    expected = filters.apply(claims, chosen)
    expected = expected[expected["unit"].astype(str) == "percent"]
    rows = aggregates.build_rows(claims)
    keep = aggregates.series_mask(rows.cube, chosen, indicator=indicator, unit="percent")
    got = aggregates.latest(rows, keep, aggregates.slot_mask(rows.cube.years, chosen))
    want = query.latest_by_country(expected, indicator)
    assert sorted(got["claim_id"]) == sorted(want["claim_id"])


@pytest.mark.parametrize("n", [0, 1, 5, 1000])
def test_top_values_are_the_largest(n):
    claims, chosen = FRAMES["synthetic_categorical"], FILTERS["two_countries"]
    rows = aggregates.build_rows(claims)
    keep = aggregates.series_mask(rows.cube, chosen, category="budget")
    got = aggregates.top_values(rows, keep, aggregates.slot_mask(rows.cube.years, chosen), n)
    expected = filters.apply(claims, chosen)
    expected = expected[expected["category"] == "budget"]
    assert sorted(got["value"], reverse=True) == sorted(expected["value"], reverse=True)[:n]


@pytest.mark.parametrize(
    ("years", "chosen", "expected"),
    [
        ([2019, 2020, 2021], Filters((), (), 2020, 2021, True), [False, True, True, True]),
        ([2019, 2020, 2021], Filters((), (), 2020, 2021, False), [False, True, True, False]),
        ([2019, 2020, 2021], Filters((), (), None, None, False), [True, True, True, False]),
        ([], Filters((), (), None, None, True), [True]),
    ],
)
def test_slot_mask(years, chosen, expected):
    assert aggregates.slot_mask(np.array(years, dtype=int), chosen).tolist() == expected


def _written_store(tmp_path, frame: pd.DataFrame):
    """`frame` as a claims.parquet in the contract, with its store index written beside it."""
    import pyarrow.parquet as pq

    from etl import schema

    n = len(frame)
    filled = {"as_written": "1", "year_basis": None, "quote_start": 0, "char_start": 0, "char_end": 1,
              "origin": "extracted", "subject": None, "claim_type": "actual", "counterpart": None}
    frame = frame.assign(**{col: [value] * n for col, value in filled.items() if col not in frame})
    frame = frame.assign(year_basis=np.where(frame["year"].isna(), None, "stated"))
    table = schema.to_table(frame[[f.name for f in schema.CLAIMS]], "claims")
    pq.write_table(table, tmp_path / "claims.parquet")
    return tmp_path / "claims.parquet", aggregates.write_store_index(tmp_path)


def _same_index(a, b) -> None:
    (cube_a, docs_a), (cube_b, docs_b) = a, b
    assert cube_a.series.astype(str).equals(cube_b.series.astype(str))
    np.testing.assert_array_equal(cube_a.counts, cube_b.counts)
    np.testing.assert_array_equal(cube_a.years, cube_b.years)
    for field in ("docs", "country_start", "series_country", "doc", "series", "slot"):
        np.testing.assert_array_equal(getattr(docs_a, field), getattr(docs_b, field), err_msg=field)


@pytest.mark.parametrize("frame", ["synthetic", "fixture"])
def test_saved_store_index_is_the_one_the_dashboard_would_build(tmp_path, frame):
    from cadi import data

    claims_file, saved_file = _written_store(tmp_path, FRAMES[frame])
    stat = claims_file.stat()
    loaded = aggregates.load_store_index(saved_file, stat.st_size, stat.st_mtime_ns)
    assert loaded is not None
    as_read = data.read_table(claims_file, "claims", data.COUNT_COLUMNS)  # as the loader reads the store
    _same_index(loaded, aggregates.build_store_index(as_read))
    # And its counts answer the same selections.
    for chosen in FILTERS.values():
        keep, slots = aggregates.series_mask(loaded[0], chosen), aggregates.slot_mask(loaded[0].years, chosen)
        assert aggregates.count(loaded[0], keep, slots) == len(filters.apply(FRAMES[frame], chosen))


@pytest.mark.parametrize("stale", ["size", "mtime", "missing", "garbage"])
def test_saved_store_index_of_another_claims_file_is_not_used(tmp_path, stale):
    claims_file, saved_file = _written_store(tmp_path, FRAMES["synthetic"])
    stat = claims_file.stat()
    size, mtime = stat.st_size, stat.st_mtime_ns
    if stale == "size":
        size += 1
    elif stale == "mtime":
        mtime += 1
    elif stale == "missing":
        saved_file.unlink()
    else:
        saved_file.write_bytes(b"PK\x03\x04 not an npz")
    assert aggregates.load_store_index(saved_file, size, mtime) is None


@pytest.mark.parametrize("frame", ["synthetic", "synthetic_categorical", "fixture"])
def test_catalog_of_the_cube_is_the_catalog_of_the_claims(frame):
    from cadi import data

    cube, _ = aggregates.build_store_index(FRAMES[frame])
    assert data.catalog_of_cube(cube) == data.build_catalog(FRAMES[frame])


def test_rows_of_an_empty_selection():
    """A pushed-down read that matches nothing (an indicator the store lacks) still gives Rows, empty."""
    rows = aggregates.build_rows(FRAMES["synthetic"].iloc[0:0])
    assert len(rows.frame) == 0 and rows.start.size == 0 and rows.median.size == 0
    keep = aggregates.series_mask(rows.cube, FILTERS["everything"])
    slots = aggregates.slot_mask(rows.cube.years, FILTERS["everything"])
    assert len(aggregates.take(rows, keep, slots)) == 0


def _store_with_copies(tmp_path, frame: pd.DataFrame, row_group_rows: int = 16):
    """`frame` as claims.parquet in small row groups (so statistics can skip some), with its clustered copies."""
    import pyarrow.parquet as pq

    from cadi import clustered

    claims_file, _ = _written_store(tmp_path, frame)
    table = pq.read_table(claims_file)
    pq.write_table(table, claims_file, row_group_size=row_group_rows)
    clustered.write_copies(tmp_path)
    return claims_file


WHERES = {
    "one_country": {"country": ["KAZ"]},
    "two_countries": {"country": ["UZB", "XCA"]},
    "absent_country": {"country": ["ZZZ"]},
    "one_indicator": {"indicator": ["egdi_rank"]},
    "category": {"category": ["budget"]},
    "category_and_indicator": {"category": ["budget"], "indicator": ["budget_actual", "fibre_km"]},
    "country_and_indicator": {"country": ["KAZ"], "indicator": ["internet_users_pct"]},
    "one_document": {"doc": ["d3.txt"]},
}


@pytest.mark.parametrize("case", WHERES)
def test_read_where_is_a_plain_filter_in_file_order(tmp_path, case):
    from cadi import data

    claims_file = _store_with_copies(tmp_path, FRAMES["synthetic"])
    where = WHERES[case]
    everything = data.read_table(claims_file, "claims")
    mask = np.ones(len(everything), dtype=bool)
    for column, values in where.items():
        mask &= everything[column].astype(str).isin(values).to_numpy()
    got = data.read_table(claims_file, "claims", ["claim_id", "value", *where], where)
    assert list(got["claim_id"]) == list(everything.loc[mask, "claim_id"])
    assert list(got.columns) == ["claim_id", "value", *where]


@pytest.mark.parametrize("case", WHERES)
def test_rows_from_a_clustered_copy_are_the_rows_of_the_claims(tmp_path, case):
    """Same claims, and the same order inside each series and year: a copy changes only what is read."""
    from cadi import clustered, data

    claims_file = _store_with_copies(tmp_path, FRAMES["synthetic"])
    stat = claims_file.stat()
    version = ((str(claims_file), stat.st_mtime_ns, stat.st_size), ("i", 0, 0), ("s", 0, 0))
    where = WHERES[case]
    source = data._claims_for(version, where)
    expected_copy = {"country": "claims_by_country.parquet", "indicator": "claims_by_indicator.parquet",
                     "category": "claims_by_indicator.parquet"}
    first = "country" if "country" in where else next(iter(where))
    assert source.name == expected_copy.get(first, "claims.parquet")
    assert source.name == "claims.parquet" or source.name in clustered.COPIES
    from_copy = aggregates.build_rows(data.read_table(source, "claims", None, where))
    from_claims = aggregates.build_rows(data.read_table(claims_file, "claims", None, where))
    assert list(from_copy.frame["claim_id"]) == list(from_claims.frame["claim_id"])
    np.testing.assert_array_equal(from_copy.middle, from_claims.middle)
    np.testing.assert_array_equal(from_copy.last_doc, from_claims.last_doc)


def test_a_copy_of_another_claims_file_is_not_read(tmp_path):
    from cadi import clustered

    claims_file = _store_with_copies(tmp_path, FRAMES["synthetic"])
    stat = claims_file.stat()
    assert clustered.copy_for(claims_file, stat.st_size, stat.st_mtime_ns, ["country"]) is not None
    assert clustered.copy_for(claims_file, stat.st_size + 1, stat.st_mtime_ns, ["country"]) is None
    assert clustered.copy_for(claims_file, stat.st_size, stat.st_mtime_ns, ["doc"]) is None  # claims.parquet's order
    (tmp_path / "claims_by_country.parquet").write_bytes(b"PAR1 broken")
    assert clustered.copy_for(claims_file, stat.st_size, stat.st_mtime_ns, ["country"]) is None
