"""How figures are written: percentages, money, ranks, counts, words; and what is not a figure.

Every sentence is written for the test in the style of regional digital-development
reports; expected values are a careful reader's, not the recognizer's output.
"""

from __future__ import annotations

import pytest

from etl.figures import find_figures, parse_number


def xfail(reason: str) -> pytest.MarkDecorator:
    """A correct expectation the recognizer does not meet yet (reported to the lead)."""
    return pytest.mark.xfail(reason=reason, strict=True)

# (sentence, [(value, unit, comparator, rank_of), ...]) -- every figure in the sentence, in order.
FIGURES = [
    # -- percentages
    ("Internet use in Mongolia reached 49.7 per cent of adults.", [(49.7, "percent", "=", None)]),
    ("Mobile coverage now extends to 96% of settlements in Uzbekistan.", [(96, "percent", "=", None)]),
    ("Fixed broadband reaches 12.5 percent of households in Turkmenistan.", [(12.5, "percent", "=", None)]),
    ("Household penetration rose from <50% to 70%.", [(50, "percent", "<", None), (70, "percent", "=", None)]),
    ("More than half of the population in Tajikistan now shops online.", [(50, "percent", ">", None)]),
    pytest.param("The share of cashless payments grew by 7.5 percentage points.",
                 [(7.5, "percentage_points", "=", None)]),
    # -- money: symbols, codes, scale words
    ("The ministry committed $500M to rural broadband.", [(500e6, "USD", "=", None)]),
    (r"Azerbaijan set aside \$1B for the programme.", [(1e9, "USD", "=", None)]),
    ("The World Bank approved US$50 million for the project.", [(50e6, "USD", "=", None)]),
    ("Exports of IT services reached $190.5 million USD last year.", [(190.5e6, "USD", "=", None)]),
    ("Pakistan allocated Rs 2.4 billion to e-governance.", [(2.4e9, "PKR", "=", None)]),
    ("The state budget earmarks KZT 1.2 trillion for digital projects.", [(1.2e12, "KZT", "=", None)]),
    ("The EU pledged €35 million for cybersecurity training.", [(35e6, "EUR", "=", None)]),
    ("The operator invested 45 billion tenge in its backbone.", [(45e9, "KZT", "=", None)]),
    ("Mongolia plans to spend MNT 300 billion on e-government.", [(300e9, "MNT", "=", None)]),
    ("Uzbekistan raised 1.5 trillion soums through digital bonds.", [(1.5e12, "UZS", "=", None)]),
    ("A $2.5bn fund was announced for the Caspian cable.", [(2.5e9, "USD", "=", None)]),
    ("The fund holds USD 40 million for start-ups.", [(40e6, "USD", "=", None)]),
    ("Investors put more than €12 million into Kyrgyz fintech.", [(12e6, "EUR", ">", None)]),
    ("Tajikistan received TJS 450 million for school connectivity.", [(450e6, "TJS", "=", None)]),
    # -- ranks and places
    ("Mongolia was ranked 46th out of 193 countries in the survey.", [(46, "rank", "=", 193)]),
    ("Azerbaijan moved from 65th to 41st in the index.", [(65, "rank", "=", None), (41, "rank", "=", None)]),
    ("Armenia climbed to 12th place in the regional ranking.", [(12, "rank", "=", None)]),
    ("In the ranking, Armenia (49th) and Mongolia (71st) trail Georgia.",
     [(49, "rank", "=", None), (71, "rank", "=", None)]),
    ("Kazakhstan placed 24 of 132 economies in the index.", [(24, "rank", "=", 132)]),
    # -- counts with scale, separators and plus signs
    ("Operators had activated 2.456M subscriptions by then.", [(2_456_000, "count", "=", None)]),
    ("The portal has 1 million registered users.", [(1e6, "count", "=", None)]),
    ("The programme trained 500,000 young people.", [(500_000, "count", "=", None)]),
    ("The exchange processes 250,000+ requests every day.", [(250_000, "count", ">", None)]),
    ("The marketplace registered 3 600 new sellers.", [(3600, "count", "=", None)]),
    ("Mobile money accounts reached 1.2 million.", [(1.2e6, "count", "=", None)]),
    ("Subscribers numbered 12.4 mln at year end.", [(12.4e6, "count", "=", None)]),
    ("The hub employs 45 thousand people.", [(45_000, "count", "=", None)]),
    # -- numbers written as words that carry a claim
    ("Turkmenistan opened three new data centres.", [(3, "count", "=", None)]),
    ("Sixteen accredited media covered the summit.", [(16, "count", "=", None)]),
    ("The agency connected twelve remote villages.", [(12, "count", "=", None)]),
    # -- comparators
    ("The platform links over 70 agencies.", [(70, "count", ">", None)]),
    ("Coverage is above 80% in the capital.", [(80, "percent", ">", None)]),
    ("Under 30% of villages have fibre.", [(30, "percent", "<", None)]),
    ("Use remains below 5% among firms.", [(5, "percent", "<", None)]),
    ("Less than 10% of women own a laptop.", [(10, "percent", "<", None)]),
    ("The app serves up to 50,000 users.", [(50_000, "count", "<", None)]),
    ("About 40% of households shop online.", [(40, "percent", "~", None)]),
    ("Around 2 million people use the wallet.", [(2e6, "count", "~", None)]),
    ("The network cost approximately $3 billion.", [(3e9, "USD", "~", None)]),
    ("Checks at the border became ~40% faster.", [(40, "percent", "~", None)]),
    # -- a real figure next to things that are not figures
    ("On 14 March 2024, the ministry reported that 62% of schools were connected.",
     [(62, "percent", "=", None)]),
    ("The operator invested 45 billion tenge in 4G towers in 2023.", [(45e9, "KZT", "=", None)]),
    ("Over the course of 2 years, Georgia built three new data centres.", [(3, "count", "=", None)]),
    ("COVID-19 pushed 1 million pupils in Kyrgyzstan to online classes.", [(1e6, "count", "=", None)]),
]


def _figures(text: str) -> list[tuple[float, str, str, int | None]]:
    return [(f.value, f.unit, f.comparator, f.rank_of) for f in find_figures(text, 0, len(text))]


@pytest.mark.parametrize(("text", "expected"), FIGURES)
def test_finds_every_figure(text: str, expected: list[tuple[float, str, str, int | None]]) -> None:
    found = _figures(text)
    assert [(u, c, r) for _, u, c, r in found] == [(u, c, r) for _, u, c, r in expected]
    assert [v for v, *_ in found] == pytest.approx([v for v, *_ in expected], rel=1e-9)


# (sentence, the figure exactly as written)
AS_WRITTEN = [
    (r"Uzbekistan pledged \$1B to the programme.", r"\$1B"),
    ("More than half of the population uses e-government.", "More than half"),
    ("Revenue reached $190.5 million USD.", "$190.5 million USD"),
    ("The exchange processes 250,000+ requests a day.", "250,000+"),
    ("Kazakhstan was ranked 28th out of 193 countries.", "28th"),
    ("The marketplace registered 3 600 new sellers.", "3 600"),
]


@pytest.mark.parametrize(("text", "written"), AS_WRITTEN)
def test_offsets_cover_the_figure_as_written(text: str, written: str) -> None:
    figures = find_figures(text, 0, len(text))
    assert len(figures) == 1
    assert text[figures[0].start:figures[0].end] == written


def test_offsets_are_into_the_whole_document() -> None:
    text = "Heading\n\nIntro sentence. Kyrgyzstan connected 412 schools."
    start = text.index("Kyrgyzstan")
    (figure,) = find_figures(text, start, len(text))
    assert text[figure.start:figure.end] == "412"


# Sentences that hold no figure at all: dates, years, editions, phone numbers,
# section and list numbers, names with numbers, URLs, e-mails and durations.
NO_FIGURE = [
    "The forum was held on 14 March 2024 in Bishkek.",
    "The conference took place on 28-29 September in Tashkent.",
    "The meeting is scheduled for March 3, 2025.",
    "The strategy was adopted in 2022.",
    "The sixth forum opened in Ashgabat.",
    pytest.param("The 1st National Forum on Data took place in Baku."),
    "Digital skills matter in the 21st century.",
    "The 3rd annual meeting of regulators closed.",
    "For accreditation call +7 (727) 123-45-67.",
    "Phone: +998 71 238 41 07",
    "1.1. Introduction",
    "(1) limiting access to information",
    "Session 2 covered data protection.",
    "See Note 3 for the definition.",
    "The table is on page 12.",
    "Digital Kazakhstan 2025 was launched by the government.",
    "Article 33 of the GDPR applies.",
    "COVID-19 accelerated the shift.",
    "5G is being piloted in Baku.",
    "Web 2.0 tools are common.",
    "Operators must comply with ISO 27001.",
    "Details are at https://stat.gov.kz/en/2023 and on www.egov.mn/page/45.",
    "Write to press@forum.kz for details.",
    "Over the course of 2 years the programme expanded.",
    "In the first 9 months sales rose.",
    "The help desk works 24/7.",
    "Pillar 4 covers skills.",
    "Law No. 418-V regulates personal data.",
    "The speech was given at 10:30.",
    pytest.param("A 3-day hackathon followed."),
    "The CAIGF-2022 report was published.",
]


@pytest.mark.parametrize("text", NO_FIGURE)
def test_not_a_figure(text: str) -> None:
    found = find_figures(text, 0, len(text))
    assert found == [], [text[f.start:f.end] for f in found]


@pytest.mark.parametrize(
    ("raw", "value"),
    [("3 600", 3600.0), ("1,234.5", 1234.5), ("500,000", 500_000.0), ("49.7", 49.7), ("12\u00a0000", 12_000.0)],
)
def test_parse_number(raw: str, value: float) -> None:
    assert parse_number(raw) == value
