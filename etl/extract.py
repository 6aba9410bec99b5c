"""Pure core of the ETL: a document's text in, its numeric claims out.

For every figure the recognizer finds, the words around it decide the rest:
country from the nearest mention (clause, sentence, paragraph, heading, then the
document's main subject), year from what the text states (parenthesis, clause,
sentence, paragraph, heading, then the publication year), indicator from the
classification tables.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from etl import tables
from etl.claim import Claim
from etl.classify import classify, count_noun, count_noun_before
from etl.countries import Mention, country_name, find_mentions
from etl.figures import (
    ABSTRACT_NOUNS,
    CURRENCY_PREFIX,
    CURRENCY_SUFFIX,
    NUM,
    RANK_CONTEXT,
    SCALES,
    Figure,
    find_figures,
    parse_number,
)
from etl.schema import REGIONS
from etl.segment import Block, Span, clauses, layout
from etl.years import YearMention, find_years, paren_year

FROM_TO = re.compile(
    r"^\s*(?:\(\s*(?:in\s+|baseline\s+)?(?:19|20)\d\d(?:\s+(?:baseline|base year|est\.?|estimate))?\s*\)"
    r"|(?:in|by)\s+(?:19|20)\d\d)?\s*,?\s*(?:to|until|→|->)\s+$", re.I)
COMPARISON_CLAUSE = re.compile(r"(?:(?:but|and|while|yet)\s+)?(?:compared|as against|against|versus|vs\.?|"
                               r"(?:up|down|rising|falling|\d[\d.,]*%?)\s+(?:from|on)|from)\b", re.I)
# "manat" is Azerbaijan's and Turkmenistan's, "som" Kyrgyzstan's and (as so'm) Uzbekistan's.
SHARED_CURRENCY = {("AZN", "TKM"): "TMT", ("KGS", "UZB"): "UZS", ("PKR", "IND"): "INR", ("INR", "PAK"): "PKR"}
RANK_STEPS = frozenset({"places", "positions", "spots", "notches", "ranks"})
PER_PEOPLE = re.compile(r"per\s+(?:100|1,?000)\s+(?:people|inhabitants|inhab\.|inh\.|population|residents|households)",
                        re.I)
DECLARED_PERCENT = re.compile(r"\((?:%|per ?cent|percent)[^)]*\)\s*:")
PREVIOUS_CONTEXT = 600  # characters of earlier sentences that can name an index or a year
RELATIVE_YEAR = re.compile(r"\b(last|this|next|previous|past)\s+year\b", re.I)
RELATIVE_OFFSET = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1}
HEADER_CURRENCY = re.compile(r"\b(USD|EUR|KZT|UZS|KGS|TJS|AZN|GEL|MNT|PKR|CNY|RUB|TMT)\b|(US\$|\$|€|₸)"
                             r"|\b(soums?|sum|tenge|manats?|lari|somoni|rubles|roubles|yuan|dollars|euros)\b", re.I)
EARLIER_VALUE = re.compile(
    r"\b(?:(?:up|down|rising|falling|increasing|decreasing|compared)\s+(?:from|with|to)|against|versus|vs\.?)\s+"
    r"(?:just\s+|only\s+|some\s+)?"
    r"(?:(?:a|an|the)\s+)?(?:(?:world|global|regional|national|\w+)\s+average\s+of\s+)?$", re.I)
FROM_BEFORE = re.compile(r"\b(?:from)\s+$", re.I)
# "the global average of 67%", "a regional median of 12%": a value of the same measure elsewhere.
AVERAGE_BEFORE = re.compile(r"\b(?:average|median|mean|figure|level)\s+(?:(?:of|at|was|is|stood\s+at)\s+)?$", re.I)
# "the share was 84.1%", "that figure had reached 83%": the measure of an earlier sentence.
ANAPHOR = re.compile(r"\b(?:th(?:at|is|e|ese|ose)\s+(?:same\s+|corresponding\s+|equivalent\s+)?"
                     r"(?:figures?|shares?|rates?|proportions?|numbers?)|the\s+same)\b(?!\s+(?:of|for)\b)", re.I)
# "86% five years earlier", "two years later that figure had reached 83%": a year counted from another.
YEARS_APART = re.compile(r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years?\s+"
                         r"(earlier|before|previously|later|on|afterwards)\b", re.I)
SMALL_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}
# "Georgia — 24.1", "Mongolia: 78.5": one line of a list whose title line declares the unit.
LABEL_VALUE = re.compile(r"[^\d\n]{2,80}?(?:\s*[:—–-]|\s*\.{3,})\s*[\d.,\s]+(?:%|\+|km|MW|Mbps|Gbps)?\s*$")
# A document that names no country but prices in a national currency is about that country.
CURRENCY_COUNTRY = {"KZT": "KAZ", "UZS": "UZB", "KGS": "KGZ", "TJS": "TJK", "TMT": "TKM", "AZN": "AZE",
                    "GEL": "GEO", "MNT": "MNG", "PKR": "PAK", "AFN": "AFG", "AMD": "ARM"}
# A sentence that ends ", in 2024." dates every figure in it that states no year of its own.
TRAILING_YEAR = re.compile(r",\s*(?:in|as of|by the end of|at the end of|during)\s+((?:19|20)\d\d)\s*[.!?]?\s*$",
                           re.I)
NOW = re.compile(r"\b(?:now|currently|today|at present|to date)\b", re.I)
LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|&\s+|[-‑–/]\s*)$")
EACH = re.compile(r"\b(?:each|both|all three|all four|respectively)\b", re.I)
QUOTED_NAME = re.compile(r"[\"“«]([^\"”»]{3,80})[\"”»]")
PROGRAMME = re.compile(
    r"((?:[A-Z][\w’'-]*\s+){1,6}(?:[Pp]rogram(?:me)?|[Pp]roject|[Ii]nitiative|[Ff]und|[Ss]trategy|[Pp]lan|[Pp]latform"
    r"|[Cc]orridor|[Ss]ystem))")
CHANGE_OBJECT = re.compile(
    r"(?:reduc\w*|cut\w*|increas\w*|improv\w*|boost\w*|rais\w*|lower\w*|shorten\w*)\s+((?:[\w-]+\s+){1,4}?)by\s+\S*$",
    re.I)


@dataclass(slots=True)
class Context:
    """What earlier text in the block and the headings say, for figures whose sentence is silent."""

    country: str | None = None
    year: int | None = None
    heading_country: str | None = None
    heading_year: int | None = None
    heading_text: str = ""
    percent_measure: tuple[str, str] | None = None  # (indicator, category) of the last percentage read
    last_sentence: str = ""  # the sentence before, in this block


def extract_claims(text: str, reference_year: int | None = None) -> list[Claim]:
    """Every numeric claim in `text`; `reference_year` is the document's date, used as a last resort."""
    doc = _Doc(text, reference_year)
    return doc.run()


class _Doc:
    def __init__(self, text: str, reference_year: int | None):
        self.text = text
        self.reference_year = reference_year
        self.mentions = find_mentions(text, places=True)
        self.starts = [m.start for m in self.mentions]
        self.relative_cache: dict[tuple[int, int], re.Match[str] | None] = {}
        self.clause_cache: tuple[Span | None, list[Span]] = (None, [])
        self.layout = layout(text)
        self.frequency = Counter(m.code for m in self.mentions if not m.weak and not m.place)
        # A document that names no country but a city ("ALMATY, 12 March —") is about that city's
        # country; one that names neither but prices in a national currency, about that currency's.
        self.main_country = _main_subject(self.frequency or Counter(m.code for m in self.mentions if m.place)
                                          or _currency_countries(text))

    def run(self) -> list[Claim]:
        claims: list[Claim] = []
        found_tables = tables.find_tables(self.text, self.layout)
        table_spans = [(t.start, t.end) for t in found_tables]
        for table in found_tables:
            context = self._context(table.block)
            title_years = find_years(table.title, 0, len(table.title))
            if title_years:  # "Table 4. ... expenditure by line, 2023"
                context.heading_year = title_years[-1].year
            title_countries = [m.code for m in find_mentions(table.title) if not m.weak]
            if title_countries:
                context.heading_country = title_countries[0]
            for cell in table.cells:
                claims.append(self._table_claim(cell, context))
        # A spaced table the budget-table reader has already taken is not read twice.
        spaced = [c for c in tables.find_spaced_tables(self.text)
                  if not any(a <= c.start < b for a, b in table_spans)]
        pipe_cells = tables.find_pipe_tables(self.text) + spaced
        for cell in pipe_cells:
            claims.extend(self._pipe_claims(cell))
        pipe_spans: dict[int, int] = {}
        for cell in pipe_cells:
            pipe_spans[cell.table_start] = max(pipe_spans.get(cell.table_start, 0), cell.row_end)
        table_spans += list(pipe_spans.items())
        for index, block in enumerate(self.layout.blocks):
            if block.kind == "heading":
                continue
            if any(a <= block.start < b for a, b in table_spans):
                continue
            claims.extend(self._block(index, block, table_spans))
        claims.sort(key=lambda c: (c.char_start, c.country, c.indicator))
        return _dedupe(claims)

    # -- context --------------------------------------------------------------------------------
    def _context(self, block: Block) -> Context:
        context = Context()
        texts = []
        for heading_index in reversed(block.headings):
            heading = self.layout.blocks[heading_index]
            texts.append(self.text[heading.start:heading.end])
            if context.heading_country is None:
                strong = [m for m in self._mentions(heading.start, heading.end) if not m.weak and not m.place]
                if strong:
                    context.heading_country = strong[-1].code
            if context.heading_year is None:
                years = find_years(self.text, heading.start, heading.end)
                if years:
                    context.heading_year = years[-1].year
        context.heading_text = " | ".join(texts)
        return context

    def _clauses(self, sentence: Span) -> list[Span]:
        """A sentence's clauses, split once: the figures and the year context both need them."""
        if self.clause_cache[0] != sentence:
            self.clause_cache = (sentence, clauses(self.text, sentence.start, sentence.end))
        return self.clause_cache[1]

    def _mentions(self, start: int, end: int) -> list[Mention]:
        # Mentions are sorted by offset: bisect keeps long documents linear, not quadratic.
        return self.mentions[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    # -- one paragraph or list item ---------------------------------------------------------------
    def _block(self, index: int, block: Block, table_spans: list[tuple[int, int]]) -> list[Claim]:
        context = self._context(block)
        claims: list[Claim] = []
        previous_text = ""
        for sentence in block.sentences:
            if any(sentence.start < b and a < sentence.end for a, b in table_spans):
                continue  # the table's own reader has taken these figures
            sentence_text = self.text[sentence.start:sentence.end]
            figures = find_figures(self.text, sentence.start, sentence.end, block.start)
            figures = self._keep(figures, sentence_text, previous_text, context)
            years = find_years(self.text, sentence.start, sentence.end)
            if figures:
                found = self._sentence(sentence, figures, context, previous_text, years)
                claims.extend(found)
                shares = [c for c in found if c.unit == "percent" and c.indicator != "share_pct"]
                if shares:
                    context.percent_measure = (shares[-1].indicator, shares[-1].category)
            # The sentence's subject (its first country) carries on to the next sentences, if the
            # document names it more than in passing.
            strong = [m for m in self._mentions(sentence.start, sentence.end)
                      if not m.weak and not m.place and self.frequency[m.code] >= 2 and m.code not in REGIONS]
            if strong:
                context.country = strong[0].code
            stated = [y for y in years if not y.since]
            if stated:
                # The year a later sentence inherits frames this one ("In 2024, ..."); the year of a
                # comparison ("up from 84% in 2021") belongs to the compared value only.
                comparisons = [c for c in self._clauses(sentence)
                               if COMPARISON_CLAUSE.match(self.text, c.start, c.end)]
                framing = [y for y in stated if not any(c.start <= y.start < c.end for c in comparisons)]
                context.year = (framing or stated)[-1].year
            # Only the last few sentences give context; a bounded window keeps long paragraphs linear.
            previous_text = (previous_text + " " + sentence_text)[-PREVIOUS_CONTEXT:]
            if not LABEL_VALUE.match(sentence_text):  # the title line stays the source for the whole list
                context.last_sentence = sentence_text
        return claims

    def _keep(self, figures: list[Figure], sentence: str, previous: str, context: Context) -> list[Figure]:
        """Drop ranks with no ranking in sight and word fractions restated as a percentage."""
        kept = []
        for i, figure in enumerate(figures):
            if figure.kind == "rank" and figure.rank_of is None:
                paired = self._paired(figures, i)
                if not paired and not (RANK_CONTEXT.search(sentence) or RANK_CONTEXT.search(previous)
                                       or RANK_CONTEXT.search(context.heading_text)):
                    continue
            if figure.kind == "percent" and not self.text[figure.start].isdigit() and i + 1 < len(figures):
                nxt = figures[i + 1]
                between = self.text[figure.end:nxt.start]
                if nxt.kind == "percent" and re.fullmatch(r"\s*\(\s*", between):
                    continue  # "about half (49.7 per cent)": the precise figure is the claim
            kept.append(figure)
        return kept

    def _paired(self, figures: list[Figure], i: int) -> bool:
        """Is figure i one side of 'from X to Y'?"""
        if i + 1 < len(figures) and FROM_TO.match(self.text[figures[i].end:figures[i + 1].start]):
            return True
        return i > 0 and bool(FROM_TO.match(self.text[figures[i - 1].end:figures[i].start]))

    def _sentence(self, sentence: Span, figures: list[Figure], context: Context, previous: str,
                  years: list[YearMention]) -> list[Claim]:
        text = self.text
        parts = self._clauses(sentence)
        mentions = self._mentions(sentence.start, sentence.end)
        roles = _from_to_roles(text, figures)
        for i in range(len(figures) - 1):  # "between 20% and 25%": the value lies within
            a, b = figures[i], figures[i + 1]
            if (a.kind == b.kind and re.fullmatch(r"\s+and\s+", text[a.end:b.start])
                    and re.search(r"\bbetween\s+$", text[max(0, a.start - 9):a.start], re.I)):
                a.comparator, b.comparator = ">", "<"
                _share_scale(text, a, b)  # "between $20 and $25 million": both in millions
            elif roles[i] == "from" and roles[i + 1] == "to":
                _share_scale(text, a, b)
        _attach_rank_of(text, figures)
        per_people = PER_PEOPLE.search(text, sentence.start, sentence.end)
        for i, figure in enumerate(figures):  # "per cent of population: 21.3 (2020); ... per 100 inhabitants: 162"
            prefix = text[figures[i - 1].end if i else sentence.start:figure.start]
            if figure.kind == "count" and prefix.rstrip().endswith(":") and count_noun(text, figure.end) is None:
                _declare_unit(figure, prefix)
        trailing = TRAILING_YEAR.search(text, sentence.start, sentence.end)
        trailing_year = int(trailing.group(1)) if trailing else None
        claims = []
        own = [self._noun(f) for f in figures]
        # "200 offline and 350 online participants": borrow the noun of the next count, else of the
        # one before ("of 363 municipalities, 105 can"), else a noun earlier in the sentence.
        # Two linear passes, so a sentence with hundreds of figures stays cheap.
        following: list[str | None] = [None] * len(figures)
        carry = None
        for i in range(len(figures) - 1, -1, -1):
            following[i] = carry
            if own[i] and figures[i].kind == "count":
                carry = own[i]
        nouns = list(own)
        carry = None
        for i, figure in enumerate(figures):
            if figure.kind == "count" and nouns[i] is None:
                nouns[i] = following[i] or carry or count_noun_before(text, figure.start, sentence.start)
            if own[i] and figure.kind == "count":
                carry = own[i]
        clause_starts = [c.start for c in parts]
        paren_years = {paren_year(text, f.end) for f in figures} - {None}
        comparisons = [c for c in parts if COMPARISON_CLAUSE.match(text, c.start, c.end)]
        declared = DECLARED_PERCENT.search(text, sentence.start, sentence.end)
        if context.last_sentence and len(figures) == 1 and figures[0].kind == "count" and \
                LABEL_VALUE.match(text, sentence.start, sentence.end):
            _declare_unit(figures[0], context.last_sentence)  # "Fixed broadband per 100 people, 2024\nGeorgia — 24.1"
        for i, figure in enumerate(figures):
            if declared and figure.kind == "count" and figure.start > declared.end() and \
                    count_noun(text, figure.end) is None:
                figure.kind, figure.unit = "percent", "percent"  # "(% of adults, 2021): KAZ 41, UZB 12"
            if per_people and figure.kind == "count" and figure.start > per_people.start() and \
                    count_noun(text, figure.end) is None and \
                    figure.value < 2000 and not any(ch.isalpha() for ch in text[figure.start:figure.end]):
                base = re.search(r"per\s+(100|1,?000)", per_people.group(0)).group(1).replace(",", "")
                figure.kind, figure.unit = "rate", f"per {base} people"  # "per 100 people ... Kazakhstan (128)"
            if figure.kind == "count" and nouns[i] in RANK_STEPS:
                figure.unit = "rank"  # "rose four places to 55th": a move in a ranking, not a position
            if figure.kind == "count" and nouns[i] in ABSTRACT_NOUNS:
                continue  # "lists 3 priorities": a count of ideas, not a measured quantity
            at = bisect_right(clause_starts, figure.start) - 1
            clause = parts[at] if at >= 0 and figure.start < parts[at].end else Span(sentence.start, sentence.end)
            clause_text = text[clause.start:clause.end]
            sentence_text = text[sentence.start:sentence.end]
            year, basis = self._year(figure, roles[i], clause, years, context, figures, i, paren_years, comparisons,
                                     parts, trailing_year)
            countries = self._countries(figure, clause, sentence, mentions, context, figures, i)
            noun = nouns[i]
            indicator, category = classify(figure, clause_text, sentence_text, context.heading_text, noun,
                                           before=text[clause.start:figure.start], previous=previous)
            # "88% ..., up from 71% in 2019": the earlier value of the same indicator.
            if i and EARLIER_VALUE.search(text[max(clause.start, figure.start - 30):figure.start]):
                earlier = claims[-1] if claims and claims[-1].char_start == figures[i - 1].start else None
                if earlier and figures[i - 1].kind == figure.kind:
                    indicator, category = earlier.indicator, earlier.category
            # A bare share set against an average, or pointing back ("the share was 84%"), measures
            # what the last percentage of the sentence or paragraph measured.
            if indicator == "share_pct" and (AVERAGE_BEFORE.search(text, max(clause.start, figure.start - 40),
                                                                   figure.start)
                                             or ANAPHOR.search(text, clause.start, figure.start)):
                same = [c for c in claims if c.unit == "percent"]
                measure = (same[-1].indicator, same[-1].category) if same else context.percent_measure
                if measure:
                    indicator, category = measure
            subject = self._subject(figure, indicator, category, clause, sentence, noun)
            for code in countries:
                unit = SHARED_CURRENCY.get((figure.unit, code), figure.unit) if figure.kind == "money" else figure.unit
                claims.append(
                    Claim(
                        country=code,
                        country_name=country_name(code),
                        indicator=indicator,
                        category=category,
                        value=figure.value,
                        as_written=text[figure.start:figure.end],
                        unit=unit,
                        year=year,
                        year_basis=basis,
                        comparator=figure.comparator,
                        rank_of=figure.rank_of,
                        subject=subject,
                        quote=sentence_text,
                        quote_start=sentence.start,
                        char_start=figure.start,
                        char_end=figure.end,
                    )
                )
        return claims

    def _relative_year(self, start: int, end: int) -> re.Match[str] | None:
        """'last year' in a clause; asked once per clause however many figures it holds."""
        key = (start, end)
        if key not in self.relative_cache:
            self.relative_cache[key] = RELATIVE_YEAR.search(self.text, start, end)
        return self.relative_cache[key]

    def _noun(self, figure: Figure) -> str | None:
        if figure.kind != "count":
            return None
        return count_noun(self.text, figure.end)

    # -- year -------------------------------------------------------------------------------------
    def _year(self, figure: Figure, role: str | None, clause: Span, years: list[YearMention], context: Context,
              figures: list[Figure], i: int, paren_years: set[int], comparisons: list[Span],
              parts: list[Span], trailing_year: int | None) -> tuple[int | None, str | None]:
        own = paren_year(self.text, figure.end)
        if own:
            return own, "stated"
        # "since 2019" starts a period; it is not the year of a cumulative figure.
        years = [y for y in years if not y.since]
        in_clause = [y for y in years if clause.start <= y.start < clause.end]
        ranges = [y for y in years if y.first is not None]
        if role == "from":
            # "from 1.1 million in 2021 to ...": the year between the two figures is the start's.
            between = [y for y in years if figure.end <= y.start < figures[i + 1].start]
            if between:
                return between[0].year, "stated"
            if ranges:
                return ranges[0].first, "stated"
            return None, None  # "from 60% to 85%": the start year is not given
        if role == "to":
            after = [y for y in in_clause if y.start >= figure.end]
            if after and not ranges:
                return after[0].year, "stated"
            if ranges:
                return ranges[0].year, "stated"
            # Years before the "from" figure or between the two are the start's, not this one's.
            years = [y for y in years if y.start >= figure.end]
            in_clause = [y for y in in_clause if y.start >= figure.end]
        # Years that belong to another figure's parenthesis are not this figure's.
        own_years = [y for y in in_clause if y.year not in paren_years]
        if own_years:
            nearest = min(own_years, key=lambda y: abs(y.start - figure.start))
            return nearest.year, "stated"
        # An earlier clause's year dates this figure too, unless that clause is a comparison
        # ("compared with 79 per cent in 2019"): its year belongs to the compared value only.
        apart = YEARS_APART.search(self.text, clause.start, clause.end)
        if apart:
            # Counted from the sentence's other year, else the paragraph's.
            others = [y for y in years if not (clause.start <= y.start < clause.end)]
            anchor = others[-1].year if others else context.year or context.heading_year
            if anchor:
                n = SMALL_NUMBERS.get(apart.group(1).lower()) or int(apart.group(1))
                later = apart.group(2).lower() in ("later", "on", "afterwards")
                return anchor + (n if later else -n), "stated"
        if self.reference_year and NOW.search(self.text, clause.start, clause.end):
            return self.reference_year, "inferred"  # "now offers 1,000 services": as of publication
        earlier = [y for y in years if y.end <= clause.start and y.year not in paren_years
                   and not any(c.start <= y.start < c.end for c in comparisons)]
        if earlier:
            return earlier[-1].year, "stated"
        if trailing_year and not in_clause:  # "..., or 58 per 100 people, in 2024.": the whole sentence's
            return trailing_year, "stated"
        relative = self._relative_year(clause.start, clause.end)
        if relative and self.reference_year:
            return self.reference_year + RELATIVE_OFFSET[relative.group(1).lower()], "inferred"
        # "... ranked 24th, 69th and 77th in the EGDI 2024": the one year a later clause states, unless
        # that clause is a comparison ("..., up from 85% in 2022").
        # Only a clause that holds no other figure ("..., according to the 2024 survey") or the end of
        # this figure's own list ("24th, 69th and 77th in 2024") dates it; "..., with $7 million added
        # in 2024" dates the $7 million only.
        run: set[int] | None = None  # the starts of this figure's list, found only when a year asks
        later = set()
        for y in years:
            if y.start < clause.end or y.year in paren_years or any(c.start <= y.start < c.end for c in comparisons):
                continue
            holder = next((c for c in parts if c.start <= y.start < c.end), None)
            others = [f for f in figures if holder and holder.start <= f.start < holder.end]
            if others and run is None:
                run = {figures[j].start for j in _figure_run(self.text, figures, i)}
            if all(f.start in run for f in others):
                later.add(y.year)
        if len(later) == 1 and role is None:
            return later.pop(), "stated"
        if context.year:
            return context.year, "inferred"
        if context.heading_year:
            return context.heading_year, "stated"
        if self.reference_year:
            return self.reference_year, "inferred"
        return None, None

    # -- country ----------------------------------------------------------------------------------
    def _countries(self, figure: Figure, clause: Span, sentence: Span, mentions: list[Mention],
                   context: Context, figures: list[Figure] | None = None, index: int = 0) -> list[str]:
        strong = [m for m in mentions if not m.weak and not m.place]
        in_clause = [m for m in strong if clause.start <= m.start < clause.end]
        before = [m for m in strong if m.end <= figure.start]
        # "X and Y each ...": one claim per country named before the figure, unless a later
        # place or "the world" names this figure's own subject ("..., while in Z the figure is 45%").
        each = EACH.search(self.text, before[0].start, figure.start) if before else None
        if each and len({m.code for m in before if m.end <= each.start()}) >= 2 and not any(
                each.end() <= m.start < figure.start for m in mentions):
            return list(dict.fromkeys(m.code for m in before if m.end <= each.start()))
        # "..., above the world average of 67%": a world word in the figure's own clause, before it,
        # names the world when that clause names no country before the figure.
        if any(m.weak and clause.start <= m.start and m.end <= figure.start for m in mentions) and not any(
                clause.start <= m.start and m.end <= figure.start for m in strong):
            return ["WLD"]
        group = _group_before(self.text, strong, figure.start)
        if len(group) >= 2 and (not in_clause or in_clause[-1] in group or all(m in group for m in in_clause)):
            if not any(m.start > group[-1].end and m.end <= figure.start for m in strong):
                codes = list(dict.fromkeys(m.code for m in group))
                # "Georgia and Armenia reached 86% and 88% (respectively)": as many figures in a row as
                # countries in the list, so the n-th figure is the n-th country's.
                run = _figure_run(self.text, figures or [figure], index)
                if len(run) == len(codes) >= 2:
                    return [codes[run.index(index)]]
                return codes
        clause_before = [m for m in in_clause if m.end <= figure.start]
        if clause_before:
            return [clause_before[-1].code]
        # "66% worldwide", "12% globally": a world figure set against a country's.
        if any(m.weak and 0 <= m.start - figure.end <= 3 for m in mentions):
            return ["WLD"]
        clause_after = [m for m in in_clause if m.start >= figure.end and not _in_long_list(self.text, strong, m)]
        if clause_after:
            return [clause_after[0].code]
        before = [m for m in before if not _in_long_list(self.text, strong, m)]
        if before:
            return [before[-1].code]
        # "Globally, 67% of people ...": a world word before the figure and no country before it.
        if any(m.weak and m.end <= figure.start for m in mentions):
            return ["WLD"]
        # A later "world average" is what the sentence compares with, not this figure's subject.
        after = [m for m in strong if m.start >= figure.end and m.code != "WLD"
                 and not _in_long_list(self.text, strong, m)]
        if after:
            return [after[0].code]
        # A city stands for its country when the sentence names none: "Tashkent has committed ...".
        places = [m for m in mentions if m.place]
        if places:
            near = [m for m in places if m.end <= figure.start] or places
            return [near[-1].code if near[-1].end <= figure.start else near[0].code]
        # "The government will cover MNT 32 billion": a national currency names its country
        # more surely than a country named in an earlier sentence.
        if figure.kind == "money" and figure.unit in CURRENCY_COUNTRY:
            return [CURRENCY_COUNTRY[figure.unit]]
        if context.country:
            return [context.country]
        if context.heading_country:
            return [context.heading_country]
        weak = [m for m in mentions if m.weak and clause.start <= m.start < clause.end]
        if weak:
            return ["WLD"]
        return [self.main_country]

    # -- subject ----------------------------------------------------------------------------------
    def _subject(self, figure: Figure, indicator: str, category: str, clause: Span, sentence: Span,
                 noun: str | None) -> str | None:
        text = self.text
        clause_text = text[clause.start:clause.end]
        if figure.kind == "money":
            m = QUOTED_NAME.search(clause_text) or PROGRAMME.search(clause_text)
            return m.group(1).strip() if m else None
        if indicator.startswith("change_"):
            m = CHANGE_OBJECT.search(text[clause.start:figure.end])
            return m.group(1).strip() if m else None
        if figure.kind == "count" and noun:
            end = text[figure.end:figure.end + 80].lower().find(noun)
            end = figure.end + end if end >= 0 else -1
            phrase = text[figure.end:end + len(noun)] if 0 <= end - figure.end < 80 else noun
            if re.search(r"\d", phrase):  # a borrowed noun: "200 offline and 350 online participants"
                first = re.match(r"\s*([A-Za-z][\w-]*)", phrase)
                phrase = f"{first.group(1)} {noun}" if first and first.group(1).lower() != noun else noun
            return " ".join(phrase.replace("+", " ").split()) or None
        return None

    def _pipe_claims(self, cell: tables.PipeCell) -> list[Claim]:
        """Claims of one Markdown table cell.

        The unit comes from the cell, else its column header, row label or the table's title line
        ("(KZT million)", "(% of population)", "(Mbps)"); the year from the header, label, title or
        heading; the country from the label, header, title or heading.
        """
        found = find_figures(self.text, cell.start, cell.end, cell.start)
        if not found:
            return []
        figure = found[0]
        header, label = cell.header, cell.label
        # The title is the paragraph just above the table (a caption line, maybe bold).
        above = self.text[max(0, cell.table_start - 300):cell.table_start].rstrip()
        title = above[above.rfind("\n\n") + 1:].strip() if above else ""
        if figure.kind == "count":
            for source in (header, label, title):
                if _declare_unit(figure, source):
                    break
        block = next((b for b in self.layout.blocks if b.start <= cell.row_start < max(b.end, b.start + 1)), None)
        context = self._context(block) if block else Context()
        year, basis = None, None
        row = self.text[cell.row_start:cell.row_end]
        # A row may carry its own year in a "Year" column: "Individuals online (%)   81.9   2023".
        row_years = [y for y in find_years(row, 0, len(row))
                     if not (cell.start - cell.row_start <= y.start < cell.end - cell.row_start)]
        for source in (header, label, title, row if row_years else ""):
            found_years = find_years(source, 0, len(source))
            if found_years:
                year, basis = found_years[-1].year, "stated"
                break
        if year is None:
            if context.heading_year:
                year, basis = context.heading_year, "stated"
            elif self.reference_year:
                year, basis = self.reference_year, "inferred"
        codes = next(([m.code for m in find_mentions(source, places=True) if not m.weak]
                      for source in (label, header, title)
                      if any(not m.weak for m in find_mentions(source, places=True))),
                     [context.heading_country or self.main_country])
        column = BUDGET_COLUMN.search(header) if figure.kind == "money" else None
        if column:
            indicator, category = BUDGET_COLUMNS[column.group(1).lower()], "budget"
        else:
            clause = f"{header} {label}"
            indicator, category = classify(figure, clause, f"{clause} {title}", context.heading_text, None)
        quote = self.text[cell.row_start:cell.row_end]
        return [
            Claim(country=code, country_name=country_name(code), indicator=indicator, category=category,
                  value=figure.value, as_written=self.text[figure.start:figure.end], unit=figure.unit, year=year,
                  year_basis=basis, comparator=figure.comparator, rank_of=figure.rank_of,
                  subject=" ".join(f"{label} {header}".split()) or None, quote=quote, quote_start=cell.row_start,
                  char_start=figure.start, char_end=figure.end)
            for code in codes[:1]
        ]

    def _table_claim(self, cell: tables.Cell, context: Context) -> Claim:
        country = context.heading_country or self.main_country
        year, basis = (context.heading_year, "stated") if context.heading_year else (
            (self.reference_year, "inferred") if self.reference_year else (None, None))
        return Claim(
            country=country, country_name=country_name(country), indicator=cell.indicator, category="budget",
            value=cell.value, as_written=self.text[cell.start:cell.end], unit=cell.unit, year=year,
            year_basis=basis, comparator="=", rank_of=None, subject=cell.row_label,
            quote=self.text[cell.row_start:cell.row_end], quote_start=cell.row_start,
            char_start=cell.start, char_end=cell.end,
        )


NATIONAL_CURRENCY = re.compile(
    r"\b(?:" + "|".join(CURRENCY_COUNTRY) + r")\b|[₸₼₾₮]|\b(?:tenge|soums?|somoni|manat|lari|tugriks?)\b")
_CURRENCY_WORDS = {"₸": "KAZ", "₼": "AZE", "₾": "GEO", "₮": "MNG", "tenge": "KAZ", "soum": "UZB", "soums": "UZB",
                   "somoni": "TJK", "lari": "GEO", "tugrik": "MNG", "tugriks": "MNG"}


def _currency_countries(text: str) -> Counter:
    """Countries of the national currencies a text prices in ("KZT million", "₸", "tenge")."""
    found = Counter()
    for m in NATIONAL_CURRENCY.finditer(text):
        token = m.group(0)
        code = CURRENCY_COUNTRY.get(token) or _CURRENCY_WORDS.get(token.lower())
        if code:
            found[code] += 1
    return found


def _main_subject(frequency: Counter) -> str:
    """The document's main subject: its most named country, unless a region is named far more often."""
    if not frequency:
        return "WLD"
    countries = [(code, n) for code, n in frequency.most_common() if code not in REGIONS]
    regions = [(code, n) for code, n in frequency.most_common() if code in REGIONS]
    if countries and countries[0][1] >= 3 and (not regions or countries[0][1] >= 0.5 * regions[0][1]):
        return countries[0][0]
    return frequency.most_common(1)[0][0]


def _group_before(text: str, mentions: list[Mention], pos: int) -> list[Mention]:
    """The list of countries ('AZE, KAZ and GEO', 'AZE-KAZ-GEO') that ends closest before `pos`."""
    before = [m for m in mentions if m.end <= pos]
    if not before:
        return []
    group = [before[-1]]
    for m in reversed(before[:-1]):
        if LIST_JOIN.match(text[m.end:group[0].start]):
            group.insert(0, m)
        else:
            break
    # Only a list that leads straight into the figure's clause names the figure's countries.
    return group if len(group) >= 2 and not re.search(r"[.;]", text[group[-1].end:pos]) else []


def _in_long_list(text: str, mentions: list[Mention], mention: Mention) -> bool:
    """Is `mention` one of three or more countries listed together (an aside, not the subject)?"""
    i = mentions.index(mention)
    size = 1
    j = i
    while j > 0 and LIST_JOIN.match(text[mentions[j - 1].end:mentions[j].start]):
        size, j = size + 1, j - 1
    j = i
    while j + 1 < len(mentions) and LIST_JOIN.match(text[mentions[j].end:mentions[j + 1].start]):
        size, j = size + 1, j + 1
    return size >= 3


BUDGET_COLUMN = re.compile(r"\b(budget(?:ed)?|planned|plan|allocated|approved|actual|spent|executed|variance)\b", re.I)
BUDGET_COLUMNS = {"budget": "budget_planned", "budgeted": "budget_planned", "planned": "budget_planned",
                  "plan": "budget_planned", "allocated": "budget_planned", "approved": "budget_planned",
                  "actual": "budget_actual", "spent": "budget_actual", "executed": "budget_actual",
                  "variance": "budget_variance"}
UNIT_DECLARATION = re.compile(r"\b(Mbps|Gbps|km|MW|GW)\b")


DECLARED_SCALE = re.compile(
    r"(?:\b|(?<=\s))(thousands?|thous\.?|millions?|billions?|trillion|bn|bln|mn|mln|'000|’000)(?:\b|(?=\s|$))", re.I)


def _declared_scale(source: str) -> float:
    m = DECLARED_SCALE.search(source)
    if not m:
        return 1.0
    return SCALES[m.group(1).lower().rstrip(".")]


def _declare_unit(figure: Figure, source: str) -> bool:
    """Give a bare number the unit and scale its header, label or table title declares
    ("(KZT million)", "Subscribers, '000", "'000 km", "(per 100 people)"); True if one did."""
    if PER_PEOPLE.search(source):
        base = re.search(r"per\s+(100|1,?000)", source).group(1).replace(",", "")
        figure.kind, figure.unit = "rate", f"per {base} people"
    elif re.search(r"%|per ?cent|\bshare\b|\brate\b", source, re.I):
        figure.kind, figure.unit = "percent", "percent"
    elif HEADER_CURRENCY.search(source):
        currency = HEADER_CURRENCY.search(source)
        code = currency.group(1) or currency.group(2)
        unit = CURRENCY_PREFIX.get(code.upper(), code.upper()) if code else CURRENCY_SUFFIX[currency.group(3).lower()]
        figure.kind, figure.unit = "money", unit
        figure.value *= _declared_scale(source)
    elif UNIT_DECLARATION.search(source):
        figure.kind, figure.unit = "unit", UNIT_DECLARATION.search(source).group(1)
        figure.value *= _declared_scale(source)
    elif re.search(r"\b(?:rank|position|place)\b", source, re.I):
        figure.kind, figure.unit = "rank", "rank"
    elif DECLARED_SCALE.search(source):  # "Mobile subscribers, million": still a count, scaled
        figure.value *= _declared_scale(source)
    else:
        return False
    return True


RUN_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)$")


def _figure_run(text: str, figures: list[Figure], index: int) -> list[int]:
    """Indices of the run of same-kind figures joined by ',' or 'and' that holds figures[index]."""
    kind, start, end = figures[index].kind, index, index
    while start > 0 and figures[start - 1].kind == kind and \
            RUN_JOIN.match(text, figures[start - 1].end, figures[start].start):
        start -= 1
    while end + 1 < len(figures) and figures[end + 1].kind == kind and \
            RUN_JOIN.match(text, figures[end].end, figures[end + 1].start):
        end += 1
    return list(range(start, end + 1))


def _share_scale(text: str, a: Figure, b: Figure) -> None:
    """Give the first of a pair the scale written only after the second: '$20 and $25 million'."""
    if a.kind != "money" or b.kind != "money" or a.unit != b.unit:
        return
    written_a, written_b = text[a.start:a.end], text[b.start:b.end]
    number_b = re.search(NUM, written_b)
    if re.search(r"[A-Za-z]{2,}\s*$|\d[MBKmbk]n?$", written_a.rstrip(" .")) or not number_b:
        return  # a already carries its own scale
    factor = b.value / parse_number(number_b.group(0))
    if factor > 1:
        a.value *= factor


def _attach_rank_of(text: str, figures: list[Figure]) -> None:
    """'81st in the 2022 Index, out of 193 countries': the later 'out of N' belongs to the rank."""
    for i, figure in enumerate(figures):
        if figure.kind != "rank" or figure.rank_of is not None:
            continue
        for later in figures[i + 1:]:
            if later.kind == "count" and re.search(r"\bout\s+of\s+$", text[max(0, later.start - 8):later.start]):
                figure.rank_of = int(later.value)
                figures.remove(later)
                break


def _from_to_roles(text: str, figures: list[Figure]) -> list[str | None]:
    roles: list[str | None] = [None] * len(figures)
    for i in range(len(figures) - 1):
        a, b = figures[i], figures[i + 1]
        if FROM_TO.match(text[a.end:b.start]) and FROM_BEFORE.search(text[max(0, a.start - 8):a.start]):
            roles[i], roles[i + 1] = "from", "to"
    return roles


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """Keep the first of a figure restated in the same document (a highlight repeated in the body)."""
    seen, out = set(), []
    for claim in claims:
        key = (claim.country, claim.indicator, claim.value, claim.unit, claim.year, claim.comparator,
               claim.subject)
        if key not in seen:
            seen.add(key)
            out.append(claim)
    return out
