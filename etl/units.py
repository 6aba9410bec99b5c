"""Units and scales that a sentence, a list's title line or a table's header declares for bare numbers.

"(% of adults, 2021): KAZ 41, UZB 12", "per 100 people ... Kazakhstan (128)", "Subscribers, '000",
"(KZT million)": the number is written bare, the unit and scale are stated once elsewhere.
"""

from __future__ import annotations

import re

from etl.classify import count_noun
from etl.figures import ABSTRACT_NOUNS, CURRENCY_PREFIX, CURRENCY_SUFFIX, SCALES, Figure
from etl.lang import en, ru
from etl.patterns import opening

PER_PEOPLE = re.compile(r"per\s+(?:100|1,?000)\s+(?:people|inhabitants|inhab\.|inh\.|population|residents|households)",
                        re.I)
DECLARED_PERCENT = re.compile(r"\((?:%|per ?cent|percent)[^)]*\)\s*:")
HEADER_CURRENCY = opening(r"\b(USD|EUR|KZT|UZS|KGS|TJS|AZN|GEL|MNT|PKR|CNY|RUB|TMT)\b|(US\$|\$|€|₸)"
                             r"|\b(soums?|sum|tenge|manats?|lari|somoni|rubles|roubles|yuan|dollars|euros)\b", re.I)
# "Georgia — 24.1", "Mongolia: 78.5": one line of a list whose title line declares the unit.
LABEL_VALUE = re.compile(r"[^\d\n]{2,80}?(?:\s*[:—–-]|\s*\.{3,})\s*[\d.,\s]+(?:%|\+|km|MW|Mbps|Gbps)?\s*$")
UNIT_DECLARATION = opening(r"\b(Mbps|Gbps|km|MW|GW)\b")
DECLARED_SCALE = re.compile(
    r"(?:\b|(?<=\s))(thousands?|thous\.?|millions?|billions?|trillion|bn|bln|mn|mln|'000|’000|" + ru.SCALE_WORD
    + r")(?:\b|(?=\s|$))", re.I)
ALL_SCALES = {**SCALES, **ru.SCALES}
RANK_STEPS = frozenset({"places", "positions", "spots", "notches", "ranks", *ru.RANK_STEP_NOUNS})
PEOPLE_NOUNS = en.PEOPLE_NOUNS | {noun.lower() for noun in en.PEOPLE_NOUNS} | ru.PEOPLE_NOUNS
# "8.9 million subscribers, of whom 6.1 million were active data users": a part of the subscribers
# (but "..., including 8.9 million internet users" are people).
# "200 offline and 350 online participants": the later count's noun is the earlier one's too.
RUN_JOIN = re.compile(r"\s*(?:[^\W\d_][\w-]*\s+){0,2}?(?:,|,?\s*(?:and|or|и|или)\s)\s*", re.I)
# "the number of internet users reached 3 million", "число пользователей превысило 13 миллионов"
NUMBER_OF = opening(r"(?:\bnumber\s+of|(?<!\w)(?<!том\s)(?:числ\w*|количеств\w*))"
                       r"\s+(?P<what>(?:[\w-]+\s+){0,3}[\w-]+)", re.I)
RU_COUNT_STEMS = tuple(ru.COUNT_NOUNS)
ABBREVIATION_POINT = re.compile(r"\.[ \t]?[^\W\d_A-ZА-ЯЁ]")
NOUN_WORD = re.compile(r"[^\W\d_][\w-]*")
COUNTED_THINGS = ("subscri", "connection", "account", "абонент", "подключ", "sim")
# Users of a phone service are its subscribers; an IT park's residents are companies.
SERVICE_USERS = re.compile(r"[^.;]{0,40}?(?:(?:mobile\s+)?phone\s+users|cellular\s+users|LTE\s+users|"
                           r"(?:park|hub)\s+residents|пользовател\w*\s+(?:сотов|мобильн\w*\s+связ|LTE|3G|4G))", re.I)
# "internet users rose to 27 million": the verb whose subject a bare count measures.
LEVEL_VERB = opening(r"\b(?:reached|rose|grew|numbered|totall?ed|stood|increased|exceeded|amounted|hit|climbed|"
                        r"doubled|tripled|tops?|topped|pass(?:es|ed)|cross(?:es|ed)|surpass(?:es|ed)|exceeds?|"
                        r"fell|declined|was|were|is|are)\b|(?<!\w)(?:достиг\w*|составил\w*|превысил\w*|вырос\w*|"
                        r"возросл\w*|увеличил\w*)(?!\w)", re.I)
# A position written as a bare number: "ranked 1", "ranks 92", "its rank to 92", "a rank of 11".
RANK_BEFORE = opening(r"(?:\b(?:ranked|ranks|placed|ranking)|\b(?:rank|position)\b[^.;()\d]{0,30}?\b(?:at|to|of|as|"
                         r"was|is|reached|no\.?))\s+(?:No\.?\s*|number\s+|#)?$", re.I)
# A score: "scored 0.343", "with a score of 0.9758", "its score moving up to 0.6497", "an EGDI value of 0.79".
SCORE_BEFORE = opening(r"(?:(?:\d(?:st|nd|rd|th)|\bplace)\s+with|\bscored|\bscoring|"
                          r"\bscores?\b[^.;()\d]{0,30}?\b(?:of|to|at|was|is|reached|"
                          r"stood\s+at)|\b(?:value|rating)s?\b[^.;()\d]{0,30}?\b(?:of|was|is|at|stood\s+at))\s+(?:just\s+|only\s+|"
                          r"about\s+|around\s+|some\s+|up\s+to\s+)?$", re.I)
SCORE_CONTEXT = opening(r"\b(?:scor\w*|index|indices|rating|ranking|ranked|rank|place|EGDI|GII|NRI|IDI|GCI)\b",
                           re.I)
RANK_WORDS = opening(r"\b(?:rank\w*|placed|place|position\w*|ranking|league\s+table|rating)\b", re.I)
OPEN_PAREN = re.compile(r"[A-Za-z.’']\s*\(\s*$")
RANK_IN_PAREN = re.compile(r"\(\s*\d{1,3}(?:st|nd|rd|th)\b[^()]{0,12},\s*$")
CLOSE_PAREN = re.compile(r"\s*[),;]")
PERCENT_POINTS_AFTER = re.compile(r"\s*percentage", re.I)
TOP_N = opening(r"\b(?:(?:rank\w*|placed|place[sd]?|are|is|were|was)\s+(?:in|among|within)|enter\w*|reach\w*|"
                   r"into|join\w*)\s+the\s+top\s+$", re.I)
PERCENTAGE_POINTS = opening(r"\bpercentage\s+points?\b|\bp\.\s?p\.|(?<!\w)п\.\s?п\.", re.I)
NUMBER_START = re.compile(r"\d")
OF_THE_NOUN = opening(r"\b(?:of|among)\s+(?:the|these|those|all)\s+(?:[a-z-]+\s+)?([A-Za-z]+),?\s*$", re.I)
NOUN_PAIR = re.compile(r"\s+[a-z-]+\s+(?:and|or)\s+[a-z-]+\s+([a-z]+s)\b")
POPULATION_OF = opening(r"\bpopulation\s+(?:of|was|is|reached|stood\s+at)\s+(?:just\s+|only\s+|about\s+|around\s+|"
                           r"some\s+|over\s+|nearly\s+|almost\s+)?$|(?<!\w)населени\w*\s+(?:в\s+)?$", re.I)
PART_OF = opening(r"\bof\s+(?:whom|them)\b|(?<!\w)из\s+них(?!\w)", re.I)


def _declared_scale(source: str) -> float:
    m = DECLARED_SCALE.search(source)
    if not m:
        return 1.0
    return ALL_SCALES[m.group(1).lower().rstrip(".")]


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
        declared = UNIT_DECLARATION.search(source).group(1)
        figure.kind, figure.unit = "unit", en.UNITS.get(declared, declared)
        figure.value *= _declared_scale(source)
    elif re.search(r"\b(?:rank|position|place)\b", source, re.I):
        figure.kind, figure.unit = "rank", "rank"
    elif DECLARED_SCALE.search(source):  # "Mobile subscribers, million": still a count, scaled
        figure.value *= _declared_scale(source)
    else:
        return False
    return True


def counts_people(text: str, start: int, figures: list[Figure], i: int) -> bool:
    """Does count i count people? "The number of subscribers is 6.2 million people" counts subscribers;
    else its own noun says ("3 million internet users"; not "mobile phone users", who are subscribers),
    or a count it is listed with ("200 offline and 350 online participants"), or the subject of the verb
    before it ("internet users rose to 27 million"). A part of a count ("8.9 million subscribers, of
    whom 6.1 million were data users") is a count."""
    figure = figures[i]
    after = figures[i - 1].end if i else start  # the text before this figure that is its own
    if POPULATION_OF.search(text, max(start, figure.start - 40), figure.start) or (
            (of_the := OF_THE_NOUN.search(text, max(start, figure.start - 40), figure.start)) and
            _is_people(of_the.group(1).lower())):
        return True  # "a population of just 1.3 million", "Of the users, 656.37 million used handsets"
    gap = max(after, figure.start - 150)
    number_of = _last(NUMBER_OF, text, gap, figure.start)
    if number_of:
        words = _words(number_of.group("what"))
        if any(w.startswith(COUNTED_THINGS) for w in words):
            return False
        if any(_is_people(w) for w in words):
            return True
    # "2,3 млн. пользователей": an abbreviation's point, not a sentence's end, when a lowercase word follows
    abbreviated = ABBREVIATION_POINT.match(text, figure.end) is not None
    own = count_noun(text, figure.end + abbreviated)
    if own is None and (pair := NOUN_PAIR.match(text, figure.end)):
        own = pair.group(1).lower()  # "110,000 direct and indirect jobs"
    if own is not None:
        if not _is_people(own) or SERVICE_USERS.match(text, figure.end, figure.end + 80):
            return False
        return not (i and figures[i - 1].unit == "count" and PART_OF.search(text, after, figure.start))
    if i + 1 < len(figures) and figures[i + 1].kind == "count" and RUN_JOIN.fullmatch(text, figure.end,
                                                                                      figures[i + 1].start):
        following = count_noun(text, figures[i + 1].end)
        if following is not None:
            return _is_people(following)
    verb = _last(LEVEL_VERB, text, max(start, figure.start - 150), figure.start)
    if verb:  # the nearest noun before the verb is its subject
        for word in reversed(_words(text[max(start, verb.start() - 60):verb.start()])):
            if _is_people(word):
                return True
            if word.startswith(COUNTED_THINGS) or (word.isascii() and word.endswith("s") and len(word) > 3) \
                    or word.startswith(RU_COUNT_STEMS):
                return False
    return False


def _last(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007 -- the last match is the one wanted
        pass
    return found


def _words(text: str) -> list[str]:
    return [part for w in NOUN_WORD.findall(text) for part in w.lower().split("-") if part]


RU_PEOPLE_STEMS = tuple(ru.PEOPLE_NOUNS)  # one startswith over a tuple, not a loop per stem


def _is_people(noun: str) -> bool:
    return noun in PEOPLE_NOUNS or noun.startswith(RU_PEOPLE_STEMS)


def declare_before_nouns(text: str, start: int, figures: list[Figure]) -> None:
    """'per cent of population: 21.3 (2020); ... per 100 inhabitants: 162': a label ending in ':'
    right before a bare count declares its unit."""
    for i, figure in enumerate(figures):
        prefix = text[figures[i - 1].end if i else start:figure.start]
        if figure.kind == "count" and prefix.rstrip().endswith(":") and count_noun(text, figure.end) is None:
            declare_unit(figure, prefix)


def declare_score_or_rank(text: str, start: int, end: int, figures: list[Figure], i: int, noun: str | None) -> None:
    """A bare number that is an index score ("scored 31.5 points", "with a score of 0.64", "an EGDI value
    of 0.79", "(0.9271, ranked 1)") or a position ("ranked 1", "its rank to 92", "Kazakhstan (24)" in a
    sentence about a ranking). A score is its own unit, `index`; never a count."""
    figure = figures[i]
    number = NUMBER_START.search(text, figure.start, figure.end)  # "up to 0.6497": look before the comparator
    at = figure.start if number is None else number.start()
    before = text[max(start, at - 60):at]
    written = text[figure.start:figure.end]
    sentence = text[start:end]
    if TOP_N.search(before) and figure.value == int(figure.value):
        figure.kind, figure.unit, figure.comparator = "rank", "rank", "<"  # "ranked in the top 40 nations"
    elif noun == "points" and PERCENTAGE_POINTS.search(text, start, figure.start):
        # "narrowed from 15 percentage points in 2019 to 9 points in 2023": the same unit, written short
        figure.kind, figure.unit = "percent", "percentage_points"
    elif noun is None and RANK_BEFORE.search(before) and figure.value == int(figure.value) and figure.value <= 300:
        figure.kind, figure.unit = "rank", "rank"
    elif SCORE_BEFORE.search(before) and noun in (None, "points"):
        figure.kind, figure.unit = "index", "index"
    elif noun == "points" and SCORE_CONTEXT.search(sentence) and not PERCENT_POINTS_AFTER.match(text, figure.end):
        figure.kind, figure.unit = "index", "index"  # "Armenia (52nd place, 33.1 points)"
    elif noun is None and (OPEN_PAREN.search(before) or RANK_IN_PAREN.search(before)) and (
            SCORE_CONTEXT.search(sentence) or any(f.kind == "rank" for f in figures)):
        # "the United States (0.9271, ranked 1)", "Azerbaijan (65th, 6.20)", "Kazakhstan (24), Georgia (31)":
        # a parenthesis after a name, in a sentence about a ranking
        if "." in written and (figure.value < 1 or RANK_IN_PAREN.search(before)):
            figure.kind, figure.unit = "index", "index"
        elif figure.value == int(figure.value) and figure.value <= 300 and CLOSE_PAREN.match(text, figure.end) \
                and not RANK_IN_PAREN.search(before) \
                and (RANK_WORDS.search(sentence) or any(f.kind == "rank" for f in figures)):
            figure.kind, figure.unit = "rank", "rank"


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
        if figure.kind == "count":  # by its own noun: a borrowed one ("... 3 in the EGDI and 5.6 million people")
            declare_score_or_rank(text, start, end, figures, i, count_noun(text, figure.end))
        if figure.kind == "count" and nouns[i] in RANK_STEPS:
            figure.unit = "positions"  # "rose four places to 55th": a move in a ranking, not a position
        elif figure.kind == "count" and counts_people(text, start, figures, i):
            figure.unit = "people"  # "3 million internet users", "the number of users reached 3 million"
        if figure.kind == "count" and nouns[i] in ABSTRACT_NOUNS:
            abstract.add(i)
    return abstract
