"""A document's own date: a dateline near the top, or a signature date near the end."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.dates import reference_date

FILLER = "The forum discussed connectivity, skills and regulation across the region. " * 40


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Bishkek, 14 March 2024\n\nThe ministry reported progress.", dt.date(2024, 3, 14)),
        ("Press release\nMarch 14, 2024\nAstana", dt.date(2024, 3, 14)),
        ("Published 2024-03-14 by the secretariat.", dt.date(2024, 3, 14)),
        ("Ulaanbaatar, June 2025\n\nPreliminary findings", dt.date(2025, 6, 1)),
        ("Issued on 1st July 2023 in Baku.", dt.date(2023, 7, 1)),
        ("Tashkent, Sept. 5, 2023", dt.date(2023, 9, 5)),
        ("Dushanbe, 5 Dec 2022", dt.date(2022, 12, 5)),
        # a signature date at the end of a long report
        ("Annual review\n\n" + FILLER + "\nDirector\n\nDecember 15, 2022\n", dt.date(2022, 12, 15)),
        # the first date near the top wins over later ones
        ("Almaty, 18 October 2023\n\nThe next forum is on 10 May 2024.", dt.date(2023, 10, 18)),
    ],
)
def test_reference_date(text: str, date: dt.date) -> None:
    assert reference_date(text) == date


@pytest.mark.parametrize(
    "text",
    [
        "No date is given in this text about 2023 targets.",
        "Coverage reached 70% in 2025.",
        "",
        # a date buried in the middle of a long text is not the document's date
        FILLER + " It met on 3 April 2021. " + FILLER,
    ],
)
def test_no_reference_date(text: str) -> None:
    assert reference_date(text) is None
