"""Each decision is a pure function over a small sentence context built here in a few lines."""

from __future__ import annotations

import pytest

from etl.classify import figure_measure
from etl.context import Paragraph, SentenceContext, clause_of
from etl.countries import figure_countries, find_mentions
from etl.figures import find_figures
from etl.segment import Span, clauses
from etl.years import figure_year, find_years, sentence_years


def context(text: str, paragraph: Paragraph | None = None, reference_year: int | None = None) -> SentenceContext:
    figures = find_figures(text, 0, len(text))
    parts = clauses(text, 0, len(text))
    sentence = Span(0, len(text))
    starts = [c.start for c in parts]
    return SentenceContext(
        text=text, sentence=sentence, clauses=tuple(parts), figures=tuple(figures),
        years=tuple(find_years(text, 0, len(text))), mentions=tuple(find_mentions(text, places=True)),
        paragraph=paragraph or Paragraph(), reference_year=reference_year, main_country="WLD",
        roles=(None,) * len(figures),
        figure_clauses=tuple(clause_of(sentence, parts, starts, f.start) for f in figures),
        year_facts=sentence_years(text, 0, len(text), parts, figures),
    )


@pytest.mark.parametrize("text, paragraph, reference_year, expected", [
    ("Internet penetration reached 88% in 2023.", Paragraph(), None, (2023, "stated")),
    ("Internet penetration reached 88% (2021).", Paragraph(year=2023), None, (2021, "stated")),
    ("Internet penetration reached 88%.", Paragraph(year=2022), 2024, (2022, "inferred")),
    ("Internet penetration reached 88%.", Paragraph(heading_year=2020), 2024, (2020, "stated")),
    # The publication year dates only a present stock.
    ("Internet penetration reached 88%.", Paragraph(), 2024, (None, None)),
    ("Internet penetration is 88%.", Paragraph(), 2024, (2024, "inferred")),
    ("Internet penetration reached 88%.", Paragraph(), None, (None, None)),
    ("Internet penetration has reached 88% since 2019.", Paragraph(), None, (None, None)),
])
def test_figure_year(text, paragraph, reference_year, expected):
    assert figure_year(context(text, paragraph, reference_year), 0) == expected


@pytest.mark.parametrize("text, paragraph, expected", [
    ("Kazakhstan invested $500 million.", Paragraph(), ["KAZ"]),
    ("The ministry invested $500 million.", Paragraph(country="UZB"), ["UZB"]),
    ("The ministry invested $500 million.", Paragraph(heading_country="KGZ"), ["KGZ"]),
    ("The ministry invested $500 million.", Paragraph(), ["WLD"]),
    ("Georgia and Armenia each invested $5 million.", Paragraph(), ["GEO", "ARM"]),
    ("Globally, 67% of people use the internet.", Paragraph(country="KAZ"), ["WLD"]),
])
def test_figure_countries(text, paragraph, expected):
    assert figure_countries(context(text, paragraph), 0) == expected


@pytest.mark.parametrize("text, expected", [
    ("Internet penetration reached 88%.", ("internet_penetration_pct", "penetration")),
    ("The state budget allocated $20 million.", ("budget_amount", "budget")),
    ("Kazakhstan ranked 24th in the EGDI.", ("egdi_rank", "ranking")),
])
def test_figure_measure(text, expected):
    assert figure_measure(context(text), 0, None, []) == expected
