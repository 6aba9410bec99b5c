"""The in-memory shape of one recognized claim, before the pipeline adds doc and id."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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

    def as_row(self) -> dict:
        return asdict(self)
