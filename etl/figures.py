"""Recognize how figures are written: money, percentages, ranks, counts, numbers in words.

Pure functions over a sentence; every table here is data, so a new phrasing is a
new row. The recognizer finds *figures*; which indicator, country and year a
figure belongs to is decided in `etl.extract` from the words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.countries import is_country_word
from etl.lang import en, ru
from etl.lang.en import (  # noqa: F401 - the English tables are the core's defaults
    COMPARATORS,
    CURRENCY_SUFFIX,
    FRACTIONS,
    MONTHS,
    NUM,
    PERCENT_POINTS,
    PERCENT_WORD,
    SCALE_LETTER,
    SCALE_WORD,
    SCALES,
    SHARE_OF,
    UNITS,
    WORD_NUMBERS,
)
from etl.patterns import opening

# Currency written before the amount -> ISO 4217 (symbols and codes: the same in every language).
CURRENCY_PREFIX = {
    "US$": "USD", "USD": "USD", "\\$": "USD", "$": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP",
    "GBP": "GBP", "¥": "CNY", "CNY": "CNY", "RMB": "CNY", "₸": "KZT", "KZT": "KZT", "₽": "RUB",
    "RUB": "RUB", "Rs.": "PKR", "Rs": "PKR", "USD.": "USD", "PKR": "PKR", "₹": "INR", "INR": "INR", "UZS": "UZS",
    "KGS": "KGS", "TJS": "TJS", "AZN": "AZN", "₼": "AZN", "GEL": "GEL", "₾": "GEL", "MNT": "MNT",
    "₮": "MNT", "TMT": "TMT", "AFN": "AFN", "AMD": "AMD", "֏": "AMD", "CHF": "CHF", "JPY": "JPY",
}
TIMES_GROWTH = opening(r"\b(?:grew|grown|grow|rose|risen|increased|expanded|jumped|multiplied|up|by|"
                          r"surged|climbed)\b[^.;\d]{0,25}$", re.I)
TIMES_COMPARED = re.compile(r"\s+(?:more|higher|larger|faster|greater|bigger|as|cheaper|lower|less|over)\b", re.I)
MULTIPLIED_TO = re.compile(r"[^.;]{0,20}?\bto\s+(?:[$€£¥₸]|[A-Z]{3}\s)?\d")
BAND_LINE = re.compile(r"\s*(?:[<>≤≥]\s*\d{1,3}|\d{1,3}\s*[-–]\s*\d{1,3}|\d{1,3}\s*\+)\s*")
TOP_RANKED = opening(r"\b(?:(?:rank\w*|placed|are|is|were|was)\s+(?:in|among|within)|enter\w*|reach\w*|into|"
                        r"join\w*)\s+the\s+top\s+$", re.I)
MOVED_UP = opening(r"\b(?:mov\w*|ros\w*|risen|climb\w*|jump\w*|went|gone|grew|grow\w*|soar\w*|surg\w*|"
                      r"increas\w*)\s+$", re.I)
DECIMAL_COMMA = re.compile(r"[\d \u00a0\u202f]*\d,\d{1,2}")
COMPARATOR_BEFORE = re.compile(
    r"(?:(?<=\W)|^)(?P<word>" + "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(COMPARATORS)) + r")\s*$",
    re.I,
)


# Words right before a number that make it a name or a label, not a claim.
LABEL_BEFORE = frozenset(
    "article articles section sections session sessions note notes chapter chapters page pages p pp no nos "
    "hotline helpline dial "
    "number pillar pillars phase stage goal goals level grade figure fig table annex appendix item point "
    "part paragraph clause resolution decree law version v iso industry class tier round week day group "
    "sdg sdgs step module lot block room floor building line bus flight route channel gate year "
    "web covid top q h term wave cohort batch edition track panel workshop call dial phone tel hotline sms "
    "ext extension gmt utc aged age ages".split()
)
# Nouns after a number that make it a period of time, not a claim.
DURATION_AFTER = re.compile(
    r"[-‑](?:day|week|month|year|hour|minute|storey|story|floor)\b|[\s-]*(?:years?|months?|weeks?|decades?|"
    r"centur(?:y|ies))\b", re.I)
# Ordinals that count editions and events, never ranks.
EDITION_AFTER = re.compile(
    r"\s+(?:[A-Z][\w-]*\s+){0,5}(?:Forum|Conference|Congress|Summit|Session|Meeting|Festival|Week|Assembly|"
    r"Convention|Games|Olympiad|Hackathon|Edition)\b|"
    r"\s*(?:annual\s+)?(?:century|anniversary|edition|session|meeting|forum|congress|conference|summit|"
    r"time|round|convocation|birthday|floor|grade|generation)\b", re.I)
RANK_CONTEXT = opening(
    r"\b(?:rank(?:s|ed|ing|ings)?|placed|(?<!took )(?<!taking )(?<!takes )(?<!take )place"
    r"|position(?:s|ed)?|index|rating|standing|ranking|climb(?:s|ed)?|"
    r"rose|fell|dropped|slipped|jumped|moved|top|EGDI|GII|NRI|IDI|GCI|GTMI)\b", re.I)
RU_RANK_CONTEXT = re.compile(RANK_CONTEXT.pattern + r"|\b(?:" + ru.RANK_CONTEXT + r")\b", re.I)
RANK_OF = re.compile(r"\s*(?:place\s+|position\s+)?(?:out\s+of|of|among)\s+(\d{1,4})\b")

RU_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
# Not "120 (2021)": a figure and the year it refers to.
# Both open with a lookahead their match implies: the scan leaves most positions at once.
PHONE = re.compile(r"(?=[+\d])(?<![\w])(?![\d.,]{1,9}\s?\((?:19|20)\d\d\))\+?\d[\d ()\-‑.]{6,}\d(?![\w])")
URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:kz|uz|kg|tj|tm|ru|com|org|net|info|gov|io)\b(?:/\S*)?", re.I)
DATE = re.compile(
    rf"(?=\d|[{''.join(sorted({m[0] for m in MONTHS.split('|')}))}])(?:"
    rf"\b\d{{1,2}}(?:\s*[-–‑]\s*\d{{1,2}})?(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b\.?(?:,?\s+\d{{4}})?"
    rf"|\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-–‑]\s*\d{{1,2}})?(?:,?\s+\d{{4}})?(?!\d)"
    rf"|\b\d{{1,2}}\s+(?:{RU_MONTHS})\b(?:\s+\d{{4}})?"
    rf"|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}:\d{{2}}\b|\b\d+/\d+\b)"
)
FOOTNOTE = re.compile(r"\[\d{1,3}\]")
COORDINATE = re.compile(r"\d+(?:\.\d+)?\s?°\s?[NSEW]?")
PER_PEOPLE_BASE = re.compile(r"(?<=per )(?:100|1,000|1000)(?=\s+(?:people|inhabitants|persons|residents|population))")
CREDIT = re.compile(r"\((?:Photo|Source|Image|Credit)s?\s*:[^)]*\)|\[CC [^\]]*\]|\bCC BY[-A-Z]* \d\.\d")
LIST_MARKER = re.compile(r"(?=[(\d])(?:^|(?<=\s))(?:\(\d{1,2}\)|\d{1,2}\)|\d{1,2}\.(?=\s))")


def _alternation(table: dict[str, str]) -> str:
    return "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))


def _digit_figure(t: dict) -> re.Pattern[str]:
    """Figures written with digits. Case-sensitive (currency codes are capitals) and guarded by a
    lookahead, so the scan fails at once on the letters that make up most of a text."""
    return re.compile(
        rf"""
    (?=[\d$€£¥₸₽₹₼₾₮֏\\]|{"|".join(re.escape(k) for k in CURRENCY_PREFIX if k[0].isalpha())})
    (?:
    {t.get('DIGIT_FIRST', '(?!)')}|
    (?P<money_pre>(?<![A-Za-z])(?P<cur_pre>{_alternation(CURRENCY_PREFIX)})\s?(?P<mp_num>{t['NUM']})
        (?:(?:\s?(?P<mp_scale_w>(?i:{t['SCALE_WORD']}))\b)|(?P<mp_scale_l>{t['SCALE_LETTER']})(?![A-Za-z]))?
        (?:\s(?P<mp_suffix>USD|US\ dollars|dollars)\b)?)
    |(?P<pct>(?P<pc_num>{t['NUM']})(?P<pc_word>(?i:{t['PERCENT_WORD']}|{t['PERCENT_POINTS']})))
    |(?P<ord>(?P<or_num>\d{{1,4}})(?:(?:st|nd|rd|th)\b{t['ORDINAL_SUFFIX']}))
    |(?P<money_suf>(?P<ms_num>{t['NUM']})(?:\s?(?P<ms_scale>(?i:{t['SCALE_WORD']})){t['SCALE_DOT']})?\s(?P<cur_suf>(?i:{_alternation(t['CURRENCY_SUFFIX'])}))\b)
    |(?P<unit>(?P<un_num>{t['NUM']})(?:\s?(?P<un_scale>(?i:{t['SCALE_WORD']})){t['SCALE_DOT']})?[\s\-‑]?(?P<un_word>{_alternation(t['UNITS'])})\b)
    |(?P<scaled>(?P<sc_num>{t['NUM']})(?:\s?(?P<sc_word>(?i:{t['SCALE_WORD']}))\b|(?P<sc_letter>{t['SCALE_LETTER']})(?![A-Za-z])))
    |(?P<rate>(?P<ra_num>{t['NUM']})\s+(?:[a-z-]+\s+){{0,2}}per\s+(?P<ra_base>100|1,000|1000|100,000)\s+
        (?i:inhabitants|people|population|residents|persons|households)\b)
    |(?P<nin>(?P<ni_num>\d{{1,2}})\s+(?:in|out\s+of)\s+(?P<ni_of>10|100|4|5|3)\s+(?=(?i:{t['SHARE_OF']})))
    {t['DIGIT_EXTRA']}
    |(?P<plain>{t['NUM']})
    )
    """,
        re.X,
    )


def _word_figure(t: dict) -> re.Pattern[str]:
    """Figures written in words: scanned only in sentences that hold a number word."""
    return re.compile(
        rf"""
    (?P<frac>\b(?P<fr_word>{_alternation(t['FRACTIONS'])})\s+(?:of\s+)?(?={t['SHARE_OF']}))
    {t['WORD_EXTRA']}
    |(?P<words>\b(?P<wn_word>{_alternation(t['WORD_NUMBERS'])})\b)
    """,
        re.X | re.I,
    )


def _money_range(t: dict) -> re.Pattern[str]:
    return opening(
        rf"(?<![A-Za-z])(?P<cur>{_alternation(CURRENCY_PREFIX)})\s?(?P<low>{t['NUM']})\s?[-–‑]\s?(?P<high>{t['NUM']})"
        rf"\s?(?P<scale>{t['SCALE_WORD']}\b|{t['SCALE_LETTER']}(?![A-Za-z]))")


def _word_hint(t: dict) -> re.Pattern[str]:
    words = [*t['WORD_NUMBERS'], *t['FRACTIONS'], *t.get("MULTIPLIER_WORDS", ()), *t.get("ORDINAL_WORDS", ())]
    # "a million", "one billion", "a few thousand": the article is the number word; a bare "million"
    # after digits ("3 million") is not, so it does not send every sentence through the word scan.
    scaled = r"|(?:a|one|few)\s+(?:trillion|billion|million|thousand)" if "SCALED_WORD_NUMBERS" in t else ""
    hints = sorted({w.split()[-1].split("-")[0] for w in words})
    # A look at the first letter leaves most word starts at once instead of trying every word there.
    first = "".join(sorted({w[0].lower() for w in hints} | ({"a", "o", "f"} if scaled else set())))
    look = rf"(?=[{first}])" if all(w[:1].isalpha() for w in hints) else ""
    return re.compile(r"\b" + look + "(?:" + "|".join(hints) + scaled + r")\b",
                      re.I)  # whole words: "tenge" and "sixth" hold no number word


@dataclass(frozen=True)
class Grammar:
    """One language's figure patterns, compiled from its tables in `etl.lang`."""

    code: str
    tables: dict
    digit_figure: re.Pattern[str]
    word_figure: re.Pattern[str]
    money_range: re.Pattern[str]
    word_hint: re.Pattern[str]
    comparator_before: re.Pattern[str]
    comparators: tuple
    label_before: frozenset
    word_before_number: re.Pattern[str]
    capital_before: re.Pattern[str]
    free_capitals: frozenset
    edition_after: re.Pattern[str]
    rank_of: re.Pattern[str]
    duration_after: re.Pattern[str]
    decimal_comma: re.Pattern[str]
    point_thousands: re.Pattern[str] | None
    rank_noun_after: re.Pattern[str] | None
    times_before: re.Pattern[str] | None


EN_FREE_CAPITALS = frozenset({
    "in", "by", "since", "from", "to", "of", "for", "over", "under", "about", "around", "nearly", "almost", "some",
    "until", "at", "with", "only", "and", "or", "the", "all", "approximately", "roughly", "between", "during",
    "through", "total", "up"})


def _english() -> Grammar:
    t = {name: getattr(en, name) for name in ("NUM", "SCALES", "SCALE_WORD", "SCALE_LETTER", "CURRENCY_SUFFIX",
                                              "UNITS", "PERCENT_WORD", "PERCENT_POINTS", "COMPARATORS",
                                              "WORD_NUMBERS", "FRACTIONS", "SHARE_OF", "SCALED_WORD_NUMBERS")}
    t.update(ORDINAL_SUFFIX="", SCALE_DOT=r"\.?", ORDINAL_WORDS=en.ORDINAL_WORDS, MULTIPLIER_WORDS=en.MULTIPLIER_WORDS)
    # "2 thousand 167": a number written in parts (tried before "2 thousand").
    t['DIGIT_EXTRA'] = ""
    t['DIGIT_FIRST'] = (r"(?P<compound>(?P<cp_a>\d{1,3})\s+(?P<cp_scale>thousand|million)\s+"
                        r"(?P<cp_b>\d{1,3})(?![\d.,]\d))")
    after_verb = "|".join(rf"(?<=\b{verb}\s)" for verb in en.ORDINAL_VERBS)
    t['WORD_EXTRA'] = (
        rf"|(?P<word_ord>(?:{after_verb})(?:the\s+)?(?P<wo_word>{_alternation(en.ORDINAL_WORDS)})\b"
        rf"(?={en.ORDINAL_FRAME}))"
        rf"|(?P<word_scaled>\b(?P<ws_word>{_alternation(en.SCALED_WORD_NUMBERS)})\s+(?P<ws_scale>{en.WORD_SCALES})\b"
        rf"(?:\s(?P<ws_cur>{_alternation(t['CURRENCY_SUFFIX'])})\b)?)"
        # "two gigabytes of traffic", "five kilometres"
        rf"|(?P<word_unit>\b(?P<wu_word>{_alternation(en.WORD_NUMBERS)})\s+(?P<wu_unit>{_alternation(t['UNITS'])})\b)"
        rf"|(?P<mult>\b(?P<mu_word>{_alternation(en.MULTIPLIER_WORDS)})\b)")
    # "grew 2.5 times", "2.5 times more"; never "three times a week"
    t['DIGIT_EXTRA'] = rf"|(?P<times>(?P<tm_num>{en.NUM})\s+times\b(?!\s+(?:a|per|each)\s))"
    return Grammar(
        "en", t, _digit_figure(t), _word_figure(t), _money_range(t), _word_hint(t), COMPARATOR_BEFORE,
        tuple(COMPARATORS), LABEL_BEFORE, re.compile(r"([A-Za-z]+)\.?\s*#?\s*$"),
        re.compile(r"(?:^|(?<=[\s(“\"/]))([A-Z][\w’'.-]*)\s+$"), EN_FREE_CAPITALS, EDITION_AFTER, RANK_OF,
        DURATION_AFTER, DECIMAL_COMMA, None, None, None)


def _either(a: str, b: str) -> str:
    return f"(?:{a}|{b})"


def _russian() -> Grammar:
    """Russian tables over the English ones: a Russian paragraph still writes "USD", "Mbps" and "5%"."""
    comparators = [(symbol, f"{ru_words}|{en_words}")
                   for (symbol, ru_words), (_, en_words) in zip(ru.COMPARATORS, en.COMPARATORS, strict=True)]
    t = {
        "NUM": ru.NUM, "SCALES": {**en.SCALES, **ru.SCALES}, "SCALE_WORD": _either(ru.SCALE_WORD, en.SCALE_WORD),
        "SCALE_LETTER": en.SCALE_LETTER, "CURRENCY_SUFFIX": {**en.CURRENCY_SUFFIX, **ru.CURRENCY_SUFFIX},
        "UNITS": {**en.UNITS, **ru.UNITS}, "PERCENT_WORD": _either(ru.PERCENT_WORD, en.PERCENT_WORD),
        "PERCENT_POINTS": _either(ru.PERCENT_POINTS, en.PERCENT_POINTS), "COMPARATORS": comparators,
        "WORD_NUMBERS": ru.WORD_NUMBERS, "FRACTIONS": ru.FRACTIONS, "SHARE_OF": ru.SHARE_OF,
        "MULTIPLIER_WORDS": ru.MULTIPLIER_WORDS, "ORDINAL_WORDS": ru.ORDINAL_WORDS,
        "ORDINAL_SUFFIX": f"|(?P<or_suffix>{ru.ORDINAL_SUFFIX})", "SCALE_DOT": r"\.?",
    }
    t['DIGIT_EXTRA'] = (
        rf"|(?P<rank_noun>(?P<rn_num>\d{{1,4}})\s+(?=(?i:{ru.RANK_NOUN})\b))"
        rf"|(?P<times>(?P<tm_num>{ru.NUM}){ru.TIMES_AFTER})")
    t['WORD_EXTRA'] = (
        rf"|(?P<mult>\b(?P<mu_word>{_alternation(ru.MULTIPLIER_WORDS)})\b)"
        rf"|(?P<word_ord>\b(?P<wo_word>{_alternation(ru.ORDINAL_WORDS)})(?={ru.RANK_NOUN_AFTER}))"
        rf"|(?P<word_scaled>\b(?P<ws_word>{_alternation(ru.WORD_NUMBERS)})\s+(?P<ws_scale>{ru.SCALE_WORD})\b"
        rf"(?:\s(?P<ws_cur>{_alternation(t['CURRENCY_SUFFIX'])})\b)?)"
        rf"|(?P<word_times>\b(?P<wt_word>{_alternation(ru.WORD_NUMBERS)}){ru.TIMES_AFTER})")
    comparator_before = re.compile(
        r"(?:(?<=\W)|^)(?P<word>" + "|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(comparators)) + r")\s*$",
        re.I)
    return Grammar(
        "ru", t, _digit_figure(t), _word_figure(t), _money_range(t), _word_hint(t), comparator_before,
        tuple(comparators), LABEL_BEFORE | ru.LABEL_BEFORE, re.compile(ru.WORD_BEFORE_NUMBER),
        re.compile(r"(?:^|(?<=[\s(“\"/«]))([A-ZА-ЯЁ][\w’'.-]*)\s+$"), EN_FREE_CAPITALS | ru.FREE_CAPITALS,
        re.compile(ru.EDITION_AFTER, re.I), re.compile(ru.RANK_OF, re.I),
        re.compile(DURATION_AFTER.pattern + "|" + ru.DURATION_AFTER, re.I), re.compile(r"[\d \u00a0\u202f]*\d,\d+"),
        re.compile(ru.POINT_THOUSANDS), re.compile(ru.RANK_NOUN_AFTER, re.I), re.compile(ru.TIMES_BEFORE, re.I))


GRAMMARS = {"en": _english(), "ru": _russian()}
ENGLISH = GRAMMARS["en"]
DIGIT_FIGURE, WORD_FIGURE, MONEY_RANGE = ENGLISH.digit_figure, ENGLISH.word_figure, ENGLISH.money_range


@dataclass(slots=True)
class Figure:
    """One figure found in a sentence; offsets are into the document."""

    kind: str  # money | percent | rank | count | unit | rate
    value: float
    unit: str
    start: int
    end: int
    comparator: str = "="
    rank_of: int | None = None
    noun: str | None = None
    scale: float = 1.0  # the scale word's factor ("млрд" 1e9): a smaller part may follow it


HAS_DIGIT = re.compile(r"\d")
DUMP_MIN_CHARS, DUMP_LETTER_SHARE = 200, 0.15
WORD_HINT = ENGLISH.word_hint


NUMBER_SEPARATORS = re.compile(r"[,\s\u00a0\u202f]")
WORD_BEFORE_NUMBER = re.compile(r"([A-Za-z]+)\.?\s*#?\s*$")
CAPITAL_BEFORE = re.compile(r"(?:^|(?<=[\s(“\"/]))([A-Z][\w’'.-]*)\s+$")
YEAR_NUMBER = re.compile(r"(?:19|20)\d\d|2100")


def parse_number(raw: str, grammar: Grammar | None = None) -> float:
    """'3 600' -> 3600.0, '1,234.5' -> 1234.5, '78,4' -> 78.4, '2 845,7' -> 2845.7 (in Russian, '6,737' -> 6.737)."""
    if (grammar or ENGLISH).decimal_comma.fullmatch(raw):
        return float(NUMBER_SEPARATORS.sub("", raw.replace(",", ".")))
    return float(NUMBER_SEPARATORS.sub("", raw))


def masked_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of text[start:end] that hold no figures: URLs, phone numbers, dates, list markers."""
    spans = []
    for pattern, hints, keep in _MASK_HINTS:
        # One scan for a cue word is far cheaper than the full pattern; most sentences have none.
        if hints is not None and not hints.search(text, start, end):
            continue
        spans.extend((m.start(), m.end()) for m in pattern.finditer(text, start, end) if keep is None or keep(m))
    return spans


def _phone_digits(m: re.Match[str]) -> bool:
    """A phone number has seven digits or more; "11 284.6" and "2 845 310" (groups of three) are figures."""
    return sum(ch.isdigit() for ch in m.group(0)) >= 7 and not THOUSANDS_GROUPS.fullmatch(m.group(0))


THOUSANDS_GROUPS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+")


# A postal address holds a postcode and a house number, never a claim.
ADDRESS = re.compile(r"(?im)^[ \t]*(?:postal |mailing )?address\s*:.*$"
                     r"|\b\d{1,4}\s+(?:[A-Z][\w'’-]+\s+){1,3}(?:Avenue|Ave|Street|St|Road|Rd|Prospect|Boulevard|Blvd"
                     r"|Lane|Square|Highway|Str|Ulitsa|kuchasi|koshesi)\b")
MASKS = (
    (ADDRESS, ("ddress", "Avenue", "Ave", "Street", "St", "Road", "Rd", "Prospect", "Boulevard", "Blvd", "Lane",
               "Square", "Highway", "Str", "Ulitsa", "kuchasi", "koshesi")),
    (URL, ("http", "www.", "@", ".kz", ".uz", ".kg", ".tj", ".tm", ".ru", ".com", ".org", ".net", ".info",
           ".gov", ".io")),
    (PHONE, (), _phone_digits),
    (DATE, ()),
    (CREDIT, ("Photo", "Source", "Image", "Credit", "CC ")),
    (COORDINATE, ("°",)),
    (PER_PEOPLE_BASE, ("per ",)),
    (FOOTNOTE, ("[",)),
)
# (pattern, cue-word scan or None, predicate a match must pass or None)
_MASK_HINTS = [(pattern, re.compile("|".join(map(re.escape, hints))) if hints else None, rest[0] if rest else None)
               for pattern, hints, *rest in MASKS]


def _comparator(text: str, start: int, g: Grammar) -> tuple[str, int]:
    """Comparator words right before `start`, and where they begin."""
    window = text[max(0, start - 24):start]
    m = g.comparator_before.search(window)
    if not m:
        return "=", start
    if MOVED_UP.search(text, max(0, start - len(window) + m.start("word") - 12), start - len(window) + m.start("word")):
        return "=", start  # "its score moved up to 0.6497": a level reached, not an upper bound
    for i, (symbol, _) in enumerate(g.comparators):
        if m.group(f"c{i}"):
            return symbol, start - len(window) + m.start("word")
    return "=", start  # pragma: no cover - one group always matches


def _word_before(text: str, start: int, g: Grammar) -> str:
    m = g.word_before_number.search(text[max(0, start - 20):start])
    return m.group(1) if m else ""


def _is_label_number(text: str, start: int, end: int, block_start: int, g: Grammar) -> bool:
    """Numbers that name or number something: 'Article 33', 'Digital Kazakhstan 2025', '(1)', '5G'."""
    before = text[max(block_start, start - 2):start]
    if before.endswith(("-", "‑", "/", "#", "№")) and start - 2 >= block_start and text[start - 2].isalnum():
        return True
    if start > 0 and (text[start - 1].isalpha() or text[start - 1] == "_"):
        return True
    if end < len(text) and (text[end].isalpha() or text[end] in "_"):
        return True
    if end < len(text) - 1 and text[end] in "/:" and text[end + 1].isdigit():
        return True
    if text[start - 1:start] in ("*", "#") or text[end:end + 1] in ("#", "*"):  # USSD codes: "*100#"
        return True
    if start >= 2 and text[start - 1] in "+-" and text[start - 2].isalpha():  # "GMT+5", "UTC-3"
        return True
    if start >= 2 and text[start - 1] == "." and text[start - 2].isupper() and (
            start < 3 or not text[start - 3].isalpha()):  # "Table A.4", "Annex B.2"
        return True
    word = _word_before(text, start, g)
    if word.lower() in g.label_before:
        # "ranked in the top 40 nations" is a position; "a top 10 list" names one
        return not (word.lower() == "top" and TOP_RANKED.search(text, max(0, start - 40), start))
    # A capitalised word right before a bare number names it ("Windows 11", "Level 2"),
    # unless that word starts the sentence.
    return _capital_name(text, start, block_start, g)


def _capital_name(text: str, start: int, block_start: int, g: Grammar) -> bool:
    m = g.capital_before.search(text[max(block_start, start - 40):start])
    if not m:
        return False
    word = m.group(1)
    # "KAZ 41, UZB 12": a country and its value; "Tajikistan's 3,800 schools": its count.
    if is_country_word(re.sub(r"['’]s$", "", word.rstrip(".,:"))):
        return False
    if word.lower() in g.free_capitals:
        return False
    preceding = text[max(block_start, start - 40):start][: m.start(1)].rstrip()
    # Sentence-initial capital ("Around 300 ...") or after a colon is not a name.
    return bool(preceding) and preceding[-1] not in ".:;!?•-–—*("


def is_year(raw: str) -> bool:
    """A bare four-digit number between 1900 and 2100 reads as a year, not a quantity."""
    return bool(YEAR_NUMBER.fullmatch(raw))


def find_figures(text: str, start: int, end: int, block_start: int | None = None, lang: str = "en") -> list[Figure]:
    """Every figure in text[start:end] with its value, unit and comparator, read with the number
    grammar of `lang` (a code of `etl.lang`)."""
    g = GRAMMARS.get(lang, ENGLISH)
    block_start = start if block_start is None else block_start
    # Most sentences hold no figure: a cheap look for a digit or a number word skips them.
    has_digit = HAS_DIGIT.search(text, start, end) is not None
    has_word = g.word_hint.search(text, start, end) is not None
    if not has_digit and not has_word:
        return []
    masks = masked_spans(text, start, end)
    # A long run that is mostly digits and punctuation ("9,9,9,..." or a page of table numbers
    # with no words) holds no claim a reader could state: its bare numbers are not read.
    number_dump = end - start >= DUMP_MIN_CHARS and sum(map(str.isalpha, text[start:end])) < DUMP_LETTER_SHARE * (
        end - start)
    list_markers = {m.start() for m in LIST_MARKER.finditer(text, start, min(len(text), end + 1))}
    figures: list[Figure] = []
    skip_until = start
    for m in g.money_range.finditer(text, start, end):
        scale = _scale(m.group("scale"), g)
        unit = CURRENCY_PREFIX[m.group("cur")]
        low = Figure("money", parse_number(m.group("low"), g) * scale, unit, m.start(), m.end("low"), ">")
        high = Figure("money", parse_number(m.group("high"), g) * scale, unit, m.start("high"), m.end(), "<")
        figures.extend((low, high))
        masks.append((m.start(), m.end()))
    matches = list(g.digit_figure.finditer(text, start, end)) if has_digit else []
    if has_word:
        matches = sorted(matches + list(g.word_figure.finditer(text, start, end)), key=lambda m: m.start())
    for m in matches:
        s, e = m.start(), m.end()
        if s < skip_until or (masks and any(a <= s < b for a, b in masks)):
            continue
        if s > 0 and text[s - 1].isdigit():  # never start inside a number
            continue
        if number_dump and m.lastgroup in ("plain", "words"):
            continue
        figure = _figure(m, text, block_start, list_markers, g)
        if figure is None:
            continue
        if not (figure.value == figure.value and abs(figure.value) < 1e18):  # NaN or absurd
            continue
        comparator, cstart = _comparator(text, figure.start, g)
        if comparator != "=":
            figure.comparator, figure.start = comparator, max(cstart, start)
        if e < len(text) and text[figure.end:figure.end + 1] == "+":
            figure.end += 1
            figure.comparator = ">"
        if figure.rank_of is not None:  # "28th out of 193": the 193 belongs to the rank
            skip_until = g.rank_of.match(text, figure.end).end()
        figures.append(figure)
    figures.sort(key=lambda f: f.start)
    return _compounds(text, figures, g) if g.point_thousands is not None else figures


def _figure(m: re.Match[str], text: str, block_start: int, list_markers: set[int], g: Grammar) -> Figure | None:
    s, e = m.start(), m.end()
    kind = m.lastgroup
    if kind == "money_pre":
        if text[s - 1:s].isalpha() and m.group("cur_pre").isalpha():
            return None
        scale = _scale(m.group("mp_scale_w") or m.group("mp_scale_l"), g)
        return Figure("money", parse_number(m.group("mp_num"), g) * scale, CURRENCY_PREFIX[m.group("cur_pre")], s, e,
                      scale=scale)
    if kind == "pct":
        if s > 0 and (text[s - 1].isalpha() or text[s - 1] in "-‑/"):
            return None
        unit = "percentage_points" if re.search(g.tables["PERCENT_POINTS"], m.group("pc_word"), re.I) else "percent"
        return Figure("percent", parse_number(m.group("pc_num"), g), unit, s, e)
    if kind == "ord":
        return _ordinal(m, text, g)
    if kind == "money_suf":
        if _is_label_number(text, s, s + len(m.group("ms_num")), block_start, g):
            return None
        scale = _scale(m.group("ms_scale"), g)
        unit = _lookup(g.tables["CURRENCY_SUFFIX"], m.group("cur_suf"))
        return Figure("money", parse_number(m.group("ms_num"), g) * scale, unit, s, e, scale=scale)
    if kind == "unit":
        # "17.7Mbps", "6,220.764Gbps": a unit written onto the number is not a name's letter ("5G").
        number_end = m.end("un_num") if m.start("un_word") > m.end("un_num") else e
        if _is_label_number(text, s, number_end, block_start, g):
            return None
        value = parse_number(m.group("un_num"), g) * _scale(m.group("un_scale"), g)
        return Figure("unit", value, g.tables["UNITS"][m.group("un_word")], s, e)
    if kind == "scaled":
        if _is_label_number(text, s, e, block_start, g) and not m.group("sc_word"):
            return None
        if s > 0 and text[s - 1].isalpha():
            return None
        scale = _scale(m.group("sc_word") or m.group("sc_letter"), g)
        return Figure("count", parse_number(m.group("sc_num"), g) * scale, "count", s, e, scale=scale)
    if kind == "rate":
        base = m.group("ra_base").replace(",", "")
        return Figure("rate", parse_number(m.group("ra_num"), g), f"per {base} people", s, e)
    if kind == "nin":  # "9 in 10 households": a share
        value = 100.0 * float(m.group("ni_num")) / float(m.group("ni_of"))
        return Figure("percent", value, "percent", s, e - (len(m.group(0)) - len(m.group(0).rstrip())))
    if kind == "plain":
        return _plain(m, text, block_start, list_markers, g)
    if kind == "frac":
        word = m.group("fr_word").lower()
        return Figure("percent", g.tables["FRACTIONS"][word], "percent", s, s + len(m.group("fr_word")))
    if kind == "words":
        return _word_number(m, text, g)
    return _other_figure(kind, m, text, block_start, g)


def _lookup(table: dict, word: str):
    """A table's value for a word matched case-insensitively ("Тенге", "USD")."""
    return table[word] if word in table else next(v for k, v in table.items() if k.lower() == word.lower())


def _other_figure(kind: str, m: re.Match[str], text: str, block_start: int, g: Grammar) -> Figure | None:
    """Figures only some languages write: a rank by its noun ("41 место"), a multiplier ("в 10 раз",
    "вдвое"), a rank in words ("первое место"), a scaled number word ("полтора триллиона тенге")."""
    s, e = m.start(), m.end()
    if kind == "rank_noun":
        if _is_label_number(text, s, m.end("rn_num"), block_start, g) or s > 0 and text[s - 1] in "+-‑":
            return None
        figure = Figure("rank", float(m.group("rn_num")), "rank", s, m.end("rn_num"))
        rank_of = g.rank_of.match(text, e)
        if rank_of:
            figure.rank_of = int(rank_of.group(1))
        return figure
    if kind in ("times", "word_times"):
        if g.times_before is not None and not g.times_before.search(text, max(0, s - 4), s):
            return None  # Russian: "в 10 раз"
        number = m.group("tm_num") if kind == "times" else None
        value = parse_number(number, g) if number else _lookup(g.tables["WORD_NUMBERS"], m.group("wt_word"))
        if g.times_before is None and not (TIMES_GROWTH.search(text, max(0, s - 40), s)
                                           or TIMES_COMPARED.match(text, e)):
            # "mentioned 21 times" counts mentions; "grew 2.5 times", "3 times more" multiply
            return Figure("count", float(value), "count", s, m.end("tm_num")) if number else None
        return Figure("times", float(value), "times", s, e)
    if kind == "mult":
        if MULTIPLIED_TO.match(text, e):
            return None  # "tripled to 30,000", "doubled since 2022 to 62 Mbps": the level reached is the claim
        return Figure("times", float(_lookup(g.tables["MULTIPLIER_WORDS"], m.group("mu_word"))), "times", s, e)
    if kind == "word_ord":
        return Figure("rank", float(_lookup(g.tables["ORDINAL_WORDS"], m.group("wo_word"))), "rank", s, e)
    if kind == "compound":
        value = float(m.group("cp_a")) * _scale(m.group("cp_scale"), g) + float(m.group("cp_b"))
        return Figure("count", value, "count", s, e)
    if kind == "word_unit":
        unit = _lookup(g.tables["UNITS"], m.group("wu_unit"))
        return Figure("unit", float(_lookup(g.tables["WORD_NUMBERS"], m.group("wu_word"))), unit, s, e)
    if kind == "word_scaled":
        if m.group("ws_word")[:1].isupper() and _title_case_name(text, e):
            return None  # "the One Million Uzbek Coders course": a name, not a figure
        words = g.tables.get("SCALED_WORD_NUMBERS") or g.tables["WORD_NUMBERS"]
        value = _lookup(words, m.group("ws_word")) * _scale(m.group("ws_scale"), g)
        if m.group("ws_cur"):
            return Figure("money", value, _lookup(g.tables["CURRENCY_SUFFIX"], m.group("ws_cur")), s, e)
        return Figure("count", value, "count", s, e, scale=_scale(m.group("ws_scale"), g))
    return None


COUNTED_AFTER_TITLE = en.PEOPLE_NOUNS | {n.lower() for n in en.PEOPLE_NOUNS} | frozenset(
    "subscribers subscriptions connections accounts devices households homes villages lines".split())
NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][\w-]*)")  # on the same line


def _title_case_name(text: str, end: int) -> bool:
    """A title-case number followed by a title-case word that counts nothing ("One Million Uzbek Coders")
    is a name; a headline's "Top Five Million" or "Five Million Users" states a figure."""
    nxt = NEXT_WORD.match(text, end)
    return bool(nxt) and nxt.group(1)[0].isupper() and nxt.group(1).lower() not in COUNTED_AFTER_TITLE


def _scale(word: str | None, g: Grammar = ENGLISH) -> float:
    if not word:
        return 1.0
    word = word.rstrip(".")  # "thous."
    scales = g.tables["SCALES"]
    return scales.get(word.lower(), 1.0) if len(word) > 1 else scales[word.lower()]


def _ordinal(m: re.Match[str], text: str, g: Grammar) -> Figure | None:
    s, e = m.start(), m.end()
    if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "-‑"):
        return None
    if g.edition_after.match(text, e):
        return None
    if m.group("or_suffix") if "or_suffix" in m.re.groupindex else False:
        # "2022-го", "в 2021-м": a year; "5-й форум" was caught above as an edition.
        if is_year(m.group("or_num")):
            return None
    rank_of = g.rank_of.match(text, e)
    figure = Figure("rank", float(m.group("or_num")), "rank", s, e)
    if rank_of:
        figure.rank_of = int(rank_of.group(1))
    return figure


def _closes_parenthesis(text: str, start: int, end: int, block_start: int) -> bool:
    """'(0.9271, ranked 1)': the ')' after the number closes a parenthesis opened on its line, so the
    number is no list marker like '1) data leaks'."""
    if text[end:end + 1] != ")":
        return False
    line = text[max(block_start, text.rfind("\n", 0, start) + 1):start]
    return line.count("(") > line.count(")")


def _plain(m: re.Match[str], text: str, block_start: int, list_markers: set[int], g: Grammar) -> Figure | None:
    s, e = m.start(), m.end()
    raw = m.group("plain")
    if s in list_markers and not _closes_parenthesis(text, s, e, block_start):
        return None
    # "(1) data leaks" numbers a list; "Tajikistan (69)" gives a value for the name before it.
    if s > 0 and text[s - 1] == "(" and text[e:e + 1] == ")" and len(raw) <= 2:
        name_before = re.search(r"[A-Z][\w’'-]*\s*$", text[max(block_start, s - 40):s - 1])
        if not name_before:
            return None
    if is_year(raw) or _is_label_number(text, s, e, block_start, g):
        return None
    if g.duration_after.match(text, e):
        return None
    if s > 0 and text[s - 1] in "-‑–" and s > 1 and text[s - 2].isdigit():  # second half of a range "28-29"
        return None
    # Section numbers such as "1.1" at the start of a line.
    if re.fullmatch(r"\d+\.\d+", raw) and text[max(0, s - 1):s] in ("", "\n", " ") and _line_start(text, s):
        return None
    # A number alone at the end of a line after a tab or a run of spaces: a page number.
    line_end = text.find("\n", e)
    line_end = len(text) if line_end < 0 else line_end
    # A line that is only a band ("10-19", "< 10", "≥ 50"): a table's row label (age groups), not a value.
    line_start = text.rfind("\n", 0, s) + 1
    if BAND_LINE.fullmatch(text, line_start, line_end):
        return None
    # A number that is a whole line of its own: a page number of text taken from a PDF.
    if not text[e:line_end].strip() and _line_start(text, s) and len(raw) <= 4:
        return None
    if not text[e:line_end].strip() and re.search(r"(?:\t|\s{3,})$", text[block_start:s]):
        return None
    # "Introduction ........ 9": a contents line, when a contents page is in sight; elsewhere dot
    # leaders lead to a value ("Soum centres connected ........ 330").
    if not text[e:line_end].strip() and re.search(r"\.{3,}\s*$", text[block_start:s]) and \
            CONTENTS.search(text, max(0, s - 3000), s):
        return None
    # "2   Regional overview": a section number at the start of a line, set off by spaces.
    if _line_start(text, s) and len(raw) <= 2 and re.match(r"(?:\t|\s{2,})[A-Z]", text[e:e + 8]):
        return None
    rank_of = g.rank_of.match(text, e)
    before = text[max(0, s - 30):s]
    if rank_of and RANK_CONTEXT.search(before):
        return Figure("rank", parse_number(raw, g), "rank", s, e, rank_of=int(rank_of.group(1)))
    if g.point_thousands is not None and g.point_thousands.fullmatch(raw):  # "60.923 пользователей"
        return Figure("count", float(raw.replace(".", "")), "count", s, e)
    return Figure("count", parse_number(raw, g), "count", s, e)


CONTENTS = re.compile(r"(?im)^\W*(?:table of )?contents\b")


def _line_start(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip()


WORD_NUMBER_BLOCKERS = re.compile(
    r"(?:\b(?:the|these|those|its|their|our|his|her|first|last|every|each|of|all|one|any|these|which|other)\s+)$",
    re.I)
ABSTRACT_NOUNS = frozenset(
    "approaches ways aspects issues questions things sides parties reasons options factors areas "
    "challenges goals topics themes decades years months weeks days levels stages steps categories "
    "types kinds groups languages dimensions pillars principles elements directions components tasks "
    "priorities opinions views words minutes hours seconds recommendations lessons conclusions".split()
)


WORD_STOPS = frozenset(
    "of in to and or with by for from on at as that which who were was are is have has had will would can "
    "could across per through via the a an than".split()
)


def _word_number(m: re.Match[str], text: str, g: Grammar) -> Figure | None:
    """'sixteen accredited media', 'three new data centres': a count only before a countable noun."""
    s, e = m.start(), m.end()
    if g.rank_noun_after is not None:
        # Russian: only before a noun that a claim counts ("одну позицию", "шесть операторов").
        if not RU_WORD_NOUN.match(text, e):
            return None
        return Figure("count", float(_lookup(g.tables["WORD_NUMBERS"], m.group("wn_word"))), "count", s, e)
    if WORD_NUMBER_BLOCKERS.search(text[max(0, s - 12):s]):
        return None
    words = re.findall(r"[A-Za-z][\w-]*|[^\sA-Za-z]", text[e:e + 80])[:4]
    noun = None
    for word in words:
        lower = word.lower()
        if not word[0].isalpha() or lower in WORD_STOPS:
            break
        if lower in ABSTRACT_NOUNS:
            return None
        if lower.endswith("s") and len(lower) > 3 or lower in {"media", "people", "staff", "children"}:
            noun = lower
            break
    if noun is None:
        return None
    value = g.tables["WORD_NUMBERS"][m.group("wn_word").lower()]
    return Figure("count", float(value), "count", s, e)


# Nouns after a Russian number word that make it a claim: rank moves, operators, companies, villages...
RU_WORD_NOUN = re.compile(r"\s+(?:[а-яё-]+(?:ых|их|ого|ей|ую|ые|ие)\s+)?(?:" + "|".join(ru.WORD_COUNT_NOUNS) + r")\w*",
                          re.I)


def _compounds(text: str, figures: list[Figure], g: Grammar) -> list[Figure]:
    """'2 млрд. 281 млн. 800 тыс. сомони', '12 тысяч 617 человек': a number written in parts, each of a
    smaller scale, is one figure; the last part gives its unit."""
    out: list[Figure] = []
    for figure in figures:
        last = out[-1] if out else None
        if (last is not None and last.kind == "count" and last.scale > 1 and figure.kind in ("count", "money", "unit")
                and figure.value < last.scale and COMPOUND_GAP.fullmatch(text, last.end, figure.start)
                and (figure.scale < last.scale)):
            figure.value += last.value
            figure.start, figure.comparator = last.start, last.comparator
            out[-1] = figure
            continue
        out.append(figure)
    return out


COMPOUND_GAP = re.compile(r"\.?[ \u00a0\u202f]+")


# -- figures read together in one sentence --------------------------------------------------------
FROM_TO = re.compile(
    r"^\s*(?:\(\s*(?:in\s+|baseline\s+)?(?:19|20)\d\d(?:\s+(?:baseline|base year|est\.?|estimate))?\s*\)"
    r"|(?:in|by)\s+(?:19|20)\d\d)?\s*,?\s*(?:to|until|→|->)\s+$"
    rf"|^\s*(?:в\s+\w+\s+(?:19|20)\d\d\S*\s+(?:года\s+)?)?(?:{ru.RANGE_END})\s+$", re.I)
FROM_BEFORE = opening(rf"\b(?:from|{ru.CHANGE_START})\s+$", re.I)
BETWEEN_BEFORE = opening(rf"\b(?:between|{ru.RANGE_START})\s+$", re.I)
AND_BETWEEN = re.compile(rf"\s+(?:and|{ru.RANGE_END})\s+")
# Two figures written as a pair or a run, the unit or scale written once: "от 10 до 12 процентов",
# "20,9 и 11,38 Мбит/с", "92.8 и 82.4 процента", "214,8 и 287,3 тысяч", "7–8%".
UNIT_SHARED_GAP = re.compile(rf"\s*(?:,|and|or|to|{ru.AND}|или|{ru.RANGE_END}|[–—])\s*")
UNIT_BEFORE_END = re.compile(r"\s*(?:[.,;:)!?]|$|(?:in|в|на|за)\s)")
OUT_OF_BEFORE = re.compile(r"\bout\s+of\s+$")


def keep_figures(text: str, figures: list[Figure], sentence: str, previous: str, heading: str,
                 lang: str = "en") -> list[Figure]:
    """Drop ranks with no ranking in sight and word fractions restated as a percentage."""
    kept = []
    rank_context = RU_RANK_CONTEXT if lang == "ru" else RANK_CONTEXT
    for i, figure in enumerate(figures):
        # A word ordinal is read only in a ranking's frame ("is second in the region"): it needs no more.
        if figure.kind == "rank" and figure.rank_of is None and not text[figure.start].isalpha():
            paired = _paired(text, figures, i)
            if not paired and not (rank_context.search(sentence) or rank_context.search(previous)
                                   or rank_context.search(heading)):
                continue
        if figure.kind == "percent" and not text[figure.start].isdigit() and i + 1 < len(figures):
            nxt = figures[i + 1]
            between = text[figure.end:nxt.start]
            if nxt.kind == "percent" and re.fullmatch(r"\s*\(\s*", between):
                continue  # "about half (49.7 per cent)": the precise figure is the claim
        kept.append(figure)
    return kept


def _paired(text: str, figures: list[Figure], i: int) -> bool:
    """Is figure i one side of 'from X to Y'?"""
    if i + 1 < len(figures) and FROM_TO.match(text[figures[i].end:figures[i + 1].start]):
        return True
    return i > 0 and bool(FROM_TO.match(text[figures[i - 1].end:figures[i].start]))


def pair_figures(text: str, figures: list[Figure]) -> list[str | None]:
    """Read pairs: "between 20% and 25%" (the value lies within), "from X to Y" (roles "from"/"to",
    returned per figure), a scale written once ("$20 and $25 million"), and "out of N" after a rank.
    May remove the N of "out of N" from `figures`."""
    roles = _from_to_roles(text, figures)
    for i in range(len(figures) - 2, -1, -1):  # from the end, so a unit runs back along a list
        _share_unit(text, figures[i], figures[i + 1], roles[i] == "from" and roles[i + 1] == "to")
    for i in range(len(figures) - 1):
        a, b = figures[i], figures[i + 1]
        if (a.kind == b.kind and AND_BETWEEN.fullmatch(text, a.end, b.start)
                and BETWEEN_BEFORE.search(text[max(0, a.start - 9):a.start])):
            a.comparator, b.comparator = ">", "<"
            _share_scale(text, a, b)  # "between $20 and $25 million": both in millions
        elif roles[i] == "from" and roles[i + 1] == "to":
            _share_scale(text, a, b)
    _attach_rank_of(text, figures)
    return roles


def _share_unit(text: str, a: Figure, b: Figure, from_to: bool) -> None:
    """A bare number takes the unit or scale its partner writes: the first of "X и Y unit", or the
    second of "с X unit до Y" when nothing follows it."""
    if not UNIT_SHARED_GAP.fullmatch(text, a.end, b.start):
        return
    written_a = text[a.start:a.end]
    bare_a = a.kind == "count" and a.scale == 1 and not any(ch.isalpha() for ch in written_a)
    if bare_a and b.kind in ("percent", "unit", "rate"):
        a.kind, a.unit = b.kind, b.unit
    elif bare_a and b.kind == "count" and b.scale > 1 and a.value < 1000:
        a.value *= b.scale
        a.scale = b.scale
    elif from_to and b.kind == "count" and a.kind in ("percent", "unit") and UNIT_BEFORE_END.match(text, b.end):
        b.kind, b.unit = a.kind, a.unit


def _share_scale(text: str, a: Figure, b: Figure) -> None:
    """Give the first of a pair the scale written only after the second: '$20 and $25 million'."""
    if a.kind != "money" or b.kind != "money" or a.unit != b.unit:
        return
    written_a, written_b = text[a.start:a.end], text[b.start:b.end]
    number_b = re.search(NUM, written_b)
    if re.search(r"[A-Za-z]{2,}\s*$|\d[MBKmbk]n?$", written_a.rstrip(" .")) or not number_b:
        return  # a already carries its own scale
    if a.value >= 1000:
        return  # "between $250,000 and $2 million": a number written out in full takes no scale
    factor = b.value / parse_number(number_b.group(0))
    if factor > 1:
        a.value *= factor


def _attach_rank_of(text: str, figures: list[Figure]) -> None:
    """'81st in the 2022 Index, out of 193 countries': the later 'out of N' belongs to the rank."""
    for i, figure in enumerate(figures):
        if figure.kind != "rank" or figure.rank_of is not None:
            continue
        for later in figures[i + 1:]:
            if later.kind == "count" and OUT_OF_BEFORE.search(text[max(0, later.start - 8):later.start]):
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
