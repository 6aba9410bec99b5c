"""Languages the recognizer reads, each a module of tables over one shared core.

A language module (`en`, `ru`) holds data only: number grammar, scale words, currencies, units,
comparators, number words, month names and the cue words of countries, years and indicators. The
core modules (`etl.figures`, `etl.countries`, `etl.years`, `etl.classify`) compile their patterns
from these tables. Adding a language (Kazakh, Uzbek) is a new module with the same names, listed in
`LANGUAGES`, and a row in `SCRIPTS` if its letters tell it apart; no branch in the core.
"""

from __future__ import annotations

import re

LANGUAGES = ("en", "ru")
DEFAULT = "en"
# Letters that tell a language apart, checked in order: the first whose letters make up at least
# half of a paragraph's letters is its language.
SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (("ru", re.compile(r"[А-Яа-яЁё]")),)
# Does a paragraph that states no year take the year an earlier paragraph (or the headline) framed?
# News in both languages frames its year once ("In 2020 ...", a headline's "end-2013") for what follows;
# the publication year dates only a present stock (`etl.years.states_present_stock`).
YEAR_CARRIES = {"en": True, "ru": True}
LETTER = re.compile(r"[^\W\d_]")


def detect(text: str, start: int = 0, end: int | None = None) -> str:
    """The language of text[start:end] (a paragraph): by the script of its letters."""
    end = len(text) if end is None else end
    if not any(pattern.search(text, start, end) for _, pattern in SCRIPTS):
        return DEFAULT  # one scan settles most English paragraphs
    letters = len(LETTER.findall(text, start, end))
    for code, pattern in SCRIPTS:
        if letters and len(pattern.findall(text, start, end)) * 2 >= letters:
            return code
    return DEFAULT
