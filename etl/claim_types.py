"""What kind of figure a claim is: an actual value, a target, a forecast or an estimate.

"aims to reach 100% by 2030" is a target for 2030; "is expected to reach 80%" a forecast;
"an estimated 2 million users" an estimate; everything else is an actual. The cues are
read in the figure's clause; the first rule whose cue is there decides. Targets and
forecasts are never charted or summed as actuals.
"""

from __future__ import annotations

import re
from functools import lru_cache

from etl.patterns import opening
from etl.schema import CLAIM_TYPES

# (claim type, cue, categories the cue does not apply to), in order: a forecast cue beats a
# target cue ("the target is expected to be met"), both beat an estimate cue
# ("is estimated to reach 80% by 2030" is a forecast).
# A budget's "planned" line is an allocation, not a target.
Rule = tuple[str, re.Pattern[str], frozenset[str]]
ENGLISH_RULES: tuple[Rule, ...] = (
    ("forecast", opening(
        r"\b(?:(?:is|are|was|were)\s+(?:expected|projected|forecast|predicted|anticipated|likely|set)\s+to"
        r"|expected\s+to|projected\s+to|forecasts?|forecasted|projections?|predicts?|predicted|"
        r"is\s+estimated\s+to\s+(?:reach|grow|rise|increase|exceed|hit)|could\s+reach|may\s+reach|"
        r"will\s+likely|is\s+poised\s+to)\b", re.I), frozenset()),
    ("target", opening(
        r"\b(?:targets?|targeted|targeting|aims?\s+(?:to|at|for)|aimed\s+(?:to|at)|aiming\s+(?:to|at)|goals?|"
        r"objectives?|plans?\s+to|plans|planning\s+to|intends?\s+to|seeks?\s+to|pledges?\s+to)\b", re.I), frozenset()),
    # Future forms: a goal for a share or a count; for money they are an allocation ("is to be allocated").
    ("target", opening(
        r"\b(?:(?:is|are)\s+to\s+(?:reach|be|rise|increase|connect|cover)|should\s+(?:reach|rise|increase)|"
        r"will\s+(?:reach|increase|rise|grow|expand|cover|connect|double|triple|have|be\s+(?:raised|increased))"
        r"(?=[^.;]*\bby\s+(?:the\s+end\s+of\s+)?(?:19|20)\d\d))\b", re.I), frozenset({"budget", "investment"})),
    ("target", opening(r"\bplanned\b", re.I), frozenset({"budget"})),
    ("estimate", opening(
        r"\b(?:estimated?|estimates?|estimation|est\.|approximately\s+estimated|according\s+to\s+estimates)"
        r"(?!\s+to\b)", re.I), frozenset()),
)
# Every Russian cue holds a Cyrillic letter: a clause without one is read with the English rules alone.
RUSSIAN_RULES: tuple[Rule, ...] = (
    ("forecast", opening(r"(?<!\w)(?:ожида\w*|прогноз\w*|по\s+прогнозам|предполага\w*|вероятно)(?!\w)", re.I),
     frozenset()),
    ("target", opening(
        r"(?<!\w)(?:планиру\w*|план\w*\s+(?:довести|достичь|увеличить)|цел\w*\s+(?:показател\w*|—|-|:)|"
        r"целев\w*|намерен\w*|должн\w*\s+(?:достичь|составить|вырасти)|"
        r"к\s+(?:концу\s+)?(?:19|20)\d\d\s+году\s+(?:\w+\s+){0,3}?(?:достигнет|составит|вырастет|увеличится|"
        r"будет))(?!\w)", re.I), frozenset()),
    ("estimate", opening(r"(?<!\w)(?:по\s+оценкам|по\s+оценке|оценива\w*|ориентировочно)(?!\w)", re.I),
     frozenset()),
)
RULES = ENGLISH_RULES + RUSSIAN_RULES
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Most clauses state no cue: one scan for any English cue answers them (the rules are all case-blind).
# Every cue opens with a word boundary: said once up front, the scan skips mid-word letters at once.
assert all(re.match(r"(?:\(\?=\[\w+\]\)\(\?:)?\\b", cue.pattern) for _, cue, _ in ENGLISH_RULES), "a cue without \\b"
ANY_ENGLISH_CUE = opening(r"\b(?:" + "|".join(f"(?:{cue.pattern})" for _, cue, _ in ENGLISH_RULES) + ")", re.I)

assert {rule[0] for rule in RULES} | {"actual"} == set(CLAIM_TYPES), "a claim type without a rule"


@lru_cache(maxsize=4096)  # the figures of one clause share it
def claim_type(clause: str, category: str = "other") -> str:
    """The claim type the figure's clause states (see RULES); `actual` when it states none."""
    russian = CYRILLIC.search(clause) is not None
    if not russian and not ANY_ENGLISH_CUE.search(clause):
        return "actual"
    for kind, cue, not_for in RULES if russian else ENGLISH_RULES:
        if category not in not_for and cue.search(clause):
            return kind
    return "actual"
