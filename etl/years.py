"""Years that a sentence states for its figures: "(2019)", "in 2022", "between 2019 and 2023".

A year inside a name ("Digital Kazakhstan 2025", "CAIGF-2022", "Telecom Law 2022")
is the name's, not the figure's, and is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.figures import MONTHS

YEAR = r"(?:19[5-9]\d|20\d\d)"
RANGE = re.compile(
    rf"(?:\b(?:between|from)\s+(?:(?:{MONTHS})\.?\s+)?(?P<a>{YEAR})\s+(?:and|to|until|through)\s+(?:(?:{MONTHS})\.?\s+)?(?P<b>{YEAR})\b"
    rf"|(?<![\w-])(?P<c>{YEAR})\s*[-–‑/]\s*(?P<d>{YEAR}|\d\d)(?![\w-]))",
    re.I,
)
# "FY2024" is a fiscal year, a year like any other.
SINGLE = re.compile(rf"(?:(?<=FY)|(?<=FY )|(?<![\w\-‑.,/$€£]))(?P<y>{YEAR})(?![\w\-‑%]|[.,]\d|\s?(?:%|per ?cent))")
# Capitalised words that may stand right before a year without making it part of a name.
FREE_BEFORE = frozenset(
    "in by since from to between and until during of for year fy as through till before after around "
    "mid end early late spring summer autumn fall winter q1 q2 q3 q4 h1 h2 the".split()
) | {m.lower() for m in MONTHS.split("|")}


HAS_YEAR = re.compile(r"(?:19|20)\d\d")
HYPHEN_NAME = re.compile(r"[A-Za-z][-‑]$")
WORD_BEFORE = re.compile(r"([A-Za-z][\w’'.&]*)\s+$")
SINCE_BEFORE = re.compile(r"\b(?:since|than(?:\s+in)?)\s+$", re.I)
EDITION_WORDS = frozenset("index report survey ranking rankings rating ratings edition census "
                          "egdi gii idi nri gci epi gtmi".split())  # an index named by its acronym


@dataclass(frozen=True, slots=True)
class YearMention:
    year: int
    start: int
    end: int
    first: int | None = None  # the range's first year, for "2019-2023" and "between 2019 and 2023"
    since: bool = False  # "since 2019": the start of an open period


def _named(text: str, start: int, floor: int) -> bool:
    before = text[max(floor, start - 40):start]
    if HYPHEN_NAME.search(before):  # "CAIGF-2022"
        return True
    m = WORD_BEFORE.search(before)
    if not m:
        return False
    word = m.group(1)
    if not word[0].isupper() or word.lower().rstrip(".") in FREE_BEFORE:
        return False
    if word.endswith(("'s", "’s", "'", "’")):  # "the World Bank's 2024 report": a possessive, not a name
        return False
    if word.lower() in EDITION_WORDS:  # "Global Cybersecurity Index 2020": the edition's year
        return False
    preceding = before[: m.start(1)].rstrip()
    # A capital that starts the sentence ("Since 2020", "Overall 2023 ...") is not a name.
    return bool(preceding) and preceding[-1] not in ".:;!?•*(\"“"


def find_years(text: str, start: int, end: int) -> list[YearMention]:
    """Years stated in text[start:end], each range as one mention ending on its last year."""
    if not HAS_YEAR.search(text, start, end):  # most sentences state no year: skip both scans
        return []
    found: list[YearMention] = []
    taken: list[tuple[int, int]] = []
    for m in RANGE.finditer(text, start, end):
        a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        first, last = int(a), int(b) if len(b) == 4 else int(a[:2] + b)
        # "between 2020 and 2023" after "... Index" is a period, not part of the name.
        if last <= first or (m.group("c") and _named(text, m.start(), start)):
            continue
        found.append(YearMention(last, m.start(), m.end(), first))
        taken.append((m.start(), m.end()))
    for m in SINGLE.finditer(text, start, end):
        if any(a <= m.start() < b for a, b in taken) or _named(text, m.start(), start):
            continue
        # "since 2019" opens a period; "more than in 2021" names a comparison base: neither dates a figure.
        since = bool(SINCE_BEFORE.search(text, max(start, m.start() - 20), m.start()))
        found.append(YearMention(int(m.group("y")), m.start(), m.end(), since=since))
    return sorted(found, key=lambda y: y.start)


# "(2025)", "(in 2021)", "(2021 baseline)", "(est. 2024)"
PAREN_YEAR = re.compile(rf"\s*\(\s*(?:in\s+|as of\s+|est\.?\s+|baseline\s+)?({YEAR})"
                        rf"(?:\s+(?:baseline|base year|est\.?|estimate|data|figures?|levels?))?\s*\)")


def paren_year(text: str, pos: int) -> int | None:
    """A year in parentheses right after a figure: '70% (2025)'."""
    m = PAREN_YEAR.match(text[pos:pos + 40])
    return int(m.group(1)) if m else None
