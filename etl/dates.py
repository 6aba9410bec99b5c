"""Reference dates stated in a document's text: a dateline, "14 March 2024", "June 2025"."""

from __future__ import annotations

import datetime as dt
import re

MONTH_NUMBER = {
    name: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTH_NUMBER, key=len, reverse=True))
DATE_PATTERNS = [
    # 14 March 2024
    (re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH})\.?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I)),
    # March 14, 2024
    (re.compile(rf"\b(?P<m>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I)),
    # 2024-03-14
    (re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    # June 2025
    (re.compile(rf"\b(?P<m>{_MONTH})\.?\s+(?P<y>(?:19|20)\d\d)\b", re.I)),
]
# A dateline sits near the top; a signature date near the end. Search both, top first.
HEAD_CHARS = 1500
TAIL_CHARS = 800


def _parse(m: re.Match[str]) -> dt.date | None:
    month_raw = m.group("m")
    month = int(month_raw) if month_raw.isdigit() else MONTH_NUMBER[month_raw.lower()]
    day = int(m.groupdict().get("d") or 1)
    try:
        return dt.date(int(m.group("y")), month, day)
    except ValueError:
        return None


def reference_date(text: str) -> dt.date | None:
    """The document's own date (dateline, "14 March 2024", "June 2025"), or None."""
    for part in (text[:HEAD_CHARS], text[-TAIL_CHARS:]):
        for pattern in DATE_PATTERNS:
            for m in pattern.finditer(part):
                found = _parse(m)
                if found:
                    return found
    return None
