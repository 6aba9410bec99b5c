"""The lookahead `opening` puts in front of a cue pattern: read from the pattern, same matches."""

import re

import pytest

from etl.patterns import first_characters, opening


@pytest.mark.parametrize("pattern, flags, expected", [
    (r"\b(?:targets?|aims?\s+to|goals?)\b", re.I, "agt"),
    (r"\b(?:(?:is|are)\s+to|should|will)\b", re.I, "aisw"),
    (r"(?<!\w)(?:по\s+оценкам|оценива\w*)(?!\w)", re.I, "оп"),
    (r"\bplanned\b", 0, "p"),
    (r"(?:ab)+c", 0, "a"),
    (r"(?-i:of [A-Z])|users", re.I, "ou"),
    (r"(?i:abc)|xyz", 0, None),  # "Abc" starts it too: the letters are not read
    # near misses: a start that any character could make, or none
    (r"\W+ed", 0, None),
    (r"a?b", 0, None),
    (r"(?:x|.)", 0, None),
    (r"\b(?:)", 0, None),
])
def test_first_characters(pattern, flags, expected):
    found = first_characters(pattern, flags)
    assert (None if found is None else "".join(sorted(found))) == expected


@pytest.mark.parametrize("pattern, expected", [
    (r"\d(?:st|nd)|\bplace", "\\dp"),
    (r"[a-c.]x|y", "\\.a-cy"),
    (r"[^a]x", None),  # a negated class: any other character could start it
])
def test_first_characters_of_a_class(pattern, expected):
    found = first_characters(pattern)
    assert (None if found is None else "".join(sorted(found))) == expected


CUES = [
    (r"\b(?:(?:is|are|was|were)\s+(?:expected|set)\s+to|forecasts?|could\s+reach)\b", re.I),
    (r"\b(?:targets?|plans?\s+to|plans)\b", re.I),
    (r"(?<!\w)(?:планиру\w*|целев\w*)(?!\w)", re.I),
    (r"\w+ing", 0),
    (r"(?:\d(?:st|nd|rd|th)|\bplace)\s+with|\bscored", re.I),
]
TEXTS = [
    "The country plans to reach 100% and IS EXPECTED TO grow; Plans were dropped.",
    "Targets: 5; it could reach 80%, or it Could Reach 90%. Planet, explanation, targeting.",
    "Правительство планирует довести долю до 90%; целевой показатель — 95%. Планирование.",
    "nothing here at all", "", "ranked 2nd with 0.8; 1st  WITH; scored 5; Place with",
    "plan", "plansto", "ıs expected to", "ſet",
]


@pytest.mark.parametrize("pattern, flags", CUES)
def test_opening_finds_the_same_matches(pattern, flags):
    plain, fast = re.compile(pattern, flags), opening(pattern, flags)
    for text in TEXTS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text
