"""Country and region mentions: names, adjectives, possessives and codes.

Names and ISO codes come from pycountry (every ISO 3166-1 country, kept up to
date upstream); the tables below add what pycountry does not know: the
adjectives, short forms and unofficial codes that regional reports use.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from etl.lang import ru
from etl.patterns import opening
from etl.schema import REGIONS

# Adjectives, demonyms, short and local forms -> alpha-3. Possessives ("Kazakhstan's")
# are handled by the pattern, not listed here.
ALIASES = {
    "Kazakh": "KAZ", "Kazakhstani": "KAZ", "Qazaqstan": "KAZ", "Republic of Kazakhstan": "KAZ",
    "Uzbek": "UZB", "Uzbekistani": "UZB", "Republic of Uzbekistan": "UZB",
    "Kyrgyz": "KGZ", "Kyrgyzstani": "KGZ", "Kyrgyz Republic": "KGZ", "Kirghizia": "KGZ",
    "Tajik": "TJK", "Tajikistani": "TJK", "Republic of Tajikistan": "TJK",
    "Turkmen": "TKM", "Turkmenistani": "TKM",
    "Azerbaijani": "AZE", "Azeri": "AZE", "Georgian": "GEO", "Mongolian": "MNG",
    "Pakistani": "PAK", "Afghan": "AFG", "Afghanistani": "AFG",
    "Chinese": "CHN", "PRC": "CHN", "People's Republic of China": "CHN", "P.R. China": "CHN",
    "Russia": "RUS", "Russian": "RUS", "Iran": "IRN", "Iranian": "IRN", "Turkey": "TUR", "Turkish": "TUR",
    "Türkiye": "TUR", "Indian": "IND", "Estonian": "EST", "Moldovan": "MDA", "Armenian": "ARM",
    "USA": "USA", "U.S.": "USA", "United States": "USA", "American": "USA", "UK": "GBR",
    "United Kingdom": "GBR", "British": "GBR", "South Korea": "KOR", "Korean": "KOR",
    "Japanese": "JPN", "German": "DEU", "French": "FRA", "Canadian": "CAN", "Belarusian": "BLR",
    "Ukrainian": "UKR", "Romanian": "ROU", "Israeli": "ISR", "Emirati": "ARE", "UAE": "ARE",
    "Saudi": "SAU", "Korea": "KOR", "Vietnam": "VNM", "Laos": "LAO", "Syria": "SYR", "Bolivia": "BOL",
    "Tanzania": "TZA", "Venezuela": "VEN", "Czechia": "CZE", "Czech Republic": "CZE",
    # Plural demonyms: "a third of Armenians", "1.4m Georgians".
    "Kazakhstanis": "KAZ", "Kazakhs": "KAZ", "Uzbeks": "UZB", "Uzbekistanis": "UZB", "Kyrgyzstanis": "KGZ",
    "Tajiks": "TJK", "Turkmens": "TKM", "Azerbaijanis": "AZE", "Georgians": "GEO", "Mongolians": "MNG",
    "Pakistanis": "PAK", "Afghans": "AFG", "Armenians": "ARM", "Russians": "RUS", "Iranians": "IRN",
    "Indians": "IND", "Turks": "TUR",
    # Provinces that reports name instead of their country.
    "Xinjiang": "CHN", "Xinjiang Uygur Autonomous Region": "CHN", "Tibet": "CHN", "Karakalpakstan": "UZB",
    "Gorno-Badakhshan": "TJK", "Punjab": "PAK", "Sindh": "PAK", "Khyber Pakhtunkhwa": "PAK", "Balochistan": "PAK",
}

# Capitals and large cities: read as their country only where a sentence names no country at all
# ("Tashkent has committed ..."), never as a mention in their own right.
PLACES = {
    "Astana": "KAZ", "Nur-Sultan": "KAZ", "Almaty": "KAZ", "Shymkent": "KAZ", "Karaganda": "KAZ", "Aktobe": "KAZ",
    "Tashkent": "UZB", "Samarkand": "UZB", "Bukhara": "UZB", "Bishkek": "KGZ", "Osh": "KGZ", "Dushanbe": "TJK",
    "Khujand": "TJK", "Ashgabat": "TKM", "Baku": "AZE", "Tbilisi": "GEO", "Batumi": "GEO", "Ulaanbaatar": "MNG",
    "Ulan Bator": "MNG", "Islamabad": "PAK", "Karachi": "PAK", "Lahore": "PAK", "Rawalpindi": "PAK",
    "Kabul": "AFG", "Beijing": "CHN", "Urumqi": "CHN", "Moscow": "RUS", "Yerevan": "ARM",
}

# Russian names in every case form, from the tables of `etl.lang.ru`.
RU_NAMES = {form: code for name, code in ru.COUNTRIES.items() for form in ru.declined(name)}
RU_NAMES.update(ru.COUNTRY_FORMS)
RU_PLACES = {form: code for name, code in ru.PLACES.items() for form in ru.declined(name)}
PLACES_ALL = {**PLACES, **RU_PLACES}
PLACE_CODES = {**PLACES_ALL, **{name.upper(): code for name, code in PLACES_ALL.items()}}

# Codes written in reports. Only these alpha-3 codes are read as countries: the
# full ISO list would turn acronyms such as CAN or ARE into false mentions.
CODES = {
    "KAZ": "KAZ", "UZB": "UZB", "KGZ": "KGZ", "TJK": "TJK", "TAJ": "TJK", "TKM": "TKM",
    "AZE": "AZE", "GEO": "GEO", "MNG": "MNG", "MON": "MNG", "PAK": "PAK", "CHN": "CHN",
    "AFG": "AFG", "RUS": "RUS", "IRN": "IRN", "TUR": "TUR", "IND": "IND",
}

REGION_ALIASES = {
    "Central Asia": "XCA", "Central Asian": "XCA", "CA region": "XCA",
    "CAREC": "XCR", "CAREC region": "XCR", "CAREC countries": "XCR",
    "Central Asia Regional Economic Cooperation": "XCR",
    "SCO": "XSC", "Shanghai Cooperation Organization": "XSC", "Shanghai Cooperation Organisation": "XSC",
    "Central and South Asia": "XCS", "Central and South Asian": "XCS",
    "CIS": "XCI", "Commonwealth of Independent States": "XCI",
}

# Weak mentions: used only when a clause names no country or region at all.
WORLD_WORDS = ("worldwide", "globally", "the world", "global")

NAMES = {code: name for code, name in REGIONS.items()}


@dataclass(frozen=True, slots=True)
class Mention:
    code: str
    start: int
    end: int
    weak: bool = False
    place: bool = False  # a city standing for its country


def _names() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            # "Iran, Islamic Republic of" style names never occur in prose.
            if value and "," not in value:
                table[value] = country.alpha_3
    table.update(ALIASES)
    table.update(REGION_ALIASES)
    table.update(RU_NAMES)
    table.update(ru.REGIONS)
    return table


TOKEN = re.compile(r"(?<![\w])[A-ZА-ЯЁ][\w.]*")
# "Global" before a capitalised word names something ("Global Innovation Index"), not the world.
WORLD = re.compile(r"(?<![\w])(?:[Ww]orldwide|[Gg]lobally|[Tt]he world|[Gg]lobal(?!\s+[A-Z]))(?!\w)")
# An explicit world figure ("a world average of 67%") names the world as strongly as a country name.
# So does "World" as the label of a list line ("World — 67.4%").
WORLD_AVERAGE = opening(r"(?<![\w])(?:world(?:wide)?|global)\s+(?:average|mean|median|total)\b"
                           r"|(?:(?<=\n)|^)[ \t]*World(?=\s*[:—–-]\s*\d)", re.I)


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[str, str]]]:
    """Names keyed by their first capitalised token, longest first.

    One scan of capitalised tokens plus a dict lookup is several times faster than one regex
    alternation of ~700 names, and finds the same longest match.
    """
    index: dict[str, list[tuple[str, str]]] = {}
    for name, code in {**_names(), **CODES}.items():
        first = TOKEN.match(name)
        if first:
            index.setdefault(first.group(0).rstrip(".-"), []).append((name, code))
    for names in index.values():
        names.sort(key=lambda item: len(item[0]), reverse=True)
    return index


@lru_cache(maxsize=1)
def _places_index() -> dict[str, list[tuple[str, str]]]:
    index = {key: list(names) for key, names in _index().items()}
    # Datelines write the city in capitals: "ALMATY, 12 March 2025 —".
    for name, code in PLACE_CODES.items():
        key = TOKEN.match(name).group(0).rstrip(".-")
        index.setdefault(key, []).append((name, code))
        index[key].sort(key=lambda item: len(item[0]), reverse=True)
    return index


def find_mentions(text: str, places: bool = False) -> list[Mention]:
    """Every country, region and (weak) world mention in `text`, in order; cities too with `places`."""
    index = _places_index() if places else _index()
    mentions = []
    covered = 0  # end of the last mention: "China" inside "People's Republic of China" is not another
    for token in TOKEN.finditer(text):
        start = token.start()
        if start < covered:
            continue
        for key in (token.group(0), token.group(0).rstrip(".-")):
            candidates = index.get(key)
            if candidates:
                break
        else:
            continue
        for name, code in candidates:
            end = start + len(name)
            if not text.startswith(name, start):
                continue
            if text[end:end + 2] in ("'s", "’s"):
                end += 2
            if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                continue
            if _in_compound_name(text, start, end, index) or _not_a_region(text, start, end, name, code):
                # "Pak-China Phase-I OFC Project" names a project; "the Central Asian country" is the
                # document's country, not the region.
                covered = end
                break
            mentions.append(Mention(code, start, end, place=PLACE_CODES.get(name) == code))
            covered = end
            break
    if CYRILLIC.search(text):
        # Russian adjectives ("казахстанский", "Кыргызской Республики") and the world ("в мире").
        taken = [(m.start, m.end) for m in mentions]
        for m in RU_ADJECTIVE.finditer(text):
            if not any(a <= m.start() < b for a, b in taken):
                mentions.append(Mention(RU_ADJECTIVE_CODES[m.group(1).lower()], m.start(), m.end()))
        mentions.extend(Mention("WLD", m.start(), m.end(), weak=True) for m in RU_WORLD.finditer(text))
    if "orld" in text or "lobal" in text:  # skip two regex scans in texts that never name the world
        strong_world = [Mention("WLD", m.start(), m.end()) for m in WORLD_AVERAGE.finditer(text)]
        taken = {m.start for m in strong_world}
        mentions.extend(strong_world)
        mentions.extend(Mention("WLD", m.start(), m.end(), weak=True) for m in WORLD.finditer(text)
                        if m.start() not in taken)
    mentions.sort(key=lambda m: m.start)
    return mentions


CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# "SCO" is also Pakistan's Special Communications Organization: the region only as "the SCO", "SCO members".
AMBIGUOUS_ACRONYMS = frozenset({"SCO"})
AS_REGION_AFTER = re.compile(r"\s+(?:member|countries|states|nations|region|summit|space|area|economies)", re.I)
AS_REGION_BEFORE = re.compile(r"\bthe\s+$", re.I)
THE_REGION = opening(r"\b(?:in|across|of)\s+the\s+region\b|\bthe\s+region['’]s\b", re.I)
THE_COUNTRY = opening(r"\bthe\s+country(?:['’]s)?\b", re.I)
IN_AFTER_FIGURE = re.compile(r"\s*(?:[a-z][\w-]*\s+){0,3}?(?:in|across)\s+(?:the\s+)?")
REFERS_TO_A_COUNTRY = re.compile(r"\s+(?:country|nation|republic|state)\b")
HYPHEN_WORD_BEFORE = re.compile(r"([A-Za-z]+)[-‑]$")
HYPHEN_WORD_AFTER = re.compile(r"[-‑]([A-Za-z]+)")


def _not_a_region(text: str, start: int, end: int, name: str, code: str) -> bool:
    """'the Central Asian country' is a country; a bare 'SCO' may be an operator, not the region."""
    if code in REGIONS and REFERS_TO_A_COUNTRY.match(text, end):
        return True
    return name in AMBIGUOUS_ACRONYMS and not AS_REGION_AFTER.match(text, end) \
        and not AS_REGION_BEFORE.search(text, max(0, start - 12), start)


def _in_compound_name(text: str, start: int, end: int, index: dict) -> bool:
    """Is a mention half of a hyphenated name with a word that is no country ("Pak-China Phase-I")?
    "AZE-KAZ-GEO" and "China-Pakistan" are lists of countries."""
    before = HYPHEN_WORD_BEFORE.search(text, max(0, start - 20), start)
    after = HYPHEN_WORD_AFTER.match(text, end)
    other = (before.group(1) if before else None) or (after.group(1) if after else None)
    # Only a capitalised partner makes a name; "Kazakhstan-based" and "China-made" still name the country.
    return other is not None and len(other) >= 3 and other[0].isupper() and other not in index \
        and other.rstrip(".-") not in index  # "E-Mongolia" is still Mongolia's


RU_ADJECTIVE_CODES = {stem: code for stem, code in ru.ADJECTIVES.items()}
RU_ADJECTIVE = re.compile(r"(?<![\w])(" + "|".join(sorted(ru.ADJECTIVES, key=len, reverse=True)) + r")"
                          + ru.ADJECTIVE_ENDINGS + r"(?!\w)", re.I)
RU_WORLD = re.compile(ru.WORLD, re.I)


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """Readable name of an alpha-3 or region code."""
    if code in NAMES:
        return NAMES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def is_known(code: str) -> bool:
    """True for an ISO alpha-3 code or a documented region code."""
    return code in NAMES or pycountry.countries.get(alpha_3=code) is not None


def is_country_word(word: str) -> bool:
    """Is `word` on its own a country or region name, adjective or code ("KAZ", "Georgia")?"""
    if not word or not word[0].isupper():
        return False
    return any(name == word for name, _ in _index().get(word, ()))


# -- the country of one figure --------------------------------------------------------------------
# A document that names no country but prices in a national currency is about that country.
CURRENCY_COUNTRY = {"KZT": "KAZ", "UZS": "UZB", "KGS": "KGZ", "TJS": "TJK", "TMT": "TKM", "AZN": "AZE",
                    "GEL": "GEO", "MNT": "MNG", "PKR": "PAK", "AFN": "AFG", "AMD": "ARM"}
NATIONAL_CURRENCY = re.compile(
    r"\b(?:" + "|".join(CURRENCY_COUNTRY) + r")\b|[₸₼₾₮]|\b(?:tenge|soums?|somoni|manat|lari|tugriks?)\b"
    r"|(?<!\w)(?:" + "|".join(ru.CURRENCY_COUNTRY) + r")\w{0,3}(?!\w)")
CURRENCY_WORDS = {"₸": "KAZ", "₼": "AZE", "₾": "GEO", "₮": "MNG", "tenge": "KAZ", "soum": "UZB", "soums": "UZB",
                  "somoni": "TJK", "lari": "GEO", "tugrik": "MNG", "tugriks": "MNG"}
# "manat" is Azerbaijan's and Turkmenistan's, "som" Kyrgyzstan's and (as so'm) Uzbekistan's.
SHARED_CURRENCY = {("AZN", "TKM"): "TMT", ("KGS", "UZB"): "UZS", ("PKR", "IND"): "INR", ("INR", "PAK"): "PKR"}
LIST_JOIN = re.compile(rf"^\s*(?:,\s*(?:and\s+|{ru.AND}\s+)?|and\s+|&\s+|{ru.AND}\s+|[-‑–/]\s*)$")
DASH_TO = re.compile(r"\s*[—–]\s*")
EACH = opening(rf"\b(?:each|both|all three|all four|respectively|{ru.EACH})\b", re.I)


def currency_countries(text: str) -> Counter:
    """Countries of the national currencies a text prices in ("KZT million", "₸", "tenge")."""
    found = Counter()
    for m in NATIONAL_CURRENCY.finditer(text):
        token = m.group(0)
        code = CURRENCY_COUNTRY.get(token) or CURRENCY_WORDS.get(token.lower()) or next(
            (c for stem, c in ru.CURRENCY_COUNTRY.items() if token.lower().startswith(stem)), None)
        if code:
            found[code] += 1
    return found


def main_subject(frequency: Counter) -> str:
    """The document's main subject: its most named country, unless a region is named far more often."""
    if not frequency:
        return "WLD"
    countries = [(code, n) for code, n in frequency.most_common() if code not in REGIONS]
    regions = [(code, n) for code, n in frequency.most_common() if code in REGIONS]
    if countries and countries[0][1] >= 3 and (not regions or countries[0][1] >= 0.5 * regions[0][1]):
        return countries[0][0]
    return frequency.most_common(1)[0][0]


def currency_unit(unit: str, code: str) -> str:
    """The currency a shared name means in `code`'s country: 'manat' in Turkmenistan is TMT."""
    return SHARED_CURRENCY.get((unit, code), unit)


SENTENCE_STOP = re.compile(r"[.;]")


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
    return group if len(group) >= 2 and not SENTENCE_STOP.search(text, group[-1].end, pos) else []


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


def figure_countries(ctx, i: int) -> list[str]:
    """Country codes of figure i of a `SentenceContext`: one, or one per country of 'X and Y each'."""
    text, figure, clause, mentions = ctx.text, ctx.figures[i], ctx.clause(i), ctx.mentions
    paragraph = ctx.paragraph
    strong = [m for m in mentions if not m.weak and not m.place]
    in_clause = [m for m in strong if clause.start <= m.start < clause.end]
    before = [m for m in strong if m.end <= figure.start]
    # "X and Y each ...": one claim per country named before the figure, unless a later
    # place or "the world" names this figure's own subject ("..., while in Z the figure is 45%").
    each = EACH.search(text, before[0].start, figure.start) if before else None
    if each and len({m.code for m in before if m.end <= each.start()}) >= 2 and not any(
            each.end() <= m.start < figure.start for m in mentions):
        return list(dict.fromkeys(m.code for m in before if m.end <= each.start()))
    # "..., above the world average of 67%": a world word in the figure's own clause, before it,
    # names the world when that clause names no country before the figure.
    if any(m.weak and clause.start <= m.start and m.end <= figure.start for m in mentions) and not any(
            clause.start <= m.start and m.end <= figure.start for m in strong):
        return ["WLD"]
    group = _group_before(text, before, figure.start)  # `before` holds the strong mentions before it
    if len(group) >= 2 and (not in_clause or in_clause[-1] in group or all(m in group for m in in_clause)):
        if not any(m.start > group[-1].end and m.end <= figure.start for m in strong):
            codes = list(dict.fromkeys(m.code for m in group))
            # "Georgia and Armenia reached 86% and 88% (respectively)": as many figures in a row as
            # countries in the list, so the n-th figure is the n-th country's.
            run = ctx.run(i)
            if len(run) == len(codes) >= 2:
                return [codes[run.index(i)]]
            return codes
    # "71,1% — Узбекистана": in Russian a dash after the figure leads to whose figure it is.
    if ctx.lang == "ru":
        dashed = next((m for m in in_clause if m.start >= figure.end and DASH_TO.fullmatch(text, figure.end, m.start)),
                      None)
        if dashed:
            return [dashed.code]
    # "900 km in Kazakhstan and 550 km in the Kyrgyz Republic": a place named right after the figure
    # with "in" is that figure's, whatever the clause named before it.
    in_after = [m for m in strong if 0 <= m.start - figure.end <= 40
                and IN_AFTER_FIGURE.fullmatch(text, figure.end, m.start)]
    if in_after and not any(figure.end <= f.start < in_after[0].start for f in ctx.figures):
        return [in_after[0].code]
    clause_before = [m for m in in_clause if m.end <= figure.start]
    if clause_before:
        # "Kazakhstan leads the CAREC region at 52nd place": the country, not the region it leads
        if clause_before[-1].code in REGIONS:
            countries_before = [m for m in clause_before if m.code not in REGIONS]
            if countries_before:
                return [countries_before[-1].code]
        return [clause_before[-1].code]
    if ctx.main_country in REGIONS and THE_REGION.search(text, clause.start, clause.end):
        return [ctx.main_country]  # "80 million subscriptions in the region" of a text about the region
    # "66% worldwide", "12% globally": a world figure set against a country's.
    if any(m.weak and 0 <= m.start - figure.end <= 3 for m in mentions):
        return ["WLD"]
    clause_after = [m for m in in_clause if m.start >= figure.end and not _in_long_list(text, strong, m)]
    if clause_after:
        return [clause_after[0].code]
    before = [m for m in before if not _in_long_list(text, strong, m)]
    if before:
        return [before[-1].code]
    # "Globally, 67% of people ...": a world word before the figure and no country before it.
    if any(m.weak and m.end <= figure.start for m in mentions) and not THE_COUNTRY.search(
            text, ctx.sentence.start, ctx.sentence.end):  # "... worldwide league, the speed in the country was"
        return ["WLD"]
    # A later "world average" is what the sentence compares with, not this figure's subject.
    after = [m for m in strong if m.start >= figure.end and m.code != "WLD" and not _in_long_list(text, strong, m)]
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
        known = paragraph.country or paragraph.heading_country or ctx.main_country
        if (figure.unit, known) in SHARED_CURRENCY:  # "690 manats" in a text about Turkmenistan
            return [known]
        return [CURRENCY_COUNTRY[figure.unit]]
    if paragraph.country:
        return [paragraph.country]
    if paragraph.heading_country:
        return [paragraph.heading_country]
    weak = [m for m in mentions if m.weak and clause.start <= m.start < clause.end]
    if weak:
        return ["WLD"]
    return [ctx.main_country]
