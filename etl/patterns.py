"""A speed helper for the recognizer's cue patterns: `opening` puts in front of a pattern a
lookahead on the characters its match can start with, read from the pattern itself.

Python's regex engine tries a pattern that opens with a word boundary and a long alternation
("\\b(?:targets?|aims?\\s+to|...)") against every alternative at every word start; a one-character
class in front leaves most positions at once. The lookahead is implied by the pattern, so the
matches are the same; when the first characters cannot be read (a class, an optional start),
the pattern is compiled as it is.
"""

from __future__ import annotations

import re
from re import _constants as sre_constants  # the parser's opcodes (Python 3.11+)
from re import _parser as sre_parse


def first_characters(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """What a match of `pattern` can start with, as pieces of a character class ("a", "0-9", "\\d"; the
    flags' case folding applies to them), or None when any character could."""
    try:
        return _first(sre_parse.parse(pattern, flags))
    except (re.error, TypeError, ValueError, IndexError):  # pragma: no cover - an unknown parse: no lookahead
        return None


def _first(items) -> frozenset[str] | None:
    for op, av in items:
        if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue  # zero-width (\b, lookarounds): the next item starts the match
        if op is sre_constants.LITERAL:
            return frozenset({re.escape(chr(av))})
        if op is sre_constants.IN:
            return _class(av)
        if op is sre_constants.SUBPATTERN:
            # "(?i:Abc)" in a case-sensitive pattern starts with "a" too: not read. "(?-i:...)" under re.I
            # is read, its lookahead folding case (more than the group matches, never less).
            return None if av[1] else _first(av[-1])
        if op is sre_constants.BRANCH:
            found: set[str] = set()
            for branch in av[1]:
                chars = _first(branch)
                if chars is None:
                    return None
                found |= chars
            return frozenset(found)
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and av[0] >= 1:
            return _first(av[2])
        return None
    return None  # a pattern that can match the empty string


CATEGORIES = {sre_constants.CATEGORY_DIGIT: r"\d", sre_constants.CATEGORY_WORD: r"\w",
              sre_constants.CATEGORY_SPACE: r"\s"}


def _class(items) -> frozenset[str] | None:
    """The pieces of a character class ("[a-z\\d.]"); None for a negated one or one not read."""
    pieces = set()
    for op, av in items:
        if op is sre_constants.LITERAL:
            pieces.add(re.escape(chr(av)))
        elif op is sre_constants.RANGE:
            pieces.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre_constants.CATEGORY and av in CATEGORIES:
            pieces.add(CATEGORIES[av])
        else:
            return None
    return frozenset(pieces)


def opening(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern` compiled with a lookahead on its first characters in front (see the module's doc)."""
    chars = first_characters(pattern, flags)
    if not chars:
        return re.compile(pattern, flags)
    return re.compile("(?=[" + "".join(sorted(chars)) + "])(?:" + pattern + ")", flags)
