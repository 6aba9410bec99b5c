"""End to end: short paragraphs in the style of regional reports -> the claims a careful reader takes.

Each expected claim is (country, category, value, unit, year, year_basis, comparator, rank_of);
the extractor must return exactly these claims, no more.
"""

from __future__ import annotations

import pytest

from etl.claim import Claim
from etl.extract import extract_claims
from etl.schema import CATEGORIES


def xfail(reason: str) -> pytest.MarkDecorator:
    """A correct expectation the recognizer does not meet yet (reported to the lead)."""
    return pytest.mark.xfail(reason=reason, strict=True)


Row = tuple[str, str, float, str, "int | None", "str | None", str, "int | None"]


def _rows(claims: list[Claim]) -> list[Row]:
    return sorted((c.country, c.category, c.value, c.unit, c.year, c.year_basis, c.comparator, c.rank_of)
                  for c in claims)


def _check_offsets(text: str, claims: list[Claim]) -> None:
    for c in claims:
        assert text[c.char_start:c.char_end] == c.as_written
        assert text[c.quote_start:c.quote_start + len(c.quote)] == c.quote
        assert c.quote_start <= c.char_start < c.char_end <= c.quote_start + len(c.quote)
        assert c.category in CATEGORIES


# (paragraph, reference year, expected claims)
CASES = [
    # -- percentages, with the year stated or taken from the publication date
    ("In Mongolia, 83.9 per cent of individuals used the internet in 2023.", 2024,
     [("MNG", "penetration", 83.9, "percent", 2023, "stated", "=", None)]),
    ("Azerbaijan's e-government portal now serves more than half of the population.", 2024,
     [("AZE", "penetration", 50, "percent", 2024, "inferred", ">", None)]),
    ("Across Central Asia, about 72% of households had internet access in 2023.", 2024,
     [("XCA", "penetration", 72, "percent", 2023, "stated", "~", None)]),
    ("Worldwide, 67% of people used the internet in 2023.", 2024,
     [("WLD", "penetration", 67, "percent", 2023, "stated", "=", None)]),
    pytest.param(
        "In Turkmenistan, only 38% of the population was online in 2022, against 66% worldwide.", 2023,
        [("TKM", "penetration", 38, "percent", 2022, "stated", "=", None),
         ("WLD", "penetration", 66, "percent", 2022, "stated", "=", None)]),
    # -- "from X to Y": two claims, each with its own year
    ("Broadband penetration in Kyrgyzstan rose from 38% in 2018 to 61% in 2022.", 2023,
     [("KGZ", "penetration", 38, "percent", 2018, "stated", "=", None),
      ("KGZ", "penetration", 61, "percent", 2022, "stated", "=", None)]),
    pytest.param(
        "Between 2019 and 2023, Armenia rose from 64th to 49th in the ranking.", 2024,
        [("ARM", "ranking", 64, "rank", 2019, "stated", "=", None),
         ("ARM", "ranking", 49, "rank", 2023, "stated", "=", None)]),
    pytest.param(
        "Uzbekistan climbed from 87th to 69th in the Network Readiness Index between 2020 and 2023.", 2024,
        [("UZB", "ranking", 69, "rank", 2023, "stated", "=", None),
         ("UZB", "ranking", 87, "rank", 2020, "stated", "=", None)]),
    pytest.param(
        "Between 2019 and 2023, the number of internet users in Uzbekistan rose from 16 million to 27 million.",
        2024,
        [("UZB", "other", 16e6, "people", 2019, "stated", "=", None),
         ("UZB", "other", 27e6, "people", 2023, "stated", "=", None)]),
    # -- money, with symbols, codes and scale words
    ("Pakistan allocated Rs 2.4 billion for e-governance in the 2023 budget.", 2024,
     [("PAK", "budget", 2.4e9, "PKR", 2023, "stated", "=", None)]),
    ("The Asian Development Bank approved US$75 million in 2021 to finance broadband in Tajikistan.", 2022,
     [("TJK", "investment", 75e6, "USD", 2021, "stated", "=", None)]),
    ("Kazakhstan's state budget for 2024 allocates KZT 1.2 trillion to digitalisation.", 2024,
     [("KAZ", "budget", 1.2e12, "KZT", 2024, "stated", "=", None)]),
    ("Kazakhstani startups raised €35 million in venture funding in 2023.", 2024,
     [("KAZ", "investment", 35e6, "EUR", 2023, "stated", "=", None)]),
    (r"CAREC members mobilised over \$2B for digital infrastructure.", 2025,
     [("XCR", "investment", 2e9, "USD", None, None, ">", None)]),  # an event, no year: not dated by publication
    ("The PRC pledged $300M in grants for rural connectivity.", 2024,
     [("CHN", "investment", 300e6, "USD", None, None, "=", None)]),
    # -- ranks: "out of N" is part of the rank, never a claim of its own
    ("In 2023, Kazakhstan was ranked 24th out of 132 economies in the Global Innovation Index.", 2024,
     [("KAZ", "ranking", 24, "rank", 2023, "stated", "=", 132)]),
    ("Mongolia climbed to 12th place in the regional ranking in 2024.", 2024,
     [("MNG", "ranking", 12, "rank", 2024, "stated", "=", None)]),
    ("In the 2024 ranking, Armenia (49th) and Mongolia (71st) trail Georgia.", 2024,
     [("ARM", "ranking", 49, "rank", 2024, "stated", "=", None),
      ("MNG", "ranking", 71, "rank", 2024, "stated", "=", None)]),
    # -- several countries
    ("Kazakhstan and Uzbekistan each committed $150 million to data centres in 2024.", 2024,
     [("KAZ", "investment", 150e6, "USD", 2024, "stated", "=", None),
      ("UZB", "investment", 150e6, "USD", 2024, "stated", "=", None)]),
    ("The AZE-KAZ-GEO customs pilot shortened border checks by 25% in 2023.", 2024,
     [("AZE", "other", 25, "percent", 2023, "stated", "=", None),
      ("GEO", "other", 25, "percent", 2023, "stated", "=", None),
      ("KAZ", "other", 25, "percent", 2023, "stated", "=", None)]),
    # -- counts, names and codes
    ("The Kyrgyz Republic's Tunduk system linked over 90 state bodies by 2023.", 2024,
     [("KGZ", "other", 90, "count", 2023, "stated", ">", None)]),
    ("UZB recorded 9.1 million mobile banking users in 2024.", 2025,
     [("UZB", "other", 9.1e6, "people", 2024, "stated", "=", None)]),
    ("Azerbaijani universities train 12,000+ ICT specialists a year.", 2024,
     [("AZE", "other", 12_000, "people", None, None, ">", None)]),  # a yearly flow, not a present stock
    ("The Uzbek forum in 2023 was covered by fourteen accredited media.", 2023,
     [("UZB", "other", 14, "count", 2023, "stated", "=", None)]),
    ("Over the course of 2 years, Georgia built three new data centres.", 2024,
     [("GEO", "other", 3, "count", None, None, "=", None)]),
    ("Kazakh operator Kcell, which works with partners worldwide, reached 10 million subscribers in 2023.", 2024,
     [("KAZ", "other", 10e6, "count", 2023, "stated", "=", None)]),
]


# Context a careful reader carries across clauses and sentences: datelines, "each", world figures,
# "the share was", "two years later", "now", list lines under a title, currencies.
CONTEXT_CASES = [
    # A dateline city in capitals names the country of a document that names none.
    ("BISHKEK, 2 May 2024 — The ministry will spend KGS 1.5 billion on school connectivity this year.\n\n"
     "The operator also plans 300 new base stations.", 2024,
     [("KGZ", "budget", 1.5e9, "KGS", 2024, "stated", "=", None),
      ("KGZ", "other", 300, "count", None, None, "=", None)]),  # a plan without a year
    # A national currency names the country when nothing else does.
    ("The cabinet approved UZS 900 billion for the e-government programme in 2024.", 2024,
     [("UZB", "budget", 9e11, "UZS", 2024, "stated", "=", None)]),
    # "each" covers the figures of its own clause, not a later country's or the world's.
    ("Georgia and Armenia each reported mobile coverage above 98%, while in Afghanistan the figure was "
     "about 70%.", 2024,
     [("ARM", "penetration", 98, "percent", None, None, ">", None),  # reported, undated: no year
      ("GEO", "penetration", 98, "percent", None, None, ">", None),
      ("AFG", "penetration", 70, "percent", None, None, "~", None)]),
    ("Mongolia and Georgia each spend about 0.4% of GDP on e-government, against a world average close "
     "to 0.9%.", 2024,
     [("GEO", "other", 0.4, "percent", None, None, "~", None),  # a yearly flow, not a present stock
      ("MNG", "other", 0.4, "percent", None, None, "~", None),
      ("WLD", "other", 0.9, "percent", None, None, "~", None)]),
    # A world word in the figure's own clause names the world; the compared value keeps the measure.
    ("Fixed broadband reached 31% of Azerbaijani households in 2023, well above the global figure of 19%.", 2024,
     [("AZE", "penetration", 31, "percent", 2023, "stated", "=", None),
      ("WLD", "penetration", 19, "percent", 2023, "stated", "=", None)]),
    # "the share was": the measure of the sentence before; "two years later": counted from its year.
    ("In 2022, 64% of Tajik adults had a bank account. Two years later the share was 71%.", 2025,
     [("TJK", "penetration", 64, "percent", 2022, "stated", "=", None),
      ("TJK", "penetration", 71, "percent", 2024, "stated", "=", None)]),
    # "the corresponding shares were": plural pointers back keep the measure too.
    ("In 2024, 81% of Armenian households had internet access. In Georgia, the corresponding share was 86%.",
     2025,
     [("ARM", "penetration", 81, "percent", 2024, "stated", "=", None),
      ("GEO", "penetration", 86, "percent", 2024, "inferred", "=", None)]),
    # "X and Y ... 86% and 88%": as many figures as countries, read in order ("respectively").
    ("Georgia and Armenia reached 86% and 88% household internet access respectively in 2024.", 2025,
     [("GEO", "penetration", 86, "percent", 2024, "stated", "=", None),
      ("ARM", "penetration", 88, "percent", 2024, "stated", "=", None)]),
    ("Kazakhstan, Uzbekistan and Kyrgyzstan ranked 24th, 69th and 77th in the EGDI 2024.", 2025,
     [("KAZ", "ranking", 24, "rank", 2024, "stated", "=", None),
      ("UZB", "ranking", 69, "rank", 2024, "stated", "=", None),
      ("KGZ", "ranking", 77, "rank", 2024, "stated", "=", None)]),
    # Near miss: a later clause's year dates its own figure, not the one before ("..., with ... added in 2024").
    ("The initial budget of Tajikistan's project was US$50 million, with US$7 million added in 2024.", 2025,
     [("TJK", "budget", 5e7, "USD", None, None, "=", None),
      ("TJK", "budget", 7e6, "USD", 2024, "stated", "=", None)]),
    # Near miss: a figure and its earlier value are not a pair of countries' figures.
    ("Kazakhstan and Uzbekistan reported 4G coverage of 92% in 2024, up from 85% in 2022.", 2025,
     [("KAZ", "penetration", 92, "percent", 2024, "stated", "=", None),
      ("UZB", "penetration", 92, "percent", 2024, "stated", "=", None),
      ("KAZ", "penetration", 85, "percent", 2022, "stated", "=", None),
      ("UZB", "penetration", 85, "percent", 2022, "stated", "=", None)]),
    # Near miss: "the share of X" names its own measure.
    ("In 2022, 64% of Tajik adults had a bank account. The share of ICT in GDP was 3.1% in 2023.", 2025,
     [("TJK", "penetration", 64, "percent", 2022, "stated", "=", None),
      ("TJK", "other", 3.1, "percent", 2023, "stated", "=", None)]),
    ("Internet use in Armenia reached 79% in 2023, compared with 65% four years earlier.", 2024,
     [("ARM", "penetration", 79, "percent", 2023, "stated", "=", None),
      ("ARM", "penetration", 65, "percent", 2019, "stated", "=", None)]),
    # "now" dates a figure to the publication, not to the year of an earlier clause.
    ("Launched in 2019, the Mongolian portal now lists 650 services.", 2025,
     [("MNG", "other", 650, "count", 2025, "inferred", "=", None)]),
    # A possessive country before a count does not make the count a name ("Windows 11").
    ("Nearly half of Kyrgyzstan's 2,200 schools have no fibre link.", 2024,
     [("KGZ", "other", 50, "percent", 2024, "inferred", "~", None),
      ("KGZ", "other", 2200, "count", 2024, "inferred", "=", None)]),
    # Lines under a title: each line's country, the title's unit, topic and year.
    ("Fixed broadband subscriptions per 100 people, 2024\nGeorgia — 24.1\nArmenia — 19.8", 2025,
     [("GEO", "penetration", 24.1, "per 100 people", 2024, "inferred", "=", None),
      ("ARM", "penetration", 19.8, "per 100 people", 2024, "inferred", "=", None)]),
    ("Households with internet access, 2023\nMongolia: 78.5%\nGeorgia: 89.6%\nWorld: 68.2%", 2024,
     [("MNG", "penetration", 78.5, "percent", 2023, "inferred", "=", None),
      ("GEO", "penetration", 89.6, "percent", 2023, "inferred", "=", None),
      ("WLD", "penetration", 68.2, "percent", 2023, "inferred", "=", None)]),
    # Money: FDI and capital expenditure are investment; an approved loan stays a loan.
    ("FDI into Georgia's ICT sector reached $310 million in 2023.", 2024,
     [("GEO", "investment", 3.1e8, "USD", 2023, "stated", "=", None)]),
    ("Kazakh operators' capital expenditure totalled KZT 420 billion in 2023.", 2024,
     [("KAZ", "investment", 4.2e11, "KZT", 2023, "stated", "=", None)]),
    ("The bank approved a $40 million loan to Tajikistan in 2024.", 2024,
     [("TJK", "investment", 4e7, "USD", 2024, "stated", "=", None)]),
    ("Tajikistan's mobile internet share is closer to 45%.", 2024,
     [("TJK", "other", 45, "percent", 2024, "inferred", "~", None)]),
]


# Documents as PDF text extraction leaves them: running headers, contents pages, tables laid out
# with spaces, lists under a lead-in line, footnote markers.
DOCUMENT_CASES = [
    ("Table 2 Spending on the e-Mongolia platform, 2022-2023 (MNT million)\n\n"
     "Year        Planned      Spent\n2022          41 000        39 500\n2023          45 200        44 950\n",
     2024,
     [("MNG", "budget", 4.1e10, "MNT", 2022, "stated", "=", None),
      ("MNG", "budget", 3.95e10, "MNT", 2022, "stated", "=", None),
      ("MNG", "budget", 4.52e10, "MNT", 2023, "stated", "=", None),
      ("MNG", "budget", 4.495e10, "MNT", 2023, "stated", "=", None)]),
    ("Armenia: mobile broadband subscriptions (per 100 people)\n"
     "                       2022       2023\nMobile broadband       88.1       91.4\n", 2024,
     [("ARM", "penetration", 88.1, "per 100 people", 2022, "stated", "=", None),
      ("ARM", "penetration", 91.4, "per 100 people", 2023, "stated", "=", None)]),
    ("Targets by 2028\n  - 450 new base stations in Kyrgyzstan\n  - 4G for 95% of the population\n\n"
     "The regulator reported 3,100 base stations in 2024.", 2025,
     [("KGZ", "other", 450, "count", 2028, "stated", "=", None),
      ("KGZ", "penetration", 95, "percent", 2028, "stated", "=", None),
      ("KGZ", "other", 3100, "count", 2024, "stated", "=", None)]),
    # A document that names no country but prices in tenge is about Kazakhstan.
    ("## Budget\n\n| Programme | 2025 plan |\n|---|---|\n| Cybersecurity (KZT million) | 12,450 |\n\n"
     "Spending rose by 15.6% in 2025.", 2025,
     [("KAZ", "budget", 1.245e10, "KZT", 2025, "stated", "=", None),
      ("KAZ", "other", 15.6, "percent", 2025, "stated", "=", None)]),
    # Dot-leader lines are a table: one figure per line, each line its own quote; the financier
    # named on a line is its counterpart; the money goes to the country of the heading.
    ("Rural broadband in Tajikistan\n\nFinancing (2023)\nADB loan ........................... US$40.0 million\n"
     "Grant from Korea ..................... US$5.0 million\nGovernment of Tajikistan ............. TJS 20 million",
     2024,
     [("TJK", "investment", 4e7, "USD", 2023, "inferred", "=", None),
      ("TJK", "investment", 5e6, "USD", 2023, "inferred", "=", None),
      ("TJK", "other", 2e7, "TJS", 2023, "inferred", "=", None)]),
    # "from 120 (2021) to 400" under a lead-in with a target year; "(2021 baseline)" dates its figure.
    ("Targets for 2027\n- E-services online in Uzbekistan: from 120 (2021) to 400\n"
     "- Households with broadband: from 48% (2021 baseline) to 80%", 2025,
     [("UZB", "other", 120, "count", 2021, "stated", "=", None),
      ("UZB", "other", 400, "count", 2027, "stated", "=", None),
      ("UZB", "penetration", 48, "percent", 2021, "stated", "=", None),
      ("UZB", "penetration", 80, "percent", 2027, "stated", "=", None)]),
    # A label-value line on its own is a figure, not a heading.
    ("Internet users in Georgia: 3.1 million", 2024,
     [("GEO", "other", 3.1e6, "count", None, None, "=", None)]),  # no verb states a present stock
    # A national currency names its country over a country named in an earlier sentence.
    ("Mongolia signed a loan agreement with Korea's EDCF, its second with Korea. "
     "The government will add MNT 32 billion from its own budget in 2025.", 2025,
     [("MNG", "budget", 3.2e10, "MNT", 2025, "stated", "=", None)]),
    # The Armenian dram, by code and by sign; "AMD Ryzen 7" (a processor) is no amount.
    ("The government set aside AMD 12 bln in 2026 for Armenian schools, and ֏4.5 billion for e-government.",
     2025,
     [("ARM", "budget", 1.2e10, "AMD", 2026, "stated", "=", None),
      ("ARM", "budget", 4.5e9, "AMD", 2026, "stated", "=", None)]),
    # Currency words in the plural, thousands grouped with spaces and a decimal part.
    ("Azerbaijan's ICT revenue reached 2.6 billion manats in 2024.", 2025,
     [("AZE", "other", 2.6e9, "AZN", 2024, "stated", "=", None)]),
    ("Services worth 12 345.6 billion soums were sold in Uzbekistan in 2024.", 2025,
     [("UZB", "other", 1.23456e13, "UZS", 2024, "stated", "=", None)]),
    # A scaled count is never a rate, even beside "per 100 people"; a closing ", in 2024" dates them all.
    ("Pakistan had over 140 million mobile subscriptions, or 58 per 100 people, in 2024.", 2025,
     [("PAK", "other", 1.4e8, "count", 2024, "stated", ">", None),
      ("PAK", "penetration", 58, "per 100 people", 2024, "stated", "=", None)]),
    # An age threshold is not a claim; a fiscal year is a year; a possessive before a year is no name.
    ("In 2023, 81% of Georgians aged 15 and over used the internet.", 2024,
     [("GEO", "penetration", 81, "percent", 2023, "stated", "=", None)]),
    ("Pakistan's IT exports reached $3.2 billion in FY2024.", 2025,
     [("PAK", "other", 3.2e9, "USD", 2024, "stated", "=", None)]),
    ("The regulator's 2022 survey covered Tajikistan. It found that 61% of households were online.", 2024,
     [("TJK", "penetration", 61, "percent", 2022, "inferred", "=", None)]),
    # Row labels declare scale and unit: "'000", "'000 km".
    ("Kazakhstan: operator indicators\n\n                          2023      2024\n"
     "Subscribers, '000          2 412     2 498\nFibre length, '000 km        104       112\n", 2025,
     [("KAZ", "other", 2.412e6, "count", 2023, "stated", "=", None),
      ("KAZ", "other", 2.498e6, "count", 2024, "stated", "=", None),
      ("KAZ", "other", 1.04e5, "km", 2023, "stated", "=", None),
      ("KAZ", "other", 1.12e5, "km", 2024, "stated", "=", None)]),
    # Dot leaders under a title that declares "$ million".
    ("Mongolia rural broadband project\n\nFINANCING PLAN (2023)                 Amount ($ million)\n"
     "ADB loan ........................ 40.0\nTotal ........................... 46.2\n", 2025,
     [("MNG", "investment", 4e7, "USD", 2023, "inferred", "=", None),
      ("MNG", "other", 4.62e7, "USD", 2023, "inferred", "=", None)]),
    # Decimal commas, as texts translated from Russian write them; "1,100" stays one thousand one hundred.
    ("In 2024, internet penetration in Kyrgyzstan reached 81,6%, and operators served 9,4 mln subscribers "
     "and 1,100 villages; revenue was KGS 23 450,5 mln.", 2025,
     [("KGZ", "penetration", 81.6, "percent", 2024, "stated", "=", None),
      ("KGZ", "other", 9.4e6, "count", 2024, "stated", "=", None),
      ("KGZ", "other", 1100, "count", 2024, "stated", "=", None),
      ("KGZ", "other", 2.34505e10, "KGS", 2024, "stated", "=", None)]),
    ("Kazakhstan covers 2 724,9 thous. sq. km.", 2025,
     [("KAZ", "other", 2.7249e6, "sq km", 2025, "inferred", "=", None)]),
    # The scale written once for a range: "between $20 and $25 million".
    ("Between $15 and $18 million of venture funding will go to Georgian start-ups in 2025.", 2025,
     [("GEO", "investment", 1.5e7, "USD", 2025, "stated", ">", None),
      ("GEO", "investment", 1.8e7, "USD", 2025, "stated", "<", None)]),
    # Each "label: value" declares its own unit.
    ("Mongolia - internet users, per cent of population: 83.5 (2023); fixed broadband subscriptions per 100 "
     "inhabitants: 12.4 (2023).", 2024,
     [("MNG", "penetration", 83.5, "percent", 2023, "stated", "=", None),
      ("MNG", "penetration", 12.4, "per 100 people", 2023, "stated", "=", None)]),
    # A "Year" column dates its row; "per 100 inh." is a rate.
    ("ICT profile: Armenia\n\nIndicator                                   Value    Year\n"
     "Individuals using the Internet (%)          79.8     2023\n"
     "Mobile subscriptions per 100 inh.           128.3    2022\n", 2025,
     [("ARM", "penetration", 79.8, "percent", 2023, "stated", "=", None),
      ("ARM", "penetration", 128.3, "per 100 people", 2022, "stated", "=", None)]),
]
# Contents pages and running heads hold page and section numbers, never claims.
DOCUMENT_NO_CLAIMS = [
    "CONTENTS\n\nForeword .......... v\n1   Introduction ........... 1\n2   Regional overview ...... 9\n"
    "    2.1 Internet use ....... 9\nAnnex 1   Methodology ........ 88",
    "CONTENTS\t2\nHIGHLIGHTS\t4\nBACKGROUND\t5\nMEDIA COVERAGE\t24",
    "See Table A.4 for the data on Kazakhstan.",
    "AMD Ryzen 7 laptops were bought for schools in Armenia.",
    "Ministry of Digital Development of Kyrgyzstan\nAddress: 720040, Bishkek, 96 Chui Avenue\n"
    "Office 12 is at 45 Erkindik Boulevard.",
]


@pytest.mark.parametrize(("text", "reference_year", "expected"), DOCUMENT_CASES)
def test_document_claims(text: str, reference_year: int, expected: list[Row]) -> None:
    claims = extract_claims(text, reference_year)
    _check_offsets(text, claims)
    assert _rows(claims) == sorted(expected)


@pytest.mark.parametrize("text", DOCUMENT_NO_CLAIMS)
def test_document_no_claims(text: str) -> None:
    claims = extract_claims(text, 2024)
    assert claims == [], [(c.as_written, c.value) for c in claims]


@pytest.mark.parametrize(("text", "reference_year", "expected"), CONTEXT_CASES)
def test_context_claims(text: str, reference_year: int, expected: list[Row]) -> None:
    claims = extract_claims(text, reference_year)
    _check_offsets(text, claims)
    assert _rows(claims) == sorted(expected)


@pytest.mark.parametrize(("text", "reference_year", "expected"), CASES)
def test_claims(text: str, reference_year: int, expected: list[Row]) -> None:
    claims = extract_claims(text, reference_year)
    _check_offsets(text, claims)
    assert _rows(claims) == sorted(expected)


# A figure under a heading or in a bullet takes the year that the heading or bullet states.
HEADED = """## Digital payments in Mongolia, 2024

- QPay handled 140 million transactions.
- In 2023, Khan Bank had 2.5 million app users.
"""


def test_heading_and_bullet_years() -> None:
    claims = extract_claims(HEADED, 2025)
    _check_offsets(HEADED, claims)
    got = sorted((c.country, c.value, c.year) for c in claims)
    assert got == [("MNG", 2.5e6, 2023), ("MNG", 140e6, 2024)]
    bullet = next(c for c in claims if c.value == 2.5e6)
    assert bullet.year_basis == "stated"


def test_heading_year_is_stated() -> None:
    # The contract (schema.COLUMN_DOCS, README): a year the heading gives is stated for the figures under it.
    claims = extract_claims(HEADED, 2025)
    heading = next(c for c in claims if c.value == 140e6)
    assert (heading.year, heading.year_basis) == (2024, "stated")


TABLE = """Annex 2. Kyrgyzstan project budget, 2023

Line item BUDGET (USD) ACTUAL (USD) VARIANCE (USD)
1 Venue Rental 2 000 1 850 150
2 Catering Services 4 500 4 380 120
"""


def test_flattened_budget_table() -> None:
    claims = extract_claims(TABLE, 2024)
    _check_offsets(TABLE, claims)
    budget = sorted((c.country, c.category, c.value, c.unit, c.year) for c in claims if c.unit == "USD")
    assert budget == sorted(("KGZ", "budget", v, "USD", 2023) for v in (2000, 1850, 150, 4500, 4380, 120))
    by_value = {c.value: c.indicator for c in claims}
    assert (by_value[4500], by_value[4380], by_value[120]) == ("budget_planned", "budget_actual", "budget_variance")


def test_table_row_numbers_are_not_claims() -> None:
    claims = extract_claims(TABLE, 2024)
    assert all(c.unit == "USD" for c in claims), [(c.as_written, c.unit) for c in claims]


# Paragraphs whose numbers are dates, editions, phone numbers, labels, names, URLs and durations.
NO_CLAIMS = [
    "The sixth Digital Silk Road forum was held on 14 March 2024 in Baku, Azerbaijan.",
    pytest.param(
        "The 1st National Forum on Cybersecurity took place in Ashgabat, Turkmenistan, on 28-29 September."),
    "For accreditation in Kazakhstan call +7 (727) 123-45-67 or write to press@forum.kz.",
    "Session 2 examined Article 33 of the draft Digital Code of Kazakhstan.",
    "Digital Kazakhstan 2025 and the Uzbekistan 2030 strategy were presented.",
    "The 21st century brings new challenges for Mongolia.",
    "COVID-19 accelerated the roll-out of 5G and Web 2.0 services in Georgia.",
    "Operators in Tajikistan must be certified under ISO 27001, see page 12.",
    "In the first 9 months of the project, Tajik operators upgraded their networks.",
    "Risks include (1) data leaks, (2) outages and (3) weak oversight in Kyrgyzstan.",
    "See Note 3 for the methodology used in Turkmenistan.",
    "The strategy was adopted in 2022 by Mongolia.",
    "1.1. Introduction\n\nThis chapter describes Pakistan.",
    "Details for Uzbekistan are at https://digital.uz/reports/2023/45 and www.egov.uz.",
    # A number alone on its line is a page number of text taken from a PDF.
    "mobile operators in Kyrgyzstan and their plans\n14\nThe regulator published the plan in 2023.",
]


@pytest.mark.parametrize("text", NO_CLAIMS)
def test_no_claims(text: str) -> None:
    claims = extract_claims(text, 2024)
    assert claims == [], [(c.as_written, c.value) for c in claims]


def test_offsets_hold_with_windows_newlines() -> None:
    text = "Overview\r\n\r\nIn Pakistan, 45% of adults used the internet in 2023.\r\nPrices fell by 12%.\r\n"
    claims = extract_claims(text, 2024)
    _check_offsets(text, claims)
    assert {c.value for c in claims} == {45, -12}  # "fell by 12%" is a signed change


def test_empty_text() -> None:
    assert extract_claims("", 2024) == []
