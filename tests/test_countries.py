"""Country and region mentions: names, adjectives, possessives, codes, aggregates; and near-misses."""

from __future__ import annotations

import pycountry
import pytest

from etl.countries import country_name, find_mentions, is_known
from etl.schema import REGIONS


def _codes(text: str) -> list[str]:
    return [m.code for m in find_mentions(text)]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Mongolia expanded fibre to rural soums.", ["MNG"]),
        ("Kazakhstan's operators cut prices.", ["KAZ"]),
        ("Kazakhstan’s operators cut prices.", ["KAZ"]),
        ("Kazakhstani start-ups raised new funds.", ["KAZ"]),
        ("The Kyrgyz Republic adopted a data law.", ["KGZ"]),
        ("Kyrgyzstan and Tajikistan share a cable.", ["KGZ", "TJK"]),
        ("The PRC financed the data centre.", ["CHN"]),
        ("People's Republic of China financed the link.", ["CHN"]),
        ("UZB and KAZ signed the memorandum.", ["UZB", "KAZ"]),
        ("The AZE-KAZ-GEO corridor opened.", ["AZE", "KAZ", "GEO"]),
        ("Azerbaijani and Georgian regulators met.", ["AZE", "GEO"]),
        ("Pakistani banks launched instant payments.", ["PAK"]),
        ("Turkmen officials attended.", ["TKM"]),
        ("The Tajik government approved the plan.", ["TJK"]),
        ("An Uzbek delegation visited.", ["UZB"]),
        ("Türkiye and Russia joined as observers.", ["TUR", "RUS"]),
        ("Blockchain pilots ran in MON and TAJ.", ["MNG", "TJK"]),
        # regions and aggregates
        ("Connectivity in Central Asia improved.", ["XCA"]),
        ("Central Asian regulators met in Kazakhstan.", ["XCA", "KAZ"]),
        ("CAREC members agreed on a roadmap.", ["XCR"]),
        ("The SCO digital forum met in Kazakhstan.", ["XSC", "KAZ"]),
        # a city is not a country mention
        ("The forum met in Almaty and Tashkent.", []),
        ("The Shanghai Cooperation Organisation adopted a plan.", ["XSC"]),
        ("Trade across Central and South Asia grew.", ["XCS"]),
        ("Roaming tariffs in the CIS fell.", ["XCI"]),
        ("Prices fell worldwide.", ["WLD"]),
        # near-misses: a longer name wins over the shorter one inside it
        ("Nigeria signed the agreement.", ["NGA"]),
        ("South Sudan signed the agreement.", ["SSD"]),
        ("The Dominican Republic signed the agreement.", ["DOM"]),
        ("Guinea-Bissau signed the agreement.", ["GNB"]),
        # near-misses: words and acronyms that are not countries
        ("The operator can share data with the regulator.", []),
        ("Passengers ARE screened and the CAN bus is tested.", []),
        ("The Caspian Sea cable is planned.", []),
        ("The Georgian-born engineer Chadwick spoke.", ["GEO"]),
        ("Omnichannel banking is growing.", []),
    ],
)
def test_mentions(text: str, codes: list[str]) -> None:
    assert _codes(text) == codes


def test_world_words_are_weak() -> None:
    (mention,) = find_mentions("Adoption grew globally.")
    assert mention.code == "WLD" and mention.weak


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("In Kazakhstan's capital", "Kazakhstan's"),
        ("The Kyrgyz Republic adopted", "Kyrgyz Republic"),
        ("Across Central Asia today", "Central Asia"),
    ],
)
def test_mention_offsets(text: str, span: str) -> None:
    (mention,) = find_mentions(text)
    assert text[mention.start:mention.end] == span


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("KAZ", "Kazakhstan"),
        ("KGZ", "Kyrgyzstan"),
        ("MNG", "Mongolia"),
        ("MDA", "Moldova"),
        ("XCA", "Central Asia"),
        ("XCR", "CAREC region"),
        ("WLD", "World"),
    ],
)
def test_country_name(code: str, name: str) -> None:
    assert country_name(code) == name


@pytest.mark.parametrize(("code", "known"), [("PAK", True), ("XSC", True), ("WLD", True), ("XXX", False)])
def test_is_known(code: str, known: bool) -> None:
    assert is_known(code) is known


@pytest.mark.parametrize(
    "text",
    [
        "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan, Mongolia, Pakistan, Azerbaijan, Georgia",
        "KAZ KGZ TJK TKM UZB AZE GEO MNG PAK CHN AFG RUS IRN TUR IND",
        "Central Asia, CAREC, SCO, CIS, Central and South Asia, worldwide",
    ],
)
def test_every_code_is_iso_or_a_region(text: str) -> None:
    for mention in find_mentions(text):
        assert mention.code in REGIONS or pycountry.countries.get(alpha_3=mention.code) is not None


@pytest.mark.parametrize(("text", "codes"), [
    ("Rs 300 million for the Pak-China Phase-I OFC Project", []),  # a hyphenated project name
    ("the Central Asian country", []),  # a country named by its region, not the region
    ("The AZE-KAZ-GEO corridor", ["AZE", "KAZ", "GEO"]),  # a list of countries
    ("Kazakhstan-based firms", ["KAZ"]),
    ("the E-Mongolia platform", ["MNG"]),
    ("in Central Asia", ["XCA"]),
])
def test_hyphenated_names_and_region_words(text: str, codes: list[str]) -> None:
    assert [m.code for m in find_mentions(text, places=True)] == codes
