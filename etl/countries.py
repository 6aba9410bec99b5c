"""Country and region mentions: names, adjectives, possessives and codes.

Names and ISO codes come from pycountry (every ISO 3166-1 country, kept up to
date upstream); the tables below add what pycountry does not know: the
adjectives, short forms and unofficial codes that regional reports use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

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

PLACE_CODES = {**PLACES, **{name.upper(): code for name, code in PLACES.items()}}

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
    return table


TOKEN = re.compile(r"(?<![\w])[A-Z][\w.]*")
# "Global" before a capitalised word names something ("Global Innovation Index"), not the world.
WORLD = re.compile(r"(?<![\w])(?:[Ww]orldwide|[Gg]lobally|[Tt]he world|[Gg]lobal(?!\s+[A-Z]))(?!\w)")
# An explicit world figure ("a world average of 67%") names the world as strongly as a country name.
# So does "World" as the label of a list line ("World — 67.4%").
WORLD_AVERAGE = re.compile(r"(?<![\w])(?:world(?:wide)?|global)\s+(?:average|mean|median|total)\b"
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
            mentions.append(Mention(code, start, end, place=PLACE_CODES.get(name) == code))
            covered = end
            break
    if "orld" in text or "lobal" in text:  # skip two regex scans in texts that never name the world
        strong_world = [Mention("WLD", m.start(), m.end()) for m in WORLD_AVERAGE.finditer(text)]
        taken = {m.start for m in strong_world}
        mentions.extend(strong_world)
        mentions.extend(Mention("WLD", m.start(), m.end(), weak=True) for m in WORLD.finditer(text)
                        if m.start() not in taken)
    mentions.sort(key=lambda m: m.start)
    return mentions


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
