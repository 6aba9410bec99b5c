"""Seeded synthetic processed stores in the ETL's exact schema, built vectorised with numpy and Arrow.

200 countries and regions, 2,000 indicators, 60 years; quotes drawn from a pool of report
sentences. Claims are sorted by country and year and written in row groups, so a
country or year predicate prunes row groups. Every table goes through
`etl.schema.to_table` (cast and checked against the data contract) before it is written.

`python -m benchmarks.synth_store --rows 1m` writes benchmarks/out/store-1m/ (reused when
it exists with the same seed and size).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pycountry

from benchmarks import out_dir, publish
from benchmarks.synth_corpus import sentence_pool
from cadi import aggregates
from etl import paths, schema
from etl.indicators import CATALOGUE
from etl.run import write_for_dashboard

SEED = 7
N_COUNTRIES = 200  # countries and regions
N_INDICATORS = 2000
YEARS = (1965, 2024)  # 60 years
QUOTE_POOL = 3000
ROW_GROUP_ROWS = 128 * 1024
STAMP = ".store.json"
VERSION = 3  # 3: claim_type and counterpart columns
CENTRAL_ASIA = ("KAZ", "UZB", "KGZ", "TJK", "TKM", "AFG", "AZE", "GEO", "MNG", "PAK", "CHN")
CATEGORY_UNITS = {
    "penetration": ("percent",),
    "ranking": ("rank",),
    "investment": ("USD", "USD", "EUR", "KZT", "UZS", "CNY"),
    "budget": ("USD", "KZT", "UZS", "KGS", "TJS", "PKR"),
    "other": ("count", "count", "km", "Mbps", "percent"),
}
CATEGORY_SHARE = {"penetration": 0.3, "ranking": 0.1, "investment": 0.15, "budget": 0.1, "other": 0.35}
PREFIX = {"USD": "$", "EUR": "€", "KZT": "KZT ", "UZS": "UZS ", "CNY": "CNY ", "KGS": "KGS ", "TJS": "TJS ",
          "PKR": "Rs "}
SUFFIX = {"percent": "%", "rank": "th", "km": " km", "Mbps": " Mbps"}


def parse_rows(text: str) -> int:
    """"10k" -> 10000, "1m" -> 1000000, "2500" -> 2500."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def label_rows(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


# --- dimensions ----------------------------------------------------------------------------------


def countries() -> tuple[list[str], list[str]]:
    """200 codes and names: the region's countries first, then the regions, then other countries."""
    names = {c.alpha_3: getattr(c, "common_name", c.name) for c in pycountry.countries}
    codes = [c for c in CENTRAL_ASIA if c in names] + list(schema.REGIONS)
    codes += [c for c in sorted(names) if c not in codes][: N_COUNTRIES - len(codes)]
    return codes, [schema.REGIONS.get(c) or names[c] for c in codes]


def indicators(rng: np.random.Generator) -> pd.DataFrame:
    """2,000 indicators: the catalogue's, then synthetic ones, each with a category, unit and label."""
    rows = [(i.id, i.label, i.category, i.unit, i.definition) for i in CATALOGUE.values()][:N_INDICATORS]
    cats = list(CATEGORY_SHARE)
    picks = rng.choice(len(cats), N_INDICATORS - len(rows), p=list(CATEGORY_SHARE.values()))
    for k, c in enumerate(picks):
        category = cats[c]
        units = CATEGORY_UNITS[category]
        unit = units[k % len(units)]
        rows.append((f"synthetic_{category}_{k:04d}", f"Synthetic {category} indicator {k}", category, unit,
                     f"A synthetic {category} indicator in {unit}, for benchmarks."))
    return pd.DataFrame(rows, columns=[f.name for f in schema.INDICATORS])


def _zipf_weights(n: int, s: float) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** s
    return w / w.sum()


def _strings(indices: np.ndarray, vocab: list[str] | np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """vocab[indices] as a plain string array (nulls where not `valid`), built by Arrow, not Python."""
    mask = None if valid is None else ~valid
    dictionary = pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32), mask=mask), pa.array(vocab))
    return dictionary.cast(pa.string())


def _hex_ids(n: int, seed: int) -> pa.Array:
    """n distinct 16-hex-digit ids (an odd multiplier mod 2**64 is a bijection)."""
    digits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    shifts = np.arange(60, -4, -4, dtype=np.uint64)
    mult = np.uint64(0x9E3779B97F4A7C15)
    chunks = []
    for start in range(0, n, 1_000_000):
        x = (np.arange(start, min(n, start + 1_000_000), dtype=np.uint64) + np.uint64(seed)) * mult
        chars = digits[((x[:, None] >> shifts) & np.uint64(0xF)).astype(np.uint8)]
        chunks.append(pa.array(np.ascontiguousarray(chars).view("S16").ravel(), type=pa.binary(16)))
    return pa.concat_arrays(chunks).cast(pa.binary()).cast(pa.string())


# --- claims --------------------------------------------------------------------------------------


def claims_table(n: int, seed: int = SEED) -> tuple[pa.Table, pd.DataFrame, list[str]]:
    """(claims sorted by country and year, the indicator catalogue, the document names)."""
    rng = np.random.default_rng(seed)
    codes, names = countries()
    catalogue = indicators(rng)
    n_docs = int(np.clip(n // 200, 20, 50_000))
    docs = [f"synthetic_{i:05d}.txt" for i in range(n_docs)]

    country = rng.choice(len(codes), n, p=_zipf_weights(len(codes), 0.9)).astype(np.int32)
    ind = rng.choice(N_INDICATORS, n, p=_zipf_weights(N_INDICATORS, 0.8)).astype(np.int32)
    span = YEARS[1] - YEARS[0]
    year = (YEARS[1] - np.minimum(rng.geometric(0.08, n) - 1, span)).astype(np.int32)
    has_year = rng.random(n) >= 0.1
    order = np.lexsort((np.where(has_year, year, YEARS[1] + 1), country))
    country, ind, year, has_year = country[order], ind[order], year[order], has_year[order]

    cat_of = catalogue["category"].to_numpy()
    unit_vocab, unit_of = np.unique(catalogue["unit"].to_numpy(), return_inverse=True)
    unit = unit_of[ind]
    unit_names = unit_vocab[unit]
    value = np.empty(n)
    is_pct = unit_names == "percent"
    is_rank = unit_names == "rank"
    is_count = np.isin(unit_names, ["count", "km", "Mbps"])
    is_money = ~(is_pct | is_rank | is_count)
    value[is_pct] = np.round(rng.uniform(0.5, 99.5, is_pct.sum()), 1)
    value[is_rank] = rng.integers(1, 194, is_rank.sum())
    value[is_count] = np.round(rng.lognormal(8, 2, is_count.sum()))
    value[is_money] = np.round(rng.lognormal(17, 2, is_money.sum()), -3)

    number = pc.cast(pa.array(value), pa.string())
    prefix = _strings(unit, [PREFIX.get(u, "") for u in unit_vocab])
    suffix = _strings(unit, [SUFFIX.get(u, "") for u in unit_vocab])
    as_written = pc.binary_join_element_wise(prefix, pc.replace_substring(number, ".0", ""), suffix, "")

    comparator = rng.choice(4, n, p=[0.85, 0.06, 0.04, 0.05])
    basis = np.where(rng.random(n) < 0.8, 0, 1)
    has_subject = rng.random(n) < 0.1
    subjects = [f"Programme {i} Digital Initiative" for i in range(300)]
    quote_start = rng.integers(0, 400_000, n)
    char_start = quote_start + rng.integers(0, 120, n)
    origin = np.where(rng.random(n) < 0.99, 0, 1)

    arrays = {
        "claim_id": _hex_ids(n, seed),
        "doc": _strings(rng.integers(0, n_docs, n), docs),
        "country": _strings(country, codes),
        "country_name": _strings(country, names),
        "indicator": _strings(ind, catalogue["id"].to_numpy()),
        "category": _strings(ind, cat_of),
        "value": pa.array(value),
        "as_written": as_written,
        "unit": pa.array(unit_names.astype(str)),
        "year": pa.array(year, mask=~has_year),
        "year_basis": _strings(basis, list(schema.YEAR_BASES), has_year),
        "comparator": _strings(comparator, list(schema.COMPARATORS)),
        "rank_of": pa.array(np.full(n, 193, dtype=np.int32), mask=~is_rank),
        "subject": _strings(rng.integers(0, len(subjects), n), subjects, has_subject),
        "quote": _strings(rng.integers(0, QUOTE_POOL, n), sentence_pool(seed, QUOTE_POOL)),
        "quote_start": pa.array(quote_start),
        "char_start": pa.array(char_start),
        "char_end": pa.array(char_start + rng.integers(2, 16, n)),
        "origin": _strings(origin, ["extracted", "corrected"]),
        "claim_type": _strings(np.zeros(n, dtype=np.int64), ["actual"]),
        "counterpart": pa.nulls(n, pa.string()),
    }
    frame = pa.table(arrays).to_pandas(types_mapper=pd.ArrowDtype)  # zero-copy: Arrow-backed columns
    del arrays
    return schema.to_table(frame, "claims"), catalogue, docs


def sources_frame(docs: list[str], claims: pa.Table) -> pd.DataFrame:
    counts = pc.value_counts(claims.column("doc")).to_pandas()
    n_claims = {row["values"]: row["counts"] for row in counts}
    rng = np.random.default_rng(len(docs))
    return pd.DataFrame({
        "doc": docs,
        "title": [f"Synthetic report {i}" for i in range(len(docs))],
        "publisher": rng.choice(["CAREC Secretariat", "ITU", "World Bank", "ADB"], len(docs)),
        "published": [date(2000 + i % 25, 1 + i % 12, 1) for i in range(len(docs))],
        "published_basis": "manifest",
        "place": "Manila, Philippines",
        "url": None,
        "n_claims": [int(n_claims.get(d, 0)) for d in docs],
    })


def ensure_store(rows: int, seed: int = SEED) -> Path:
    """The store with `rows` claims in benchmarks/out/store-<rows>/, built once and reused for the same seed."""
    target = out_dir() / f"store-{label_rows(rows)}"
    stamp = {"rows": rows, "seed": seed, "version": VERSION, "row_group_rows": ROW_GROUP_ROWS,
             "store_index": aggregates.STORE_INDEX_FORMAT, "clustered": 1}
    if _complete(target, stamp):
        return target
    temp = target.with_name(f"{target.name}.tmp-{os.getpid()}")  # per process: concurrent builds don't clash
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir(parents=True)
    claims, catalogue, docs = claims_table(rows, seed)
    pq.write_table(claims, temp / paths.CLAIMS_FILE, row_group_size=ROW_GROUP_ROWS)
    pq.write_table(schema.to_table(catalogue, "indicators"), temp / paths.INDICATORS_FILE)
    pq.write_table(schema.to_table(sources_frame(docs, claims), "sources"), temp / paths.SOURCES_FILE)
    write_for_dashboard(temp)  # as the ETL does: the dashboard's counts and clustered copies, beside the claims
    (temp / STAMP).write_text(json.dumps(stamp))
    return publish(temp, target, _complete(target, stamp))


def _complete(target: Path, stamp: dict) -> bool:
    try:
        same = json.loads((target / STAMP).read_text()) == stamp
    except (OSError, ValueError):
        return False
    return same and all((target / name).is_file() for name in paths.OUTPUT_FILES)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a seeded synthetic store to benchmarks/out/")
    parser.add_argument("--rows", default="10k", help="claim rows: 10k, 1m, 10m, ...")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path = ensure_store(parse_rows(args.rows), args.seed)
    size = sum(p.stat().st_size for p in path.glob("*.parquet")) / 1e6
    print(f"{path}: {parse_rows(args.rows):,} claims, {size:,.1f} MB of Parquet, "
          f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
