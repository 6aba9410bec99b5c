"""English recognition classes: index scores, rank phrases, abbreviations that end no sentence, headlines and
number words with a scale. Each row a sentence written for the test; near misses must not match."""

from __future__ import annotations

import pytest

from etl.extract import extract_claims


def _claims(text: str) -> list[tuple[str, float, str, str]]:
    return [(c.as_written, round(c.value, 6), c.unit, c.country) for c in extract_claims(text, 2024)]


@pytest.mark.parametrize(("text", "expected"), [
    # index scores: unit `index`, never a count
    ("Kazakhstan scored 31.5 points in the 2023 Network Readiness Index.", [("31.5", 31.5, "index", "KAZ")]),
    ("Tajikistan, with a score of 0.64, ranked 119th in the 2024 EGDI.",
     [("0.64", 0.64, "index", "TJK"), ("119th", 119, "rank", "TJK")]),
    ("Mongolia had an EGDI value of 0.79 in 2024.", [("0.79", 0.79, "index", "MNG")]),
    ("By 2020 Mongolia's EGDI score had moved up to 0.6497.", [("0.6497", 0.6497, "index", "MNG")]),
    # a rank and a score in one parenthesis are two claims for that country
    ("In the 2023 NRI, Armenia (52nd place, 33.1 points) led Azerbaijan (60th place, 30.2 points).",
     [("52nd", 52, "rank", "ARM"), ("33.1", 33.1, "index", "ARM"), ("60th", 60, "rank", "AZE"),
      ("30.2", 30.2, "index", "AZE")]),
    ("In the 2003 EGDI, the United States (0.9271, ranked 1) led Singapore (0.7463, ranked 12).",
     [("0.9271", 0.9271, "index", "USA"), ("1", 1, "rank", "USA"), ("0.7463", 0.7463, "index", "SGP"),
      ("12", 12, "rank", "SGP")]),
    # near misses: points of a change in a share, a count of points in a plan
    ("Broadband use in Georgia was up 4 percentage points in 2023.", [("4 percentage points", 4, "percentage_points",
                                                                      "GEO")]),
])
def test_index_scores(text: str, expected: list) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Georgia's score puts it 61st worldwide in the 2023 Network Readiness Index.", [("61st", 61, "rank", "GEO")]),
    ("Kazakhstan is second in the region in the 2024 EGDI.", [("second", 2, "rank", "KAZ")]),
    ("Uzbekistan rose 9 places in the 2024 GII.", [("9", 9, "positions", "UZB")]),
    ("Kyrgyzstan fell 3 places in the 2024 GII.", [("3", -3, "positions", "KGZ")]),
    ("In the 2024 EGDI ranking, Kazakhstan (24), Georgia (31) and Armenia (49) led the region.",
     [("24", 24, "rank", "KAZ"), ("31", 31, "rank", "GEO"), ("49", 49, "rank", "ARM")]),
    ("By 2020 Mongolia's rank in the EGDI had risen to 92.", [("92", 92, "rank", "MNG")]),
    # near misses: an edition is no rank; a parenthesis in a sentence about no ranking is no rank;
    # an ordinal word outside a ranking's frame is no rank
    ("The 12th edition of the index was published in 2024.", []),
    ("Kazakhstan (24) and Georgia (31) signed agreements in 2024.", [("24", 24, "count", "KAZ"),
                                                                     ("31", 31, "count", "GEO")]),
    ("Kazakhstan was the second country to sign the treaty in 2024.", []),
])
def test_rank_phrases(text: str, expected: list) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Pakistan allocated Rs. 450 million for the scheme in 2022 and Rs. 2.3 billion for fibre.",
     [("Rs. 450 million", 450e6, "PKR", "PAK"), ("Rs. 2.3 billion", 2.3e9, "PKR", "PAK")]),
    ("Kyrgyzstan received USD. 5 million from the fund in 2022.", [("USD. 5 million", 5e6, "USD", "KGZ")]),
    ("Kazakhstan spent 3 bn. tenge on the portal in 2023.", [("3 bn. tenge", 3e9, "KZT", "KAZ")]),
    ("The ministry in Tajikistan approved approx. 3 million USD in 2021.", [("approx. 3 million USD", 3e6, "USD",
                                                                           "TJK")]),
    # near miss: a sentence that really ends after an abbreviation-like word
    ("Pakistan's budget is in PKR. Kazakhstan spent 3% of its budget on IT in 2023.", [("3%", 3, "percent", "KAZ")]),
])
def test_abbreviations_end_no_sentence(text: str, expected: list) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Kazakhstan Internet Users Top Five Million\n\nThe regulator published the figures in 2024.",
     [("Five Million", 5e6, "people", "KAZ")]),
    ("Uzbekistan will allocate two trillion soum to the programme in 2020.",
     [("two trillion soum", 2e12, "UZS", "UZB")]),
    ("Kyrgyzstan now has a million mobile internet users.", [("a million", 1e6, "people", "KGZ")]),
    # near misses: a title-case name, a section heading
    ("Uzbekistan's One Million Uzbek Coders course grew in 2021.", []),
    ("## 2.1 Connectivity\n\nMobile coverage in Pakistan reached 90% in 2024.", [("90%", 90, "percent", "PAK")]),
])
def test_headlines_and_number_words(text: str, expected: list) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Pakistan's mobile speeds averaged 17.7Mbps in 2021.", [("17.7Mbps", 17.7, "Mbps", "PAK")]),
    ("China had 6,220.764Gbps of international bandwidth in 2016.", [("6,220.764Gbps", 6220.764, "Gbit/s", "CHN")]),
    ("Mobile data in Pakistan cost 0.70pc of income per head in 2021.", [("0.70pc", 0.7, "percent", "PAK")]),
    ("Rs 6.33b Allocated For IT In Pakistan", [("Rs 6.33b", 6.33e9, "PKR", "PAK")]),
    ("Estonia, with a population of just 1.3 million, ranked 3 in the 2020 EGDI.",
     [("1.3 million", 1.3e6, "people", "EST"), ("3", 3, "rank", "EST")]),
    # near misses: a technology name is no figure
    ("Kazakhstan's 5G network covered Astana in 2024.", []),
])
def test_attached_units_and_populations(text: str, expected: list) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The project built 900 km of fibre in Kazakhstan and 550 km in the Kyrgyz Republic in 2024.",
     [("900 km", 900, "km", "KAZ"), ("550 km", 550, "km", "KGZ")]),
    ("Ticket sizes in Georgia range between $250,000 and $2 million.",
     [("$250,000", 250000, "USD", "GEO"), ("$2 million", 2e6, "USD", "GEO")]),
    ("Over the same period the gap in Uzbekistan narrowed from 15 percentage points to 9 points.",
     [("15 percentage points", 15, "percentage_points", "UZB"), ("9", 9, "percentage_points", "UZB")]),
    ("The 2020 state programme of Uzbekistan consists of 284 points; initially it was 320.",
     [("284", 284, "count", "UZB"), ("320", 320, "count", "UZB")]),
])
def test_place_after_figure_scales_and_points(text: str, expected: list) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("A survey of 2 thousand 167 representatives of households in Kyrgyzstan.", [("2 thousand 167", 2167, "people",
                                                                                  "KGZ")]),
    ("Of the users, 656.37 million used handsets in China in 2016.", [("656.37 million", 656.37e6, "people", "CHN")]),
    ("The sector in Afghanistan generated over 110,000 direct and indirect jobs.",
     [("over 110,000", 110000, "people", "AFG")]),
    ("The cheapest plan in Turkmenistan allows two gigabytes of traffic.", [("two gigabytes", 2, "GB", "TKM")]),
    ("Turkmenistan had a speed of 0.50 megabits per second in 2021.",
     [("0.50 megabits per second", 0.5, "Mbps", "TKM")]),
    ("Estonia, Latvia, and Lithuania ranked in the top 40 nations in 2021.",
     [("40", 40, "rank", "EST"), ("40", 40, "rank", "LTU"), ("40", 40, "rank", "LVA")]),
    ("Pakistan's SCO and PTCL added 2 million subscriptions in 2021.", [("2 million", 2e6, "count", "PAK")]),
    # near misses
    ("Kazakhstan published a top 10 list of apps in 2024.", []),
    ("In Uzbekistan 20, 22 and 25-storey buildings were completed in 2022.", [("20", 20, "count", "UZB"),
                                                                              ("22", 22, "count", "UZB")]),
])
def test_compounds_groups_and_tops(text: str, expected: list) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a foreign giver is not what the sentence's other figures are about
    ("The Government of Japan will provide $12 million to Kyrgyzstan. Currently 1,248 facilities are connected.",
     [("$12 million", 12e6, "USD", "KGZ"), ("1,248", 1248, "count", "KGZ")]),
    ("Afghanistan's fibre ring, financed by a $64.5 million loan from China, has reached 3,200 km.",
     [("$64.5 million", 64.5e6, "USD", "AFG"), ("3,200 km", 3200, "km", "AFG")]),
    # "the country" is the document's country, not the world of a "worldwide league"
    ("Turkmenistan is slow. In the worldwide league, the speed in the country was just 0.82 Mbps in 2022.",
     [("0.82 Mbps", 0.82, "Mbps", "TKM")]),
    # a shared currency name follows the text's country
    ("Turkmenistan's cheapest plan costs 690 manats a month.", [("690 manats", 690, "TMT", "TKM")]),
    # ranks and scores in a ranking sentence's parentheses
    ("Mongolia came 58th in the GII 2020; Kazakhstan (77) and Uzbekistan (93) trailed, while Georgia came 63rd.",
     [("58th", 58, "rank", "MNG"), ("77", 77, "rank", "KAZ"), ("93", 93, "rank", "UZB"), ("63rd", 63, "rank", "GEO")]),
    ("In the IDI 2017 Kazakhstan led, followed by Azerbaijan (65th, 6.20).",
     [("65th", 65, "rank", "AZE"), ("6.20", 6.2, "index", "AZE")]),
    ("The average IDI value for the world was 5.11 in 2017.", [("5.11", 5.11, "index", "WLD")]),
    # signs, multipliers, spaced per cent signs, afghanis
    ("Kazakhstan's tariffs were 12% less than in 2020.", [("12%", -12, "percent", "KAZ")]),
    ("Exports of Uzbekistan grew 2.5 times in 2023.", [("2.5 times", 2.5, "times", "UZB")]),
    ("The number of exporting companies in Uzbekistan has doubled.", [("doubled", 2, "times", "UZB")]),
    ("Investments in Kazakhstan grew 18,5 % in 2023.", [("18,5 %", 18.5, "percent", "KAZ")]),
    ("Call rates in Afghanistan fell to 4 afghanis in 2012.", [("4 afghanis", 4, "AFN", "AFG")]),
    # near misses
    ("Enrolment in Uzbekistan's course tripled to 30,000 in 2021.", [("30,000", 30000, "people", "UZB")]),
    ("Speakers from Uzbekistan said their country had laid 6,500 km of fibre.", [("6,500 km", 6500, "km", "UZB")]),
    ("Call the Kazakh ministry hotline 1414 for details.", []),
])
def test_blind_set_classes(text: str, expected: list) -> None:
    assert _claims(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The financing for Kyrgyzstan consists of a US$10 million credit and a US$10 million grant.",
     [("US$10 million", 10e6, "USD", "KGZ"), ("US$10 million", 10e6, "USD", "KGZ")]),
    ("Kazakhstan leads the CAREC region at 52nd place with an IDI value of 6.79.",
     [("52nd", 52, "rank", "KAZ"), ("6.79", 6.79, "index", "KAZ")]),
    ("In the 2017 IDI, Georgia is 78th with 5.79.", [("78th", 78, "rank", "GEO"), ("5.79", 5.79, "index", "GEO")]),
    ("Kazakhstan has set a goal of entering the top 30 of the index by 2029.", [("30", 30, "rank", "KAZ")]),
    ("Chinese telecom giant Huawei will invest USD 150 mln. in a data centre in Tashkent.",
     [("USD 150 mln", 150e6, "USD", "UZB")]),
    ("Age group\n|\n< 10\n|\n2.9%\n|\n10-19\n|\n20.1%", [("2.9%", 2.9, "percent", "WLD"), ("20.1%", 20.1, "percent",
                                                                                        "WLD")]),
])
def test_more_blind_set_classes(text: str, expected: list) -> None:
    assert _claims(text) == expected
