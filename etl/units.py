"""Units and scales that a sentence, a list's title line or a table's header declares for bare numbers.

"(% of adults, 2021): KAZ 41, UZB 12", "per 100 people ... Kazakhstan (128)", "Subscribers, '000",
"(KZT million)": the number is written bare, the unit and scale are stated once elsewhere.
"""

from __future__ import annotations

import re

from etl.classify import count_noun
from etl.figures import ABSTRACT_NOUNS, CURRENCY_PREFIX, CURRENCY_SUFFIX, SCALES, Figure
from etl.lang import ru

PER_PEOPLE = re.compile(r"per\s+(?:100|1,?000)\s+(?:people|inhabitants|inhab\.|inh\.|population|residents|households)",
                        re.I)
DECLARED_PERCENT = re.compile(r"\((?:%|per ?cent|percent)[^)]*\)\s*:")
HEADER_CURRENCY = re.compile(r"\b(USD|EUR|KZT|UZS|KGS|TJS|AZN|GEL|MNT|PKR|CNY|RUB|TMT)\b|(US\$|\$|€|₸)"
                             r"|\b(soums?|sum|tenge|manats?|lari|somoni|rubles|roubles|yuan|dollars|euros)\b", re.I)
# "Georgia — 24.1", "Mongolia: 78.5": one line of a list whose title line declares the unit.
LABEL_VALUE = re.compile(r"[^\d\n]{2,80}?(?:\s*[:—–-]|\s*\.{3,})\s*[\d.,\s]+(?:%|\+|km|MW|Mbps|Gbps)?\s*$")
UNIT_DECLARATION = re.compile(r"\b(Mbps|Gbps|km|MW|GW)\b")
DECLARED_SCALE = re.compile(
    r"(?:\b|(?<=\s))(thousands?|thous\.?|millions?|billions?|trillion|bn|bln|mn|mln|'000|’000)(?:\b|(?=\s|$))", re.I)
RANK_STEPS = frozenset({"places", "positions", "spots", "notches", "ranks", *ru.RANK_STEP_NOUNS})


def _declared_scale(source: str) -> float:
    m = DECLARED_SCALE.search(source)
    if not m:
        return 1.0
    return SCALES[m.group(1).lower().rstrip(".")]


def declare_unit(figure: Figure, source: str) -> bool:
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


def declare_before_nouns(text: str, start: int, figures: list[Figure]) -> None:
    """'per cent of population: 21.3 (2020); ... per 100 inhabitants: 162': a label ending in ':'
    right before a bare count declares its unit."""
    for i, figure in enumerate(figures):
        prefix = text[figures[i - 1].end if i else start:figure.start]
        if figure.kind == "count" and prefix.rstrip().endswith(":") and count_noun(text, figure.end) is None:
            declare_unit(figure, prefix)


def declare_sentence_units(text: str, start: int, end: int, figures: list[Figure], nouns: list[str | None],
                           last_sentence: str) -> set[int]:
    """Units a sentence or the list's title line declares for its bare counts; returns the indices of
    counts of ideas ("lists 3 priorities"), which are not measured quantities."""
    per_people = PER_PEOPLE.search(text, start, end)
    declared = DECLARED_PERCENT.search(text, start, end)
    if last_sentence and len(figures) == 1 and figures[0].kind == "count" and LABEL_VALUE.match(text, start, end):
        declare_unit(figures[0], last_sentence)  # "Fixed broadband per 100 people, 2024\nGeorgia — 24.1"
    abstract = set()
    money_units = [f.unit for f in figures if f.kind == "money"]
    for i, figure in enumerate(figures):
        if declared and figure.kind == "count" and figure.start > declared.end() and \
                count_noun(text, figure.end) is None:
            figure.kind, figure.unit = "percent", "percent"  # "(% of adults, 2021): KAZ 41, UZB 12"
        if per_people and figure.kind == "count" and figure.start > per_people.start() and \
                count_noun(text, figure.end) is None and \
                figure.value < 2000 and not any(ch.isalpha() for ch in text[figure.start:figure.end]):
            base = re.search(r"per\s+(100|1,?000)", per_people.group(0)).group(1).replace(",", "")
            figure.kind, figure.unit = "rate", f"per {base} people"  # "per 100 people ... Kazakhstan (128)"
        if figure.kind == "count" and figure.scale > 1 and nouns[i] is None and money_units:
            # "2,1 млрд сомов ..., ещё 300 млн — на ...": a scaled amount that names no currency and
            # counts nothing is in the sentence's currency (the nearest amount before it, else after).
            before = [f.unit for f in figures[:i] if f.kind == "money"]
            figure.kind, figure.unit = "money", (before[-1] if before else money_units[0])
        if figure.kind == "count" and nouns[i] in RANK_STEPS:
            figure.unit = "rank"  # "rose four places to 55th": a move in a ranking, not a position
        if figure.kind == "count" and nouns[i] in ABSTRACT_NOUNS:
            abstract.add(i)
    return abstract
