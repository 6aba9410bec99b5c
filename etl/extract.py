"""Pure core of the ETL: a document's text in, its numeric claims out. (stub, being written)"""

from __future__ import annotations

from etl.claim import Claim


def extract_claims(text: str, reference_year: int | None = None) -> list[Claim]:
    """Every numeric claim in `text`; `reference_year` is the document's date, used as a last resort."""
    return []
