"""Years that a sentence states for its figures: "(2019)", "in 2022", "between 2019 and 2023".

A year inside a name ("Digital Kazakhstan 2025", "CAIGF-2022", "Telecom Law 2022")
is the name's, not the figure's, and is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.figures import MONTHS
from etl.lang import ru
from etl.patterns import opening

YEAR = r"(?:19[5-9]\d|20\d\d)"
# Each pattern opens with a lookahead its match implies: a position that cannot start one is left at
# once (most of a sentence), instead of trying every lookbehind there.
RANGE = re.compile(
    rf"(?=[bfсо]|(?:19|20)\d)(?:\b(?:between|from|{ru.RANGE_FROM})\s+(?:(?:{MONTHS})\.?\s+)?(?P<a>{YEAR})\s+(?:and|to|until|through|{ru.RANGE_TO})\s+(?:(?:{MONTHS})\.?\s+)?(?P<b>{YEAR})\b"
    rf"|(?<![\w-])(?P<c>{YEAR})\s*[-–‑/]\s*(?P<d>{YEAR}|\d\d)(?![\w-]))",
    re.I,
)
# "FY2024" is a fiscal year, a year like any other.
# "end-2013", "mid-2024": a date, not a name.
SINGLE = re.compile(rf"(?=(?:19|20)\d\d)"
                    rf"(?:(?<=FY)|(?<=FY )|(?<=\bend[-‑])|(?<=\bmid[-‑])|(?<=\bearly[-‑])|(?<=\blate[-‑])"
                    rf"|(?<![\w\-‑.,/$€£]))(?P<y>{YEAR}){ru.YEAR_ENDING}"
                    rf"(?![\w\-‑%]|[.,]\d|\s?(?:%|per ?cent|процент))")
# Capitalised words that may stand right before a year without making it part of a name.
FREE_BEFORE = frozenset(
    "in by since from to between and until during of for year fy as through till before after around "
    "mid end early late spring summer autumn fall winter q1 q2 q3 q4 h1 h2 the".split()
) | {m.lower() for m in MONTHS.split("|")}


HAS_YEAR = re.compile(r"(?:19|20)\d\d")
HYPHEN_NAME = re.compile(r"[A-Za-z][-‑]$")
DATE_PREFIX = opening(r"\b(?:end|mid|early|late)[-‑]$", re.I)
WORD_BEFORE = re.compile(r"([A-Za-zА-Яа-яЁё][\w’'.&]*)\s+$")
# "since 2019" opens a period; "more than in (the same period of) 2014", "compared with 2014" name a
# comparison base: neither dates a figure.
EN_SINCE_BEFORE = (r"\b(?:since|(?:than|compared\s+(?:with|to)|against)(?:\s+in)?(?:\s+the\s+same\s+"
                   r"(?:period|months?|quarter|half)(?:\s+(?:of|in))?)?(?:\s+(?:[A-Z][a-z]+[-–‑])?[A-Z][a-z]+)?)\s+$")
SINCE_BEFORE = opening(EN_SINCE_BEFORE, re.I)
RU_SINCE_BEFORE = opening(EN_SINCE_BEFORE + "|" + ru.SINCE_BEFORE, re.I)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
FREE_BEFORE = FREE_BEFORE | ru.FREE_BEFORE
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
    if HYPHEN_NAME.search(before) and not DATE_PREFIX.search(before):  # "CAIGF-2022", not "end-2013"
        return True
    if before.rfind("«") > before.rfind("»"):  # «Цифровой Узбекистан - 2030»: inside a quoted name
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
        if len(b) == 2 and last == first + 1:  # "2022-23", "FY2022/23": a fiscal year, named by its first year
            found.append(YearMention(first, m.start(), m.end()))
        else:
            found.append(YearMention(last, m.start(), m.end(), first))
        taken.append((m.start(), m.end()))
    cyrillic = CYRILLIC.search(text, start, end) is not None  # Russian comparison bases need a longer look
    for m in SINGLE.finditer(text, start, end):
        if any(a <= m.start() < b for a, b in taken) or _named(text, m.start(), start):
            continue
        # "since 2019" opens a period; "more than in 2021" names a comparison base: neither dates a figure.
        since = bool(SINCE_BEFORE.search(text, max(start, m.start() - 45), m.start())
                     or cyrillic and RU_SINCE_BEFORE.search(text, max(start, m.start() - 40), m.start()))
        found.append(YearMention(int(m.group("y")), m.start(), m.end(), since=since))
    return sorted(found, key=lambda y: y.start)


# "(2025)", "(in 2021)", "(2021 baseline)", "(est. 2024)"
PAREN_YEAR = re.compile(rf"\s*\(\s*(?:in\s+|as of\s+|est\.?\s+|baseline\s+|{ru.PAREN_YEAR_WORDS})?({YEAR})"
                        rf"(?:\s+(?:baseline|base year|est\.?|estimate|data|figures?|levels?|{ru.PAREN_YEAR_AFTER}))?"
                        rf"\s*\)")


def paren_year(text: str, pos: int) -> int | None:
    """A year in parentheses right after a figure: '70% (2025)'."""
    m = PAREN_YEAR.match(text[pos:pos + 40])
    return int(m.group(1)) if m else None


# -- the year of one figure -----------------------------------------------------------------------
# A clause that states a comparison: its year belongs to the compared value only.
COMPARISON_CLAUSE = re.compile(r"(?:(?:but|and|while|yet)\s+)?(?:compared|as against|against|versus|vs\.?|"
                               r"(?:up|down|rising|falling|\d[\d.,]*%?)\s+(?:from|on)|from)\b|"
                               + ru.COMPARISON_CLAUSE, re.I)
# "this year", "last year"; "by the end of the year" is this year's end.
RELATIVE_YEAR = opening(r"\b(last|this|next|previous|past)\s+year\b|\bend\s+of\s+(the)\s+year\b", re.I)
RU_RELATIVE_YEAR = opening(r"\b(last|this|next|previous|past)\s+year\b|\b("
                              + "|".join(ru.RELATIVE_YEAR) + r")\s+год\w*", re.I)
RELATIVE_OFFSET = {"last": -1, "previous": -1, "past": -1, "this": 0, "the": 0, "next": 1, **ru.RELATIVE_YEAR}
# "86% five years earlier", "two years later that figure had reached 83%": a year counted from another.
YEARS_APART = opening(r"\b(?:(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+years?|"
                         r"(twelve|12)\s+months)\s+(earlier|before|previously|later|on|afterwards)\b", re.I)
SMALL_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}
# A sentence that ends ", in 2024." dates every figure in it that states no year of its own.
TRAILING_YEAR = re.compile(r",\s*(?:in|as of|by the end of|at the end of|during)\s+((?:19|20)\d\d)\s*[.!?]?\s*$",
                           re.I)
NOW = opening(r"\b(?:now|currently|the\s+current|today|at present|to date)\b", re.I)
RU_NOW = opening(r"\b(?:now|currently|today|at present|to date|" + ru.NOW + r")\b", re.I)


@dataclass(frozen=True, slots=True)
class SentenceYears:
    """Year facts of one sentence, found once for all its figures."""

    paren_years: frozenset[int]  # years in a parenthesis right after some figure: "86% (2023)"
    comparisons: tuple  # clauses (Spans) that state a comparison
    trailing_year: int | None  # the year of a closing ", in 2024."
    asides: tuple = ()  # (start, end) of parentheses that hold a figure and a year of their own


NO_YEARS = SentenceYears(frozenset(), (), None, ())


def sentence_years(text: str, start: int, end: int, parts, figures, years=True) -> SentenceYears:
    """The year facts of text[start:end] with its clauses `parts` and its `figures` (none when the
    sentence states no `years`: each fact is about a year it states)."""
    if not years:
        return NO_YEARS
    trailing = TRAILING_YEAR.search(text, start, end)
    return SentenceYears(
        paren_years=frozenset({paren_year(text, f.end) for f in figures} - {None}),
        comparisons=tuple(c for c in parts if COMPARISON_CLAUSE.match(text, c.start, c.end)),
        trailing_year=int(trailing.group(1)) if trailing else None,
        asides=asides(text, start, end, figures),
    )


ASIDE = re.compile(r"\([^()]{4,200}\)")


def asides(text: str, start: int, end: int, figures) -> tuple[tuple[int, int], ...]:
    """Parentheses that hold a figure and a year: "(на конец 2015 года — 26,4 Гбит/с)". Their year is
    their figure's, not the sentence's."""
    if "(" not in text[start:end]:
        return ()
    found = []
    for m in ASIDE.finditer(text, start, end):
        if HAS_YEAR.search(m.group(0)) and any(m.start() < f.start < m.end() for f in figures):
            found.append((m.start(), m.end()))
    return tuple(found)


def framing_year(text: str, parts, years: list[YearMention], aside: tuple = ()) -> int | None:
    """The year a later sentence inherits from this one ("In 2024, ..."); the year of a comparison
    ("up from 84% in 2021") or of an aside ("(на конец 2015 года — 26,4 Гбит/с)") belongs to the
    compared value only. None when the sentence states none."""
    stated = [y for y in years if not y.since and not any(a <= y.start < b for a, b in aside)]
    if not stated:
        return None
    comparisons = [c for c in parts if COMPARISON_CLAUSE.match(text, c.start, c.end)]
    framing = [y for y in stated if not any(c.start <= y.start < c.end for c in comparisons)]
    return (framing or stated)[-1].year


def figure_year(ctx, i: int) -> tuple[int | None, str | None]:
    """Year of figure i of a `SentenceContext` and how it was found: `stated`, `inferred` or None."""
    text, figure, clause, role = ctx.text, ctx.figures[i], ctx.clause(i), ctx.roles[i]
    facts: SentenceYears = ctx.year_facts
    paren_years, comparisons, paragraph = facts.paren_years, facts.comparisons, ctx.paragraph
    own = paren_year(text, figure.end)
    if own:
        return own, "stated"
    # "since 2019" starts a period; it is not the year of a cumulative figure. The year of an aside
    # that holds its own figure is that figure's only.
    years = [y for y in ctx.years if not y.since
             and (not facts.asides or all(a <= figure.start < b or not a <= y.start < b for a, b in facts.asides))]
    in_clause = [y for y in years if clause.start <= y.start < clause.end]
    ranges = [y for y in years if y.first is not None]
    if role == "from":
        # "from 1.1 million in 2021 to ...": the year between the two figures is the start's.
        between = [y for y in years if figure.end <= y.start < ctx.figures[i + 1].start]
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
    apart = YEARS_APART.search(text, clause.start, clause.end)
    if apart and any(f is not figure and min(figure.end, apart.end()) <= f.start < max(figure.start, apart.start())
                     for f in ctx.figures):
        apart = None  # "20% from 5.615 million twelve months earlier": the phrase dates the nearer figure
    if apart:
        # Counted from the sentence's other year, else the paragraph's.
        others = [y for y in years if not (clause.start <= y.start < clause.end)]
        anchor = others[-1].year if others else paragraph.year or paragraph.heading_year
        if anchor:
            words = apart.group(1)  # "twelve months earlier" is a year
            n = 1 if apart.group(2) else SMALL_NUMBERS.get(words.lower()) or int(words)
            later = apart.group(3).lower() in ("later", "on", "afterwards")
            return anchor + (n if later else -n), "stated"
    russian = ctx.lang == "ru"
    # "now offers 1,000 services", "The current number ... is 6.2 million, with 4.1 million of them ...":
    # as of publication (or of the dateline).
    if ctx.reference_year and (RU_NOW if russian else NOW).search(text, ctx.sentence.start, clause.end):
        return ctx.reference_year, "inferred"
    earlier = [y for y in years if y.end <= clause.start and y.year not in paren_years
               and not any(c.start <= y.start < c.end for c in comparisons)]
    if earlier:
        return earlier[-1].year, "stated"
    if facts.trailing_year and not in_clause:  # "..., or 58 per 100 people, in 2024.": the whole sentence's
        return facts.trailing_year, "stated"
    # "This year alone, 134 new companies ...": a relative year earlier in the sentence dates the figure,
    # unless it names a comparison base ("more than in the same period last year").
    relative = None
    for found in (RU_RELATIVE_YEAR if russian else RELATIVE_YEAR).finditer(text, ctx.sentence.start, clause.end) \
            if ctx.reference_year else ():
        if not (RU_SINCE_BEFORE if russian else SINCE_BEFORE).search(
                text, max(ctx.sentence.start, found.start() - 45), found.start()):
            relative = found  # the last one before the figure's clause ends
    if relative:
        return ctx.reference_year + RELATIVE_OFFSET[(relative.group(1) or relative.group(2)).lower()], "inferred"
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
        holder = next((c for c in ctx.clauses if c.start <= y.start < c.end), None)
        others = [f for f in ctx.figures if holder and holder.start <= f.start < holder.end]
        if others and run is None:
            run = {ctx.figures[j].start for j in ctx.run(i)}
        if all(f.start in run for f in others):
            later.add(y.year)
    if len(later) == 1 and role is None:
        return later.pop(), "stated"
    if paragraph.year:
        return paragraph.year, "inferred"
    if paragraph.heading_year:
        return paragraph.heading_year, "stated"
    if paragraph.document_year:  # the year an earlier paragraph framed
        return paragraph.document_year, "inferred"
    if ctx.reference_year and states_present_stock(text[clause.start:clause.end]):
        return ctx.reference_year, "inferred"  # "has 4.6 million subscribers": as of publication
    return None, None


# A sentence that states a present stock ("has 4.6 million subscribers", "now counts 1,200 km")
# is dated by the publication year (as `inferred`); any other figure whose year the text does
# not give has no year.
PRESENT_STOCK = opening(
    r"\b(?:has|have|counts?|numbers|totals|stands?\s+at|there\s+(?:are|is)|serves|employs|hosts|operates|"
    r"covers|owns|is\s+home\s+to|is|are|now|currently|today|at\s+present|to\s+date|as\s+of\s+today|"
    # verbs of a standing state in the simple present: "21% of women use", "40% of schools lack"
    r"uses?|lacks?|own|access(?:es)?|accounts?\s+for|makes?\s+up|remains?|holds?|passes|lives?|resides?|"
    r"subscribes?|comprises?|constitutes?)\b"
    r"|(?<!\w)(?:имеет|имеют|насчитыва\w*|составляет|составляют|сейчас|в\s+настоящее\s+время|сегодня|"
    r"на\s+сегодняшний\s+день|есть|пользуются|используют|проживают|приходится|остаётся|остается)(?!\w)", re.I)
# Past or future verbs make it an event, not a stock: "has invested", "was", "will have".
NOT_PRESENT = opening(
    r"\b(?:was|were|had|did|will|would|has\s+been|have\s+been|(?:has|have)\s+(?!reached|grown|risen|exceeded|"
    r"surpassed|topped|passed|crossed)\w+ed|last\s+year|ago|aims?|plans?|expected|target\w*)\b"
    r"|(?<!\w)(?:был\w*|будет|составил\w*|достиг\w*)(?!\w)", re.I)


def states_present_stock(clause: str) -> bool:
    """Does `clause` state a present stock ("has 4.6 million subscribers"), not a past or future event?"""
    return bool(PRESENT_STOCK.search(clause)) and not NOT_PRESENT.search(clause)
