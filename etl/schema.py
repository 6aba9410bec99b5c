"""The data contract: the one definition of every Parquet column the ETL writes.

The ETL casts every frame to these schemas and checks it before writing; the
dashboard checks what it reads against them; the README's data dictionary is
tested against `COLUMN_DOCS`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

CATEGORIES = ("penetration", "investment", "ranking", "budget", "other")
COMPARATORS = ("=", ">", "<", "~")
YEAR_BASES = ("stated", "inferred")
ORIGINS = ("extracted", "corrected", "added")
# What a figure is: a measured value, a goal, a prediction or an approximation someone made.
# Targets and forecasts are never charted or summed as actuals.
CLAIM_TYPES = ("actual", "target", "forecast", "estimate")

# User-assigned ISO 3166-1 alpha-3 codes (X..) for aggregates, plus the World
# Bank's WLD, so a region code can never collide with a real country's code.
REGIONS = {
    "XCA": "Central Asia",
    "XCR": "CAREC region",
    "XSC": "SCO member states",
    "XCS": "Central and South Asia",
    "XCI": "Commonwealth of Independent States",
    "XEA": "Eurasian Economic Union",
    "WLD": "World",
}

CLAIMS = pa.schema(
    [
        pa.field("claim_id", pa.string(), nullable=False),
        pa.field("doc", pa.string(), nullable=False),
        pa.field("country", pa.string(), nullable=False),
        pa.field("country_name", pa.string(), nullable=False),
        pa.field("indicator", pa.string(), nullable=False),
        pa.field("category", pa.string(), nullable=False),
        pa.field("value", pa.float64(), nullable=False),
        pa.field("as_written", pa.string(), nullable=False),
        pa.field("unit", pa.string(), nullable=False),
        pa.field("year", pa.int32()),
        pa.field("year_basis", pa.string()),
        pa.field("claim_type", pa.string(), nullable=False),
        pa.field("comparator", pa.string(), nullable=False),
        pa.field("rank_of", pa.int32()),
        pa.field("subject", pa.string()),
        pa.field("counterpart", pa.string()),
        pa.field("quote", pa.string(), nullable=False),
        pa.field("quote_start", pa.int64(), nullable=False),
        pa.field("char_start", pa.int64(), nullable=False),
        pa.field("char_end", pa.int64(), nullable=False),
        pa.field("origin", pa.string(), nullable=False),
    ]
)

INDICATORS = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("category", pa.string(), nullable=False),
        pa.field("unit", pa.string(), nullable=False),
        pa.field("definition", pa.string(), nullable=False),
    ]
)

SOURCES = pa.schema(
    [
        pa.field("doc", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("publisher", pa.string()),
        pa.field("published", pa.date32()),
        pa.field("published_basis", pa.string()),
        pa.field("place", pa.string()),
        pa.field("url", pa.string()),
        pa.field("n_claims", pa.int64(), nullable=False),
    ]
)

SCHEMAS = {"claims": CLAIMS, "indicators": INDICATORS, "sources": SOURCES}

COLUMN_DOCS = {
    "claims": {
        "claim_id": "Stable id: hash of document, figure offsets and indicator; same input gives same ids.",
        "doc": "File name of the document in `data/raw/`.",
        "country": "ISO 3166-1 alpha-3 code, or a region code from the table below; for money, the recipient.",
        "country_name": "Readable name of `country`.",
        "indicator": "snake_case indicator id; see `indicators.parquet`.",
        "category": "penetration | investment | ranking | budget | other.",
        "value": "The figure fully scaled: `$1B` is 1000000000, `96%` is 96, `48th` is 48; "
        "a fall is negative (`fell 3.2%` is -3.2).",
        "as_written": "The figure exactly as the document writes it (`\\$1B`, `more than half`).",
        "unit": "percent, USD, rank, count, or another plain unit; "
        "other money keeps its ISO 4217 code (KZT, PKR, EUR).",
        "year": "Year the value refers to; null when unknown.",
        "year_basis": "`stated` (the sentence, item or heading gives the year), "
        "`inferred` (from the paragraph or the publication date) or null.",
        "claim_type": "`actual`, `target` (aims to reach), `forecast` (is expected to reach) or `estimate`.",
        "comparator": "`=`, `>` (more than), `<` (under), `~` (about).",
        "rank_of": "N in \"28th out of N\"; null otherwise.",
        "subject": "What the figure is about beyond the indicator: a programme, budget line or platform; "
        "null when none.",
        "counterpart": "Investor, donor or lender of money: ISO alpha-3 or an organisation name "
        "(`World Bank`, `ADB`); null otherwise.",
        "quote": "The sentence or list item the claim comes from, exactly as in the document.",
        "quote_start": "Offset of `quote` in the document's text.",
        "char_start": "Offset of the figure's first character in the document's text.",
        "char_end": "Offset just past the figure's last character.",
        "origin": "`extracted`, `corrected` (edited by a curation) or `added` (added by a curation).",
    },
    "indicators": {
        "id": "Indicator id, as in `claims.indicator`.",
        "label": "Human-readable name.",
        "category": "Category of the indicator.",
        "unit": "Unit most claims of this indicator use.",
        "definition": "One sentence saying what is counted.",
    },
    "sources": {
        "doc": "File name of the document.",
        "title": "Title from the manifest, else the document's first line.",
        "publisher": "Publisher from the manifest.",
        "published": "Reference date: the manifest's, else a date stated in the text, else null.",
        "published_basis": "`manifest`, `text` or null.",
        "place": "Place of publication from the manifest.",
        "url": "Where the document was found.",
        "n_claims": "Number of claims in `claims.parquet` from this document.",
    },
}


class SchemaError(ValueError):
    """A table does not match the data contract."""


@dataclass(frozen=True)
class Rule:
    column: str
    allowed: tuple[str, ...]


ENUM_RULES = {
    "claims": (
        Rule("category", CATEGORIES),
        Rule("comparator", COMPARATORS),
        Rule("year_basis", YEAR_BASES),
        Rule("claim_type", CLAIM_TYPES),
        Rule("origin", ORIGINS),
    ),
    "indicators": (Rule("category", CATEGORIES),),
    "sources": (),
}


def empty_frame(name: str) -> pd.DataFrame:
    """A zero-row frame with the columns and dtypes of table `name`."""
    return SCHEMAS[name].empty_table().to_pandas()


def to_table(frame: pd.DataFrame, name: str) -> pa.Table:
    """Cast `frame` to the schema of table `name` and check it, or raise SchemaError."""
    schema = SCHEMAS[name]
    missing = [f.name for f in schema if f.name not in frame.columns]
    if missing:
        raise SchemaError(f"{name}: missing columns {missing}")
    try:
        table = pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
        raise SchemaError(f"{name}: cannot cast to the data contract: {exc}") from exc
    check(table, name)
    return table


def check(table: pa.Table, name: str) -> None:
    """Raise SchemaError if `table` breaks the contract of table `name`."""
    schema = SCHEMAS[name]
    if not table.schema.remove_metadata().equals(schema):
        got = {f.name: str(f.type) for f in table.schema}
        want = {f.name: str(f.type) for f in schema}
        raise SchemaError(f"{name}: columns or types differ from the contract; got {got}, expected {want}")
    for field in schema:
        if not field.nullable and table.column(field.name).null_count:
            raise SchemaError(f"{name}.{field.name}: {table.column(field.name).null_count} null values")
    for rule in ENUM_RULES[name]:
        values = set(table.column(rule.column).drop_null().unique().to_pylist())
        bad = values - set(rule.allowed)
        if bad:
            raise SchemaError(f"{name}.{rule.column}: unexpected values {sorted(bad)}; allowed {rule.allowed}")
    if name == "claims" and table.num_rows:
        if not pc.all(pc.is_finite(table.column("value"))).as_py():
            raise SchemaError("claims.value: non-finite values")
        if pc.count_distinct(table.column("claim_id")).as_py() != table.num_rows:
            raise SchemaError("claims.claim_id: ids are not unique")
