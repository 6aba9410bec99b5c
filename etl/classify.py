"""Which indicator a figure measures, from the words around it.

Rules are rows in ordered tables: the first pattern that matches the figure's
clause (then its sentence, then its headings) wins. A new phrasing is a new row.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from etl.figures import Figure
from etl.lang import en, ru
from etl.patterns import opening

_RULES: dict[int, list[tuple]] = {}  # compiled rule tables by id, for the cached matcher


def _with_cues(rules: list[tuple], cues: dict) -> list[tuple]:
    """The rules with another language's cue words added to the rule of the same indicator: one
    series whatever the language. `cues` is keyed by id, or by (id, n) for the n-th rule of an id."""
    seen: dict[str, int] = {}
    merged = []
    for pattern, indicator, *rest in rules:
        n = seen.get(indicator, 0)
        seen[indicator] = n + 1
        extra = cues.get((indicator, n)) or (cues.get(indicator) if n == 0 else None)
        merged.append((f"{pattern}|{extra}" if extra else pattern, indicator, *rest))
    return merged


def _compiled(rules: list[tuple]) -> list[tuple]:
    compiled = [(opening(pattern, re.I), *result) for pattern, *result in rules]
    _RULES[id(compiled)] = compiled
    return compiled


# Named indices -> ranking indicator id. A generic "<Name> Index" falls through to a slug.
INDEX_RULES = [
    (r"Global Innovation Index|\bGII\b", "gii_rank"),
    (r"E[-‑ ]?Government Development Index|\bEGDI\b|e[-‑ ]?government (?:survey|ranking)", "egdi_rank"),
    (r"E[-‑ ]?Participation Index|\bEPI\b", "epart_rank"),
    (r"(?:Government )?AI Readiness", "ai_readiness_rank"),
    (r"GovTech Maturity|\bGTMI\b", "govtech_maturity_rank"),
    (r"ICT Development Index|\bIDI\b", "ict_development_rank"),
    (r"Network Readiness|\bNRI\b", "network_readiness_rank"),
    (r"Global Cybersecurity Index|\bGCI\b", "cybersecurity_rank"),
    (r"Doing Business", "doing_business_rank"),
    (r"Digital Competitiveness", "digital_competitiveness_rank"),
    (r"Mobile Connectivity Index", "mobile_connectivity_rank"),
    (r"Inclusive Internet Index", "inclusive_internet_rank"),
    (r"Digital Quality of Life", "digital_quality_of_life_rank"),
    (r"Speedtest|Ookla", "internet_speed_rank"),
    (r"Global Competitiveness", "competitiveness_rank"),
    (r"Human Development Index|\bHDI\b", "hdi_rank"),
]
RU_INDEX_RULES = _compiled(_with_cues(INDEX_RULES, ru.INDEX_CUES))
INDEX_RULES = _compiled(INDEX_RULES)
GENERIC_INDEX = re.compile(r"((?:[A-Z][\w’'&-]*\s+){1,6}(?:Index|Ranking|Rating|Report))")

# Shares of a population -> penetration indicators (checked in order).
PENETRATION_RULES = [
    (r"\b(?:not|n['’]t|never)\s+(?:\w+\s+)?(?:using|use|uses|online|connected)|offline population|"
     r"\b(?:lacks?|lacking|without)\b", "internet_non_users_pct"),
    (r"digital literacy|digital(?:ly)? skill|computer literacy|ICT skills|digitally literate", "digital_literacy_pct"),
    (r"online banking|internet banking|mobile banking|digital payment|cashless|bank accounts?|financial inclusion",
     "digital_banking_users_pct"),
    (r"telemedicine|telehealth|e[-‑ ]?health", "telemedicine_coverage_pct"),
    (r"e[-‑ ]?government|public services|government services|services (?:available )?online",
     "egov_services_online_pct"),
    (r"(?:4G|5G|LTE|3G)\b|mobile (?:network )?coverage|network coverage", "mobile_network_coverage_pct"),
    (r"broadband", "broadband_penetration_pct"),
    (r"mobile|cellular|smartphone|teledensity", "mobile_penetration_pct"),
    (r"internet|penetration|online|connected|connectivity", "internet_penetration_pct"),
    (r"website|cloud|software|computers?\b|e[-‑ ]?commerce|digital|ICT", "digital_adoption_pct"),
]
RU_PENETRATION_RULES = _compiled(_with_cues(PENETRATION_RULES, ru.PENETRATION_CUES))
PENETRATION_RULES = _compiled(PENETRATION_RULES)
# A percentage is a penetration rate only when it measures a share of people or places.
POPULATION_SHARE = opening(
    r"population|people|citizens|households?|residents|adults|individuals|users|respondents|penetration|coverage|"
    r"of (?:all )?(?:[\w-]+ ){0,2}(?:women|men|girls|youth|schools|villages|settlements|localities|towns|firms|"
    r"businesses|SMEs|enterprises|companies)\b|"
    r"literacy|uses? (?:the )?internet|using (?:the )?internet|internet (?:access|use|usage)|connected|subscri|"
    r"\b(?:firms|SMEs|businesses|enterprises|companies)\b|teledensity|"
    r"(?-i:of [A-Z][a-z]+(?:ians|ans|is|ese|ks|ens)\b)", re.I)

CHANGE = opening(
    r"\b(?:increas\w*|grow\w*|grew|rise|rose|rising|gain\w*|up|higher|faster|boost\w*|improv\w*|reduc\w*|"
    r"cut\w*|decreas\w*|declin\w*|fell|drop\w*|lower\w*|slower|sav\w*|down)\b", re.I)

MONEY_RULES = [
    (r"capital expenditure|\bcapex\b|\bFDI\b|foreign direct", "investment_amount", "investment"),
    (r"budget|allocat|appropriat|earmark|spend|expenditure|estimate[sd]? cost|set aside|sets aside",
     "budget_amount", "budget"),
    (r"invest|fund|financ|grant|loan|\blen[dt]|pledg|commit|mobiliz|mobilis|capital|venture|donat|credit|raise|"
     r"costing|project cost|"
     r"\baid\b|assistance|provid\w* (?:\w+ )?(?:US\$|\$|€|USD|EUR)|project worth|worth (?:US\$|\$|€)",
     "investment_amount", "investment"),
    (r"\brequest\w*|\bapprov\w*", "budget_amount", "budget"),  # after loans: "approved a $50m loan"
    (r"export", "ict_exports", "other"),
    (r"e[-‑ ]?commerce|online (?:sales|shopping|trade|retail)", "ecommerce_sales", "other"),
    (r"revenue|income|turnover|sales", "revenue", "other"),
    (r"market", "market_size", "other"),
    (r"\bGDP\b|economy", "digital_economy_output", "other"),
]
RU_MONEY_RULES = _compiled(_with_cues(MONEY_RULES, ru.MONEY_CUES))
MONEY_RULES = _compiled(MONEY_RULES)

# Head nouns after a count -> indicator id. Unknown nouns become a slug of the noun.
COUNT_NOUNS = {
    "participants": "event_participants", "attendees": "event_participants", "delegates": "event_participants",
    "listeners": "event_participants", "visitors": "event_participants", "guests": "event_participants",
    "students": "students_reached", "learners": "students_reached", "pupils": "students_reached",
    "graduates": "ict_graduates", "specialists": "it_specialists", "professionals": "it_specialists",
    "users": "users", "subscribers": "subscribers", "customers": "users", "clients": "users",
    "accounts": "users", "people": "people_reached", "persons": "people_reached", "citizens": "people_reached",
    "individuals": "people_reached", "residents": "people_reached", "beneficiaries": "people_reached",
    "countries": "countries", "nations": "countries", "economies": "countries", "regions": "regions",
    "agencies": "government_agencies", "ministries": "government_agencies", "bodies": "government_agencies",
    "organizations": "organizations", "organisations": "organizations", "institutions": "organizations",
    "startups": "startups", "start-ups": "startups", "companies": "companies", "firms": "companies",
    "businesses": "companies", "enterprises": "companies", "smes": "companies",
    "technoparks": "tech_parks", "hubs": "tech_parks", "incubators": "tech_parks", "accelerators": "tech_parks",
    "centres": "data_centres", "centers": "data_centres", "stations": "base_stations", "towers": "base_stations",
    "transactions": "digital_transactions", "payments": "digital_transactions", "transfers": "digital_transactions",
    "records": "data_records", "cameras": "surveillance_cameras", "media": "media_outlets",
    "outlets": "media_outlets", "publications": "media_outlets", "newspapers": "media_outlets",
    "times": "media_mentions", "mentions": "media_mentions", "articles": "media_mentions",
    "sessions": "event_sessions", "panels": "event_sessions", "workshops": "event_sessions",
    "events": "events", "trainings": "event_sessions", "municipalities": "localities", "villages": "localities",
    "settlements": "localities", "localities": "localities", "schools": "schools", "hospitals": "hospitals",
    "links": "network_links", "cables": "network_links", "lines": "network_links", "services": "digital_services",
    "platforms": "digital_platforms", "apps": "digital_platforms", "applications": "digital_platforms",
    "projects": "projects", "programs": "programmes", "programmes": "programmes", "satellites": "satellites",
    "cases": "cases", "incidents": "cyber_incidents", "attacks": "cyber_incidents", "breaches": "cyber_incidents",
    "domains": "domain_names", "names": "domain_names", "websites": "websites", "sites": "websites",
    "jobs": "jobs", "employees": "jobs", "workers": "jobs", "women": "people_reached",
    "places": "rank_change", "positions": "rank_change", "spots": "rank_change", "notches": "rank_change",
}
UNIT_INDICATORS = {
    "km": "network_length", "MW": "power_capacity", "GW": "power_capacity", "Mbps": "internet_speed",
    "Gbit/s": "bandwidth", "Tbit/s": "bandwidth", "kbps": "internet_speed", "TB": "data_volume",
    "PB": "data_volume", "GB": "data_volume",
    "seconds": "time_taken", "minutes": "time_taken", "hours": "time_taken",
}
TARGET = opening(r"\b(?:target\w*|aim(?:s|ed|ing)? (?:to|at)|goal|plans? to|planned|will (?:reach|increase|rise)|"
                    r"expected to|projected|forecast)\b", re.I)


class Rules(NamedTuple):
    """One language's classification tables. A Russian paragraph reads the English rules with the
    Russian cues added to each (reports quote English index names); an English one, only the English."""

    index: list
    penetration: list
    money: list
    population_share: re.Pattern[str]
    change: re.Pattern[str]
    target: re.Pattern[str]


RULES = {
    "en": Rules(INDEX_RULES, PENETRATION_RULES, MONEY_RULES, POPULATION_SHARE, CHANGE, TARGET),
    "ru": Rules(RU_INDEX_RULES, RU_PENETRATION_RULES, RU_MONEY_RULES,
                opening(POPULATION_SHARE.pattern + "|" + ru.POPULATION_SHARE, re.I),
                opening(CHANGE.pattern + r"|\b(?:" + ru.CHANGE + r")\b", re.I),
                opening(TARGET.pattern + r"|\b(?:" + ru.TARGET + r")\b", re.I)),
}
WORD = re.compile(r"[A-Za-z][\w\-‑]*")
BY_BEFORE = re.compile(r"\bby\s+\S*$", re.I)
NOUN_STOPS = frozenset(
    "of in to and or with by for from on at as that which who were was are is have has had will would can "
    "could across per through via the a an than more new additional over under about only some".split()
)


def _first(rules: list[tuple], *texts: str):
    """The first rule that matches the nearest text: the clause beats the sentence beats the headings."""
    for text in texts:
        if not text:
            continue
        found = _match(id(rules), text)
        if found is not None:
            return list(rules[found][1:])
    return None


@lru_cache(maxsize=8192)
def _match(rules_id: int, text: str) -> int | None:
    """Index of the first rule matching `text`; cached, as every figure of a sentence asks the same."""
    for i, (pattern, *_) in enumerate(_RULES[rules_id]):
        if pattern.search(text):
            return i
    return None


def index_indicator(*texts: str, rules: list | None = None) -> str | None:
    """The ranking indicator named in the first text that names an index, or None."""
    found = _first(rules or INDEX_RULES, *texts)
    if found:
        return found[0]
    for text in texts:
        m = GENERIC_INDEX.search(text or "")
        if m:
            return slug(m.group(1)) + "_rank"
    return None


def slug(words: str) -> str:
    """'Government Agencies' -> 'government_agencies'."""
    return re.sub(r"[^a-z0-9]+", "_", words.lower()).strip("_")[:60] or "figure"


NOUN_TOKENS = re.compile(r"[A-Za-zА-Яа-яЁё][\w\-‑]*|\d+[A-Za-z]\w*|[^\sA-Za-zА-Яа-яЁё]")
COUNT_NOUNS.update(ru.COUNT_NOUNS)
# A Russian noun is known by its stem ("пользователей" -> "пользовател"); longest stems first.
RU_NOUN = re.compile(r"(?:[а-яё-]+(?:ых|их|ого|ой|ые|ие|ую|ая|ый|ий|ым|им)\s+){0,2}("
                     + "|".join(sorted(ru.COUNT_NOUNS, key=len, reverse=True)) + r")", re.I)
RU_LETTER = re.compile(r"\.?\s*[А-Яа-яЁё]")


@lru_cache(maxsize=1024)  # a count's noun is asked for by its units, its people and its measure
def count_noun(text: str, end: int) -> str | None:
    """The noun a count counts: the first plural or known noun in the next few words (in Russian, a
    known noun's stem after at most two adjectives: "6 мобильных операторов" -> "оператор")."""
    if RU_LETTER.match(text, end):
        m = RU_NOUN.match(text, RU_LETTER.match(text, end).end() - 1)
        return m.group(1).lower() if m else None
    words = NOUN_TOKENS.findall(text, end, end + 80)[:5]
    for word in words:
        lower = word.lower()
        if word[0].isdigit() and len(word) > 1:  # "5G base stations": a technology, read on
            continue
        if lower in en.WORD_NUMBERS:  # "5.6 million twelve months earlier": the noun is the other number's
            return None
        if not word[0].isalpha() or lower in NOUN_STOPS:
            if lower in {"more", "new", "additional", "over", "some"}:
                continue
            return None
        if lower in COUNT_NOUNS or (lower.endswith("s") and len(lower) > 3 and not lower.endswith("ss")):
            return lower
    return None


def classify(figure: Figure, clause: str, sentence: str, context: str, noun: str | None,
             before: str = "", previous: str = "", lang: str = "en") -> tuple[str, str]:
    """(indicator id, category) of a figure.

    `clause` and `sentence` hold it, `before` is the clause up to the figure, `previous` the
    earlier sentences of its paragraph and `context` its headings.
    """
    by = bool(BY_BEFORE.search(before[-40:]))
    return _classified(figure.kind, figure.unit, clause, sentence, context, noun, by, previous,
                       lang if lang in RULES else "en")


@lru_cache(maxsize=4096)
def _classified(kind: str, unit: str, clause: str, sentence: str, context: str, noun: str | None, by: bool,
                previous: str, lang: str) -> tuple[str, str]:
    # Cached: the figures of one clause share their words, so a clause with hundreds of figures
    # (a table dump) is classified once per kind of figure, not once per figure.
    figure = Figure(kind, 0.0, unit, 0, 0)
    rules = RULES[lang]
    indicator, category = _classify(figure, clause, sentence, context, noun, "by" if by else "", previous, rules)
    if rules.target.search(clause) and category in ("penetration", "other") and not indicator.endswith("_target"):
        indicator += "_target"
    return indicator, category


def _classify(figure: Figure, clause: str, sentence: str, context: str, noun: str | None,
              before: str, previous: str, rules: Rules) -> tuple[str, str]:
    if figure.kind == "rank":
        return index_indicator(clause, sentence, previous, context, rules=rules.index) or "ranking_other", "ranking"
    if figure.kind == "index":  # an index score: "egdi_score" beside "egdi_rank"
        ranked = index_indicator(clause, sentence, previous, context, rules=rules.index)
        return (ranked.removesuffix("_rank") + "_score" if ranked else "index_score"), "other"
    if figure.kind == "money":
        found = _first(rules.money, clause, sentence, context)
        return (found[0], found[1]) if found else ("money_amount", "other")
    if figure.kind == "percent":
        return _percent(figure, clause, sentence, context, before, previous, rules)
    if figure.kind == "unit":
        return UNIT_INDICATORS.get(figure.unit, slug(figure.unit)), "other"
    if figure.kind == "rate":  # "142 per 100 inhabitants": subscriptions or users per 100 people
        found = _first(rules.penetration, clause, sentence, context, previous)
        return (found[0].replace("_pct", "_per100") if found else "per100_other"), "penetration"
    if noun:
        return COUNT_NOUNS.get(noun, slug(noun)), "other"
    return "count_other", "other"


# Compiled once: every percentage of a new clause asks them.
FEMALE = re.compile(r"\bfemale|\bwomen\b|\bgirls\b", re.I)
GROWTH_RATE = re.compile(r"growth rate|annual growth|rate of growth", re.I)
ASIDES_AND_NUMBERS = re.compile(r"\([^)]*\)|[\d.,%]+")
COVERAGE = re.compile(r"penetration|internet coverage|coverage", re.I)


def _percent(figure: Figure, clause: str, sentence: str, context: str, before: str,
             previous: str = "", rules: Rules = RULES["en"]) -> tuple[str, str]:
    if figure.unit == "percentage_points":
        return "change_percentage_points", "other"
    if FEMALE.search(clause) and not rules.population_share.search(clause):
        return "female_share_pct", "other"
    if GROWTH_RATE.search(clause):
        return "growth_rate_pct", "other"
    if (rules.change.search(clause) or before == "by") and not rules.population_share.search(clause):
        return "change_pct", "other"
    # A share of people: this clause first, then the sentence and headings for the topic.
    # A bare "Label: 79.4%" clause takes its topic from the label in the sentence, or from the
    # title line above a list of such lines.
    # Short: few words besides its figures and years ("from 48% (2021 baseline) to 80%").
    short = len(clause) < 30 or len(ASIDES_AND_NUMBERS.sub(" ", clause).split()) < 4
    share = rules.population_share
    if share.search(clause) or (short and share.search(sentence)) \
            or share.search(context) or (short and len(sentence) < 40 and share.search(previous)):
        found = _first(rules.penetration, clause, sentence, context, previous)
        if found:
            return found[0], "penetration"
    if COVERAGE.search(clause):
        found = _first(rules.penetration, clause, sentence, context)
        if found:
            return found[0], "penetration"
    if rules.change.search(clause):
        return "change_pct", "other"
    return "share_pct", "other"


def count_noun_before(text: str, start: int, floor: int) -> str | None:
    """A known countable noun earlier in the sentence: '... cameras ..., with more than 13,000 installed'."""
    words = WORD.findall(text, max(floor, start - 200), start)  # the last few words are enough
    for word in reversed(words):
        if word.lower() in COUNT_NOUNS:
            return word.lower()
    return None


# -- the measure and subject of one figure in its sentence ----------------------------------------
EARLIER_VALUE = re.compile(
    r"\b(?:(?:up|down|rising|falling|increasing|decreasing|compared)\s+(?:from|with|to)|against|versus|vs\.?)\s+"
    r"(?:just\s+|only\s+|some\s+)?"
    r"(?:(?:a|an|the)\s+)?(?:(?:world|global|regional|national|\w+)\s+average\s+of\s+)?$", re.I)
# "the global average of 67%", "a regional median of 12%": a value of the same measure elsewhere.
AVERAGE_BEFORE = re.compile(r"\b(?:average|median|mean|figure|level)\s+(?:(?:of|at|was|is|stood\s+at)\s+)?$", re.I)
# "the share was 84.1%", "that figure had reached 83%": the measure of an earlier sentence.
ANAPHOR = re.compile(r"\b(?:th(?:at|is|e|ese|ose)\s+(?:same\s+|corresponding\s+|equivalent\s+)?"
                     r"(?:figures?|shares?|rates?|proportions?|numbers?)|the\s+same)\b(?!\s+(?:of|for)\b)", re.I)
QUOTED_NAME = re.compile(r"[\"“«]([^\"”»]{3,80})[\"”»]")
PROGRAMME = re.compile(
    r"((?:[A-Z][\w’'-]*\s+){1,6}(?:[Pp]rogram(?:me)?|[Pp]roject|[Ii]nitiative|[Ff]und|[Ss]trategy|[Pp]lan|[Pp]latform"
    r"|[Cc]orridor|[Ss]ystem))")
CHANGE_OBJECT = re.compile(
    r"(?:reduc\w*|cut\w*|increas\w*|improv\w*|boost\w*|rais\w*|lower\w*|shorten\w*)\s+((?:[\w-]+\s+){1,4}?)by\s+\S*$",
    re.I)


def sentence_nouns(text: str, figures, sentence_start: int) -> list[str | None]:
    """The noun each count counts.

    "200 offline and 350 online participants": a count borrows the noun of the next count, else of
    the one before ("of 363 municipalities, 105 can"), else a noun earlier in the sentence. Two
    linear passes, so a sentence with hundreds of figures stays cheap.
    """
    own = [count_noun(text, f.end) if f.kind == "count" else None for f in figures]
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
            nouns[i] = following[i] or carry or count_noun_before(text, figure.start, sentence_start)
        if own[i] and figure.kind == "count":
            carry = own[i]
    return nouns


def figure_measure(ctx, i: int, noun: str | None, earlier: list) -> tuple[str, str]:
    """(indicator, category) of figure i of a `SentenceContext`; `earlier` holds the claims already
    made from this sentence (a compared value keeps the measure of the figure it is compared with)."""
    text, figure, clause, sentence = ctx.text, ctx.figures[i], ctx.clause(i), ctx.sentence
    indicator, category = classify(figure, text[clause.start:clause.end], text[sentence.start:sentence.end],
                                   ctx.paragraph.heading_text, noun, before=text[clause.start:figure.start],
                                   previous=ctx.previous, lang=ctx.lang)
    # "88% ..., up from 71% in 2019": the earlier value of the same indicator.
    if i and EARLIER_VALUE.search(text[max(clause.start, figure.start - 30):figure.start]):
        last = earlier[-1] if earlier and earlier[-1].char_start == ctx.figures[i - 1].start else None
        if last and ctx.figures[i - 1].kind == figure.kind:
            indicator, category = last.indicator, last.category
    # A bare share set against an average, or pointing back ("the share was 84%"), measures
    # what the last percentage of the sentence or paragraph measured.
    if indicator == "share_pct" and (AVERAGE_BEFORE.search(text, max(clause.start, figure.start - 40), figure.start)
                                     or ANAPHOR.search(text, clause.start, figure.start)):
        same = [c for c in earlier if c.unit == "percent"]
        measure = (same[-1].indicator, same[-1].category) if same else ctx.paragraph.percent_measure
        if measure:
            indicator, category = measure
    return indicator, category


def figure_subject(ctx, i: int, indicator: str, noun: str | None) -> str | None:
    """What figure i is about beyond its indicator: a programme, a changed quantity, a counted noun."""
    text, figure, clause = ctx.text, ctx.figures[i], ctx.clause(i)
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
        stop = end + len(noun)
        while 0 <= end and stop < len(text) and text[stop].isalpha():  # a Russian stem: to the end of its word
            stop += 1
        phrase = text[figure.end:stop] if 0 <= end - figure.end < 80 else noun
        if re.search(r"\d", phrase):  # a borrowed noun: "200 offline and 350 online participants"
            first = re.match(r"\s*([A-Za-z][\w-]*)", phrase)
            phrase = f"{first.group(1)} {noun}" if first and first.group(1).lower() != noun else noun
        return " ".join(phrase.replace("+", " ").split()) or None
    return None
