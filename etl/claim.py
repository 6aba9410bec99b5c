"""The in-memory shape of one recognized claim, before the pipeline adds doc and id."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Claim:
    """One numeric claim found in a document's text (offsets are into that text)."""

    country: str
    country_name: str
    indicator: str
    category: str
    value: float
    as_written: str
    unit: str
    year: int | None
    year_basis: str | None
    comparator: str
    rank_of: int | None
    subject: str | None
    quote: str
    quote_start: int
    char_start: int
    char_end: int
    claim_type: str = "actual"  # schema.CLAIM_TYPES
    counterpart: str | None = None  # investor, donor or lender of money

    def as_row(self) -> dict:
        # Not dataclasses.asdict: its recursive deep copy cost 14% of an ETL run.
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(f.name for f in fields(Claim))
