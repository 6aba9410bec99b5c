"""The small, immutable contexts that the recognizer's decisions read.

`extract` walks blocks and sentences and builds one `SentenceContext` per sentence that holds
figures; `years.figure_year`, `countries.figure_countries` and `classify.figure_measure` each
decide from it alone, so a decision can be tested on a context built in a few lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from etl.countries import Mention
from etl.figures import Figure
from etl.lang import ru
from etl.segment import Span
from etl.years import SentenceYears, YearMention

RUN_JOIN = re.compile(rf"\s*(?:,\s*(?:and\s+|{ru.AND}\s+)?|and\s+|&\s+|{ru.AND}\s+)$")


class Paragraph(NamedTuple):
    """What earlier sentences of the block and its headings say, for figures whose sentence is silent."""

    country: str | None = None
    year: int | None = None
    heading_country: str | None = None
    heading_year: int | None = None
    heading_text: str = ""
    percent_measure: tuple[str, str] | None = None  # (indicator, category) of the last percentage read
    document_year: int | None = None  # the last year an earlier block framed


class SentenceContext(NamedTuple):
    """One sentence with its figures, and everything a decision about one of them may read."""

    text: str  # the whole document: offsets index it
    sentence: Span
    clauses: tuple[Span, ...]
    figures: tuple[Figure, ...]
    years: tuple[YearMention, ...]  # years stated in the sentence
    mentions: tuple[Mention, ...]  # countries, regions, world words and cities in the sentence
    paragraph: Paragraph
    reference_year: int | None  # the document's date
    main_country: str  # the document's main subject
    previous: str = ""  # the last few sentences of the block
    roles: tuple[str | None, ...] = ()  # "from" / "to" for each figure of a "from X to Y" pair
    figure_clauses: tuple[Span, ...] = ()  # the clause of each figure
    year_facts: SentenceYears | None = None  # parenthesised years, comparison clauses, a closing year
    lang: str = "en"  # the paragraph's language (a code of `etl.lang`)

    def clause(self, i: int) -> Span:
        """The clause that holds figure i."""
        return self.figure_clauses[i]

    def run(self, i: int) -> list[int]:
        """Indices of the run of same-kind figures joined by ',' or 'and' that holds figure i."""
        return figure_run(self.text, self.figures, i)


def clause_of(sentence: Span, parts: list[Span] | tuple[Span, ...], starts: list[int], pos: int) -> Span:
    """The clause that holds offset `pos` (the sentence when the clauses do not cover it)."""
    at = bisect_right(starts, pos) - 1
    if at >= 0 and pos < parts[at].end:
        return parts[at]
    return Span(sentence.start, sentence.end)


def figure_run(text: str, figures: tuple[Figure, ...] | list[Figure], index: int) -> list[int]:
    """Indices of the run of same-kind figures joined by ',' or 'and' that holds figures[index]."""
    kind, start, end = figures[index].kind, index, index
    while start > 0 and figures[start - 1].kind == kind and \
            RUN_JOIN.match(text, figures[start - 1].end, figures[start].start):
        start -= 1
    while end + 1 < len(figures) and figures[end + 1].kind == kind and \
            RUN_JOIN.match(text, figures[end].end, figures[end + 1].start):
        end += 1
    return list(range(start, end + 1))
