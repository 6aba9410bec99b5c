"""Reference dates stated in a document's text. (stub, being written)"""

from __future__ import annotations

import datetime as dt


def reference_date(text: str) -> dt.date | None:
    """The document's own date (dateline, "14 March 2024", "June 2025"), or None."""
    return None
