"""The indicator catalogue: id -> label, category, unit, definition. (being written)"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    category: str
    unit: str
    definition: str


CATALOGUE: dict[str, Indicator] = {}


def describe(indicator_id: str, category: str = "other", unit: str = "count") -> Indicator:
    """The catalogue entry for `indicator_id`, or a plain one derived from the id."""
    known = CATALOGUE.get(indicator_id)
    if known:
        return known
    label = indicator_id.replace("_", " ").capitalize()
    return Indicator(indicator_id, label, category, unit, f"{label}, as stated in the source document.")
