"""The sign of a change: "fell 3.2%" is stored as -3.2 (as_written stays "3.2%").

A change is a figure under a change indicator (`change_pct`, `change_percentage_points`,
growth rates) or a move in a ranking (unit `positions`). Its sign comes from the nearest
verb or noun of direction before it in its clause: a fall word makes it negative, a rise
word (or none) leaves it positive. A figure written with its own minus sign keeps it.
"""

from __future__ import annotations

import re

from etl.patterns import opening

CHANGE_UNITS = frozenset({"positions", "percentage_points"})
CHANGE_INDICATOR = re.compile(r"^change_|_change(?:_|$)|growth|_yoy$")

# Words of direction, English then Russian; the one nearest the figure decides.
FALL = (r"fell|fall(?:s|ing)?|drop(?:s|ped|ping)?|declin\w*|decreas\w*|down|lower(?:ed)?|los[est]\w*|lost|"
        r"shr[ai]nk\w*|shrunk|contract\w*|slid|slump\w*|plung\w*|plummet\w*|dipped|reduc\w*|cut(?:s|ting)?|"
        r"negative|minus|"
        r"снизил\w*|снижени\w*|сократил\w*|сокращени\w*|упал\w*|падени\w*|уменьшил\w*|уменьшени\w*|"
        r"опустил\w*|потерял\w*|ухудшил\w*")
RISE = (r"rose|rise[sn]?|rising|gain\w*|grew|grow\w*|increas\w*|up|climb\w*|jump\w*|surg\w*|soar\w*|improv\w*|"
        r"higher|boost\w*|advanc\w*|added|expand\w*|"
        r"вырос\w*|рост\w*|увеличил\w*|увеличени\w*|поднял\w*|подня\w*|прибав\w*|улучшил\w*")
DIRECTION = opening(rf"(?<!\w)(?:(?P<fall>{FALL})|(?P<rise>{RISE}))(?!\w)", re.I)
WINDOW = 80  # characters before the figure that can hold its verb
# "12% less than", "20 per cent lower", "на 5% меньше"
FALL_AFTER = re.compile(r"\s*(?:less|lower|fewer|smaller|cheaper|down|меньше|ниже)\b", re.I)
# "fell to 3.2%", "снизился до 5%": the level reached, not the change.
LEVEL_BEFORE = re.compile(r"(?:\bto|(?<!\w)до)\s*(?:just\s+|only\s+|about\s+|around\s+|some\s+)?$", re.I)


def is_change(indicator: str, unit: str) -> bool:
    """Does a figure with this indicator and unit measure a change (so that it has a sign)?"""
    return unit in CHANGE_UNITS or bool(CHANGE_INDICATOR.search(indicator))


def signed(value: float, indicator: str, unit: str, before: str, after: str = "") -> float:
    """`value` negated when it is a change whose nearest direction word in `before` is a fall, or one
    written "12% less" (a fall word right after it makes any figure a change)."""
    if value > 0 and FALL_AFTER.match(after):
        return -value
    if value <= 0 or not is_change(indicator, unit) or LEVEL_BEFORE.search(before):
        return value
    words = DIRECTION.findall(before[-WINDOW:])  # (fall, rise) pairs, one per direction word
    return -value if words and words[-1][0] else value
