"""Pure core of the ETL: a document's text in, its numeric claims out.

This module only walks: tables, then blocks, then sentences. For each sentence that holds figures
it builds one immutable `SentenceContext`, and each decision is made in the module named for it:
`figures` (what the figure is: value, unit, comparator), `units` (units a label declares),
`countries` (whose figure it is), `years` (when) and `classify` (which indicator and category).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from etl import tables
from etl.changes import signed
from etl.claim import Claim
from etl.claim_types import claim_type
from etl.classify import figure_measure, figure_subject, sentence_nouns
from etl.context import Paragraph, SentenceContext, clause_of
from etl.counterparts import GIVING_HINT, figure_counterpart, foreign_giver
from etl.countries import (
    Mention,
    country_name,
    currency_countries,
    currency_unit,
    figure_countries,
    find_mentions,
    main_subject,
)
from etl.figures import find_figures, keep_figures, pair_figures
from etl.lang import YEAR_CARRIES, detect
from etl.schema import REGIONS
from etl.segment import Block, Span, clauses, layout
from etl.units import LABEL_VALUE, declare_before_nouns, declare_sentence_units
from etl.years import RELATIVE_YEAR, asides, figure_year, find_years, framing_year, sentence_years

PREVIOUS_CONTEXT = 600  # characters of earlier sentences that can name an index or a year
# A heading is read as a headline when it states money, a share, a rate, a speed or a scaled count.
HEADLINE_KINDS = frozenset({"money", "percent", "rate", "unit", "times"})
SCALED = re.compile(r"\d\s*[^\W\d_]|[^\W\d_]{3,}")  # "6.7m", "2 million", "five million"
SECTION_NUMBER = re.compile(r"\s*(?:\d+(?:\.\d+)*\.?\s|[IVXLC]+\.\s|(?:Chapter|Section|Part|Table|Figure|Box|"
                            r"Annex|Appendix|Pillar|Step|Stage|Phase)\b)", re.I)


def extract_claims(text: str, reference_year: int | None = None) -> list[Claim]:
    """Every numeric claim in `text`; `reference_year` is the document's date, used as a last resort."""
    return _Doc(text, reference_year).run()


class _Doc:
    """One document's text with the facts every sentence shares: its mentions and main subject."""

    def __init__(self, text: str, reference_year: int | None):
        self.text = text
        self.reference_year = reference_year
        self.mentions = find_mentions(text, places=True)
        self.starts = [m.start for m in self.mentions]
        self.layout = layout(text)
        self.paragraphs: dict[tuple[int, ...], Paragraph] = {}  # by a block's headings
        self.frequency = Counter(m.code for m in self.mentions if not m.weak and not m.place)
        # A country that gives money to another ("Japan adds $12 million to Kyrgyzstan's ...") is not what
        # the document is about: its mentions in those sentences do not count towards the main subject.
        self.givers: dict[tuple[int, int], str] = {}
        for block in self.layout.blocks:
            for sentence in block.sentences:
                if not GIVING_HINT.search(text, sentence.start, sentence.end):
                    continue
                code = foreign_giver(text, sentence.start, sentence.end, self._mentions(sentence.start, sentence.end))
                if code:
                    self.givers[(sentence.start, sentence.end)] = code
                    for m in self._mentions(sentence.start, sentence.end):
                        if m.code == code and not m.weak and not m.place and self.frequency[code] > 0:
                            self.frequency[code] -= 1
        # A document that names no country but a city ("ALMATY, 12 March —") is about that city's
        # country; one that names neither but prices in a national currency, about that currency's.
        self.document_year: int | None = None  # the last year a block framed, for blocks that state none
        self.main_country = main_subject(self.frequency or Counter(m.code for m in self.mentions if m.place)
                                         or currency_countries(text))

    def run(self) -> list[Claim]:
        claims: list[Claim] = []
        text, year, country = self.text, self.reference_year, self.main_country
        found_tables = tables.find_tables(text, self.layout)
        table_spans = [(t.start, t.end) for t in found_tables]
        for table in found_tables:
            paragraph = self._paragraph(table.block)
            title_years = find_years(table.title, 0, len(table.title))
            if title_years:  # "Table 4. ... expenditure by line, 2023"
                paragraph = paragraph._replace(heading_year=title_years[-1].year)
            title_countries = [m.code for m in find_mentions(table.title) if not m.weak]
            if title_countries:
                paragraph = paragraph._replace(heading_country=title_countries[0])
            claims.extend(tables.budget_claim(text, cell, paragraph, year, country) for cell in table.cells)
        # A spaced table the budget-table reader has already taken is not read twice.
        spaced = [c for c in tables.find_spaced_tables(text) if not any(a <= c.start < b for a, b in table_spans)]
        pipe_cells = tables.find_pipe_tables(text) + tables.find_bare_pipe_tables(text) + spaced
        for cell in pipe_cells:
            block = next((b for b in self.layout.blocks if b.start <= cell.row_start < max(b.end, b.start + 1)), None)
            paragraph = self._paragraph(block) if block else Paragraph()
            claims.extend(tables.pipe_claims(text, cell, paragraph, year, country))
        pipe_spans: dict[int, int] = {}
        for cell in pipe_cells:
            pipe_spans[cell.table_start] = max(pipe_spans.get(cell.table_start, 0), cell.row_end)
        table_spans += list(pipe_spans.items())
        for block in self.layout.blocks:
            # A headline states figures too ("Users Top Five Million", "Rs 6.33b Allocated In PSDP"); a
            # heading read as a sentence still heads the blocks under it.
            if any(a <= block.start < b for a, b in table_spans) or (
                    block.kind == "heading" and not self._headline(block)):
                continue
            found, framed = self._block(block, table_spans)
            claims.extend(found)
            self.document_year = framed or self.document_year
        claims.sort(key=lambda c: (c.char_start, c.country, c.indicator))
        return _dedupe(claims)

    def _headline(self, block: Block) -> bool:
        """Does a heading state a figure ("Rs 6.33b Allocated In PSDP", "Users Top Five Million"), not
        number a section ("5.1 Connectivity", "Pillar 1")?"""
        text = self.text
        if SECTION_NUMBER.match(text, block.start, block.end):
            return False
        figures = find_figures(text, block.start, block.end, block.start, detect(text, block.start, block.end))
        return any(f.kind in HEADLINE_KINDS or (f.kind == "count" and SCALED.search(text, f.start, f.end))
                   for f in figures)

    def _paragraph(self, block: Block) -> Paragraph:
        """What the block's headings say: their last country and year, and their text (read once for
        all the blocks under the same headings)."""
        if block.headings not in self.paragraphs:
            self.paragraphs[block.headings] = self._read_headings(block.headings)
        return self.paragraphs[block.headings]

    def _read_headings(self, headings: tuple[int, ...]) -> Paragraph:
        heading_country = heading_year = None
        texts = []
        for heading_index in reversed(headings):
            heading = self.layout.blocks[heading_index]
            texts.append(self.text[heading.start:heading.end])
            if heading_country is None:
                strong = [m for m in self._mentions(heading.start, heading.end) if not m.weak and not m.place]
                if strong:
                    heading_country = strong[-1].code
            if heading_year is None:
                years = find_years(self.text, heading.start, heading.end)
                if years:
                    heading_year = years[-1].year
        return Paragraph(heading_country=heading_country, heading_year=heading_year, heading_text=" | ".join(texts))

    def _mentions(self, start: int, end: int) -> list[Mention]:
        # Mentions are sorted by offset: bisect keeps long documents linear, not quadratic.
        return self.mentions[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    def _block(self, block: Block, table_spans: list[tuple[int, int]]) -> tuple[list[Claim], int | None]:
        """Claims of one paragraph or list item, sentence by sentence (each sentence leaves its
        country, year and measure to the next), and the year the block frames last."""
        text = self.text
        lang = detect(text, block.start, block.end)  # reports mix languages: each paragraph is read in its own
        # Russian news frames the year of its report once ("в 2018 году ...") for the paragraphs after.
        carried = self.document_year if YEAR_CARRIES.get(lang) else None
        paragraph = self._paragraph(block)._replace(document_year=carried)
        claims: list[Claim] = []
        previous = last_sentence = ""  # the last few sentences; the last that is not a "Label — 24.1" line
        for sentence in block.sentences:
            if any(sentence.start < b and a < sentence.end for a, b in table_spans):
                continue  # the table's own reader has taken these figures
            sentence_text = text[sentence.start:sentence.end]
            figures = find_figures(text, sentence.start, sentence.end, block.start, lang)
            figures = keep_figures(text, figures, sentence_text, previous, paragraph.heading_text, lang)
            years = find_years(text, sentence.start, sentence.end)
            parts = clauses(text, sentence.start, sentence.end, lang) if figures or years else []
            found_asides = asides(text, sentence.start, sentence.end, figures) if years and figures else ()
            if figures:
                found = self._sentence(sentence, parts, figures, years, paragraph, previous, lang, last_sentence)
                claims.extend(found)
                shares = [c for c in found if c.unit == "percent" and c.indicator != "share_pct"]
                if shares:
                    paragraph = paragraph._replace(percent_measure=(shares[-1].indicator, shares[-1].category))
            # The sentence's subject (its first country) carries on to the next sentences, if the
            # document names it more than in passing.
            giver = self.givers.get((sentence.start, sentence.end))
            strong = [m for m in self._mentions(sentence.start, sentence.end)
                      if not m.weak and not m.place and self.frequency[m.code] >= 2 and m.code not in REGIONS
                      and m.code != giver]
            if strong and strong[0].code != paragraph.country:
                paragraph = paragraph._replace(country=strong[0].code)
            framing = framing_year(text, parts, years, found_asides) if years else None
            if framing is not None and framing != paragraph.year:
                paragraph = paragraph._replace(year=framing)
            # Only the last few sentences give context; a bounded window keeps long paragraphs linear.
            previous = (previous + " " + sentence_text)[-PREVIOUS_CONTEXT:]
            if not LABEL_VALUE.match(sentence_text):  # the title line stays the source for the whole list
                last_sentence = sentence_text
        return claims, paragraph.year

    def _sentence(self, sentence: Span, parts: list[Span], figures: list, years: list, paragraph: Paragraph,
                  previous: str, lang: str, last_sentence: str) -> list[Claim]:
        text = self.text
        roles = pair_figures(text, figures)
        declare_before_nouns(text, sentence.start, figures)
        nouns = sentence_nouns(text, figures, sentence.start)
        abstract = declare_sentence_units(text, sentence.start, sentence.end, figures, nouns, last_sentence)
        starts = [c.start for c in parts]
        ctx = SentenceContext(
            text=text, sentence=sentence, clauses=tuple(parts), figures=tuple(figures), years=tuple(years),
            mentions=tuple(self._mentions(sentence.start, sentence.end)), paragraph=paragraph,
            reference_year=self.reference_year, main_country=self.main_country, previous=previous,
            roles=tuple(roles), figure_clauses=tuple(clause_of(sentence, parts, starts, f.start) for f in figures),
            year_facts=sentence_years(text, sentence.start, sentence.end, parts, figures, years), lang=lang,
        )
        claims: list[Claim] = []
        for i, figure in enumerate(figures):
            if i in abstract:
                continue  # "lists 3 priorities": a count of ideas, not a measured quantity
            year, basis = figure_year(ctx, i)
            countries = figure_countries(ctx, i)
            giver = None
            if figure.kind == "money":  # money's country is its recipient; the giver is its counterpart
                countries, giver = figure_counterpart(ctx, i, countries)
            elif countries == [self.givers.get((sentence.start, sentence.end))]:
                # "..., financed by a loan from China, has reached 3,200 km": not China's kilometres
                countries = figure_countries(ctx._replace(mentions=tuple(
                    m for m in ctx.mentions if m.code != countries[0])), i)
            indicator, category = figure_measure(ctx, i, nouns[i], claims)
            subject = figure_subject(ctx, i, indicator, nouns[i])
            clause = ctx.clause(i)
            kind = claim_type(text[clause.start:clause.end], category)
            if kind in ("target", "forecast") and basis == "inferred" and not RELATIVE_YEAR.search(
                    text, sentence.start, sentence.end):
                # A goal's year is the one it states ("by 2030", "by the end of the year"), not the context's.
                year, basis = None, None
            value = signed(figure.value, indicator, figure.unit, text[clause.start:figure.start],
                           text[figure.end:figure.end + 12])
            for code in countries:
                claims.append(Claim(
                    country=code, country_name=country_name(code), indicator=indicator, category=category,
                    value=value, as_written=text[figure.start:figure.end],
                    unit=currency_unit(figure.unit, code) if figure.kind == "money" else figure.unit,
                    year=year, year_basis=basis, comparator=figure.comparator, rank_of=figure.rank_of,
                    subject=subject, quote=text[sentence.start:sentence.end], quote_start=sentence.start,
                    char_start=figure.start, char_end=figure.end, claim_type=kind, counterpart=giver,
                ))
        return claims


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """Keep the first of a figure restated in the same document (a highlight repeated in the body);
    an undated restatement of a dated figure (a headline without its year) is the same figure."""
    def key(claim: Claim) -> tuple:
        # "Almost $90 million" in the body restates the headline's "$90 million": the comparator may differ.
        return claim.country, claim.indicator, claim.value, claim.unit, claim.subject

    dated = {key(c): c.char_end for c in claims if c.year is not None}
    seen: dict[tuple, int] = {}
    out = []
    for claim in claims:
        full = (*key(claim), claim.year)
        # A value stated twice side by side states two claims: "a US$10 million credit and a US$10 million grant".
        near = dated.get(key(claim))
        if (full in seen and not 0 <= claim.char_start - seen[full] <= SIDE_BY_SIDE) or (
                claim.year is None and near is not None and not 0 <= claim.char_start - near <= SIDE_BY_SIDE):
            continue
        seen[full] = claim.char_end
        out.append(claim)
    return out


SIDE_BY_SIDE = 30  # characters between two equal figures that are two claims, not a restatement
