"""The contract's unit vocabulary (realdocs'): people vs count, positions, percentage_points, Gbit/s, kbps."""

from __future__ import annotations

import pytest

from etl.extract import extract_claims


def _units(text: str) -> list[tuple[float, str]]:
    return [(c.value, c.unit) for c in extract_claims(text, 2024)]


@pytest.mark.parametrize(("text", "expected"), [
    # counts of people
    ("Uzbekistan has 3 million internet users.", [(3e6, "people")]),
    ("The forum drew 200 offline and 350 online participants in Kazakhstan.", [(200, "people"), (350, "people")]),
    ("Pakistan's internet users rose from 76 million in 2019 to 111 million in 2023.",
     [(76e6, "people"), (111e6, "people")]),
    ("In Georgia the number of internet users reached 2.1 million in 2023.", [(2.1e6, "people")]),
    ("Astana Hub companies employ 25 thousand people in Kazakhstan.", [(25e3, "people")]),
    ("Количество интернет-пользователей в Узбекистане превысило 13 миллионов.", [(13e6, "people")]),
    # near misses: counts that are not people
    ("Kazakhstan has 27 million mobile subscribers.", [(27e6, "count")]),
    ("The number of mobile phone subscribers in Tajikistan is more than 6.2 million people.", [(6.2e6, "count")]),
    ("Ucell closed 2023 with 8.9 million subscribers, of whom 6.1 million were active data users.",
     [(8.9e6, "count"), (6.1e6, "count")]),
    ("Tajikistan has 4.1 million active mobile phone users.", [(4.1e6, "count")]),
    ("Uzbekistan hosts over 1,900 IT Park residents.", [(1900, "count")]),
    ("Kyrgyzstan connected 1,200 villages in 2023.", [(1200, "count")]),
    ("Pakistan's branchless banking agents numbered around 690,000 in 2023.", [(690000, "count")]),
    ("В Пакистане 136,6 млн пользователей сотовой связи.", [(136.6e6, "count")]),
])
def test_people_or_count(text: str, expected: list) -> None:
    assert _units(text) == [(pytest.approx(v), u) for v, u in expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("Georgia rose four places to 55th in the ICT Development Index in 2024.", [(4, "positions"), (55, "rank")]),
    ("Broadband use in Azerbaijan was up 12 percentage points in 2023.", [(12, "percentage_points")]),
    ("Tajikistan's international bandwidth reached 35 Gbps in 2023.", [(35, "Gbit/s")]),
    ("Turkmenistan sold lines of up to 2,048 kilobytes per second in 2010.", [(2048, "kbps")]),
    ("Скорость достигла 35 Гбит/с в 2016 году в Узбекистане.", [(35, "Gbit/s")]),
    ("Kazakhstan's mobile speed reached 26 Mbps in 2024.", [(26, "Mbps")]),
])
def test_units_in_the_realdocs_vocabulary(text: str, expected: list) -> None:
    assert _units(text) == expected
