"""English recognition tables: number grammar, scale words, currencies, units, comparators, number words.

Data only. `etl.figures` compiles its patterns from these tables; another language is another
module with the same names (see `etl.lang`).
"""

from __future__ import annotations

# 1,234,567.8 | 12 345.6 or 2 845,7 (thousands grouped with spaces) | 78,4 (a decimal comma, as texts
# translated from Russian write it: one or two digits after the comma) | 96 or 96.5
NUM = (r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!,\d)"
       r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+|,\d{1,2}(?![\d,]))?(?!\d)(?![.,]\d)"
       r"|\d+,\d{1,2}(?![\d,])|\d+(?:\.\d+)?)")

SCALES = {
    "trillion": 1e12, "tn": 1e12, "trn": 1e12, "trln": 1e12, "trl": 1e12, "mlrd": 1e9, "bil": 1e9,
    "billion": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9,
    "million": 1e6, "mn": 1e6, "mln": 1e6, "mil": 1e6, "m": 1e6,
    "thousand": 1e3, "k": 1e3, "ths": 1e3, "thous": 1e3, "thousands": 1e3, "'000": 1e3, "’000": 1e3,
    "millions": 1e6, "billions": 1e9,  # as table headers and labels declare them: "Subscribers, '000"
    "crore": 1e7, "lakh": 1e5,
}
SCALE_WORD = r"(?:trillion|billion|million|thousand|thous\.?|crore|lakh|trln|mlrd|bln|mln|trn|trl|bn|mn|tn)"
SCALE_LETTER = r"(?:[MBKkmb]|bn|mn|tn)"  # attached only: "3.837M", "1.4m", "Rs 6.33b"; "100 m" stays a distance

# Currency written after the amount -> ISO 4217.
CURRENCY_SUFFIX = {
    "USD": "USD", "US dollars": "USD", "U.S. dollars": "USD", "dollars": "USD", "EUR": "EUR",
    "euros": "EUR", "euro": "EUR", "tenge": "KZT", "KZT": "KZT", "soums": "UZS", "soum": "UZS",
    "sum": "UZS", "UZS": "UZS", "som": "KGS", "soms": "KGS", "KGS": "KGS", "somoni": "TJS",
    "TJS": "TJS", "manats": "AZN", "manat": "AZN", "tenges": "KZT", "laris": "GEL",
    "AZN": "AZN", "lari": "GEL", "GEL": "GEL", "tugriks": "MNT",
    "tugrik": "MNT", "MNT": "MNT", "rupees": "PKR", "PKR": "PKR", "yuan": "CNY", "renminbi": "CNY",
    "CNY": "CNY", "rubles": "RUB", "roubles": "RUB", "RUB": "RUB", "drams": "AMD", "dram": "AMD", "AMD": "AMD",
    "afghanis": "AFN", "afghani": "AFN", "Afs": "AFN",
}
# Physical units written after a number -> unit name.
UNITS = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "MW": "MW", "GW": "GW", "Mbps": "Mbps", "Mbit/s": "Mbps", "Gbps": "Gbit/s", "Gbit/s": "Gbit/s",
    "Tbps": "Tbit/s", "Tbit/s": "Tbit/s", "kbps": "kbps", "Kbps": "kbps", "kbit/s": "kbps", "Kbit/s": "kbps",
    "kilobits per second": "kbps", "kilobytes per second": "kbps", "megabits per second": "Mbps",
    "gigabits per second": "Gbit/s", "gigabytes": "GB", "gigabyte": "GB", "terabytes": "TB", "megabytes": "MB",
    "sq km": "sq km", "sq. km": "sq km", "km2": "sq km", "km²": "sq km",
    "TB": "TB", "PB": "PB", "GB": "GB", "seconds": "seconds", "minutes": "minutes", "hours": "hours",
}
PERCENT_WORD = r"(?:\s?%|\s?per\s?cent\b|\s?percent\b|\s?pct\b|pc\b)"  # "0.70pc" (South Asian press)
PERCENT_POINTS = r"\s?(?:percentage\s+points|pp)\b"

COMPARATORS = [
    (">", r"more than|over|above|at least|in excess of|upwards of|exceeding|exceeded|surpassed|passed|topped"
          r"|greater than|no fewer than"
          r"|no less than|>|≥|>="),
    ("<", r"less than|under|below|fewer than|up to|at most|no more than|just under|within|<|≤|<="),
    ("~", r"about|around|approximately|approx\.|roughly|some|circa|nearly|almost|an estimated|estimated"
          r"|close to|closer to|~|≈"),
]
WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100,
    "one hundred": 100, "a dozen": 12,
}
FRACTIONS = {
    "half": 50.0, "one half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "one-third": 100 / 3,
    "two thirds": 200 / 3, "two-thirds": 200 / 3, "a quarter": 25.0, "one quarter": 25.0,
    "one-quarter": 25.0, "three quarters": 75.0, "three-quarters": 75.0, "one in five": 20.0,
    "one in four": 25.0, "one in three": 100 / 3, "one in ten": 10.0, "a fifth": 20.0, "one fifth": 20.0,
}
_SMALL = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
FRACTIONS.update({f"{_SMALL[n - 1]} {link} {_SMALL[d - 1]}": 100.0 * n / d
                  for d in range(2, 11) for n in range(1, d) for link in ("in", "out of")})
# A fraction is a figure only when it is a share of people or things: "half of the population".
SHARE_OF = r"(?:the\s+)?(?:[\w’',]+\s+){0,2}?(?:population|people|citizens|households|residents|users|adults|" \
           r"SMEs|smes|firms|" \
           r"respondents|individuals|women|men|youth|children|students|companies|businesses|firms|" \
           r"enterprises|schools|villages|municipalities|country|countries|subscribers|Kazakhstanis|" \
           r"Uzbeks|Kyrgyz|Tajiks|inhabitants|[A-Z][a-z]+(?:ians|ans|is|ese|ks|ens))\b"

# Ordinal words: "is second in the region", "ranked third among 15 economies".
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "twentieth": 20,
}
# Verbs after which an ordinal word is a position, and what may follow it (a ranking's frame).
ORDINAL_VERBS = ("is", "was", "are", "were", "ranks", "ranked", "placed", "came", "comes", "finished", "stands",
                 "stood", "remains", "remained", "took", "takes", "ranking")
ORDINAL_FRAME = (r"\s+(?:place|position|in\s+the\s+(?:region|world|ranking|index|CIS)|among|worldwide|globally|"
                 r"regionally|out\s+of|of\s+\d|in\s+(?:Central\s+Asia|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\s+(?:Index|"
                 r"Ranking|Report|rankings?)))")
# Word numbers before a scale: "two trillion soum", "Users Top Five Million", "a million".
SCALED_WORD_NUMBERS = {"a": 1, "one": 1, **{k: v for k, v in WORD_NUMBERS.items() if v < 100},
                       "a hundred": 100, "one hundred": 100, "a few": 3}
WORD_SCALES = r"(?:trillion|billion|million|thousand)"

# Multipliers written as words: "the number has doubled", "almost twice as many".
MULTIPLIER_WORDS = {"twice": 2, "doubled": 2, "twofold": 2, "tripled": 3, "threefold": 3, "trebled": 3,
                    "quadrupled": 4, "fourfold": 4}

# Counted nouns that are people: their counts have the unit `people` (jobs are people employed);
# subscribers, subscriptions, connections and accounts stay `count`.
PEOPLE_NOUNS = frozenset(
    "users people persons citizens individuals residents inhabitants beneficiaries women men girls boys youth "
    "children adults students learners pupils graduates specialists professionals engineers developers "
    "programmers employees workers staff jobs enrolment enrollment freelancers participants attendees delegates "
    "visitors respondents teachers doctors patients farmers entrepreneurs ministers officials servants coders "
    "listeners viewers readers members experts speakers journalists researchers scientists representatives "
    "Kazakhstanis Uzbeks Kyrgyz Tajiks Turkmens Azerbaijanis Georgians Mongolians Pakistanis Afghans Armenians".split())

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
