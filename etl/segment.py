"""Split a document's text into headings, paragraphs, list items and sentences, keeping offsets.

Reports arrive as Markdown, as hard-wrapped text pulled out of PDFs, or as web
articles; the rules below only look at layout (blank lines, bullets, heading
markers, sentence punctuation), never at what a particular file says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BULLET = re.compile(
    r"^[ \t]*(?:(?:[-*•‣▪●◦–][ \t]+)?(?:\d{1,2}[.)](?!\d)|\(\d{1,2}\)|[a-z][.)])|[-*•‣▪●◦–])[ \t]+")
MD_HEADING = re.compile(r"^[ \t]*(#{1,6})[ \t]+\S")
NUMBERED_HEADING = re.compile(r"^[ \t]*\d+(?:\.\d+)+\.?[ \t]+[A-Z]")
CAPTION = re.compile(r"\((?:Photo|Source|Image|Credit)s?\b|^(?:Photo|Figure|Table|Source)s?\s*\d*[:.]", re.I)
ABBREVIATIONS = frozenset(
    "e.g i.e etc mr mrs ms dr prof no nos st vs inc ltd co corp approx est fig figs p pp m tel art sec vol "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k gov dept "
    "ул им т.е т.д т.п др см стр рис табл обл проф акад пр".split()  # Russian: улица, имени, то есть...
)
# Abbreviations that end a sentence only when no number follows: "2 млрд. 281 млн. 800 тыс. сомони".
# English too: "Rs. 450 million", "USD. 5 million", "3 bn. 200 mln", "approx. 3 million".
NUMBER_ABBREVIATIONS = frozenset("тыс млн млрд трлн руб долл г гг проц rs usd eur kzt pkr bn bln mln mn thous "
                                 "ca appr".split())
# The next sentence starts with a capital, a digit, a bullet or a currency sign ("₮229.88B was ...").
# Footnote markers may follow the stop: "across the country.¹² Median ..." (text taken from a PDF).
SENTENCE_END = re.compile(r"[.!?]+[\"'”’»)\]]*(?:[¹²³⁰⁴-⁹]+|\[\d{1,3}\])?"
                          r"(?=\s+[\"'“‘«(\[]?[A-Z0-9А-ЯЁ\-•*$€£¥₸₽₹₼₾₮])")
LAST_WORD = re.compile(r"([\w.]+)\Z")
CLAUSE_BREAK = re.compile(r"[;:]\s+|,\s+|\s+[–—]\s+|\s+-\s+")
RU_CLAUSE_BREAK = re.compile(r"[;:]\s+|,\s+")
PAREN = re.compile(r"\([^()]*\)")
MAX_SENTENCE = 1200  # characters; longer runs are cut so recognition stays linear in the text


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(slots=True)
class Block:
    """A heading, a paragraph or a list item, with the headings it sits under."""

    start: int
    end: int
    kind: str  # heading | paragraph | item
    level: int = 0  # heading depth; smaller is higher
    headings: tuple[int, ...] = ()  # indices into Layout.blocks of enclosing headings
    sentences: list[Span] = field(default_factory=list)


@dataclass(slots=True)
class Layout:
    blocks: list[Block]


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _plain_heading(line: str, prev_blank: bool, next_blank: bool) -> bool:
    body = line.strip().strip("*").strip()
    if not body or not prev_blank or not next_blank or CAPTION.search(body):
        return False
    if len(body) > 90 or len(body.split()) > 12 or body[-1] in ".,;!?\"”":
        return False
    if re.search(r":\s*\D{0,12}\d", body):  # "Internet users: 3.1 million" states a figure
        return False
    return body[0].isupper() or body[0].isdigit() or body.startswith("«")


def _label_only(body: str) -> bool:
    """A list item that is only a label ("**Targeted Investments:**") heads the items after it."""
    plain = body.replace("*", "").strip()
    return plain.endswith(":") and len(plain.split()) <= 8


LEAD_IN = 9  # heading level of a line that introduces the list right below it
YEARS_ONLY = re.compile(r"\b(?:19|20)\d\d\b")


def _lead_in(line: str, lines: list[tuple[int, int]], i: int, text: str) -> bool:
    """A short line or one ending in ':' right above a list, holding no figure but years."""
    if i + 1 >= len(lines) or not BULLET.match(text[lines[i + 1][0]:lines[i + 1][1]]):
        return False
    body = line.strip()
    if not body or re.search(r"\d", YEARS_ONLY.sub("", body)):
        return False
    return body.endswith(":") or (len(body) <= 60 and body[-1] not in ".;!?,")


def layout(text: str) -> Layout:
    """Headings, paragraphs and list items of `text`, each split into sentences."""
    lines = _lines(text)
    blank = [not text[s:e].strip() for s, e in lines]
    blocks: list[Block] = []
    stack: list[tuple[int, int]] = []  # (level, block index) of open headings
    current: Block | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            current.start, current.end = _strip(text, current.start, current.end)
            if current.end > current.start:
                blocks.append(current)
        current = None

    def open_heading(level: int, start: int, end: int) -> None:
        while stack and stack[-1][0] >= level:
            stack.pop()
        block = Block(start, end, "heading", level, tuple(i for _, i in stack))
        block.start, block.end = _strip(text, start, end)
        blocks.append(block)
        stack.append((level, len(blocks) - 1))

    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if blank[i]:
            close()
            continue
        prev_blank = i == 0 or blank[i - 1]
        next_blank = i + 1 >= len(lines) or blank[i + 1]
        md = MD_HEADING.match(line)
        if md:
            close()
            open_heading(len(md.group(1)), s + md.end() - 1, e)
            continue
        if NUMBERED_HEADING.match(line) and current is None or (
            current is None and _plain_heading(line, prev_blank, next_blank)
        ):
            close()
            open_heading(7, s, e)
            continue
        bullet = BULLET.match(line)
        if not bullet and current is None and _lead_in(line, lines, i, text):
            open_heading(LEAD_IN, s, e)  # "Targets by 2027" / "By 2030 the Service aims to:" over a list
            continue
        if not bullet and current is None:
            while stack and stack[-1][0] == LEAD_IN:  # a paragraph after the list: the lead-in is over
                stack.pop()
        if bullet:
            close()
            body = line[bullet.end():]
            if _label_only(body) and next_blank:
                open_heading(8, s + bullet.end(), e)
                continue
            current = Block(s + bullet.end(), e, "item", headings=tuple(i for _, i in stack))
            continue
        if current is None:
            current = Block(s, e, "paragraph", headings=tuple(i for _, i in stack))
        else:
            current.end = e
    close()
    for block in blocks:
        block.sentences = sentences(text, block.start, block.end)
    return Layout(blocks)


def sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans of text[start:end], skipping abbreviations and decimals.

    A run of short lines that each end in a figure ("Kazakhstan — 92.3%" under a title line)
    is a list without bullets: each line is a sentence of its own.
    """
    if "\n" in text[start:end]:
        pieces = _figure_lines(text, start, end)
        if len(pieces) > 1:
            return [span for a, b in pieces for span in sentences(text, a, b)]
    spans, cursor = [], start
    for m in SENTENCE_END.finditer(text, start, end):
        dot = m.start()
        if text.startswith("....", dot):  # dot leaders of a contents or table line, not a stop
            continue
        # Only the word just before the dot matters: look at a short tail, not the whole sentence.
        word = LAST_WORD.search(text, max(cursor, dot - 24), dot)
        if word and text[dot] == "." and word.group(1).lower().rstrip(".") in ABBREVIATIONS:
            continue
        if word and text[dot] == "." and word.group(1).lower().rstrip(".") in NUMBER_ABBREVIATIONS and \
                text[m.end():m.end() + 3].strip()[:1].isdigit():
            continue
        if word and len(word.group(1)) == 1 and word.group(1).isupper():  # an initial: "J. Smith"
            continue
        if dot - cursor < 6 and (not text[cursor:dot].strip() or text[cursor:dot].strip().isdigit()):  # "1."
            continue
        s, e = _strip(text, cursor, m.end())
        if e > s:
            spans.append(Span(s, e))
        cursor = m.end()
    s, e = _strip(text, cursor, end)
    if e > s:
        spans.append(Span(s, e))
    return [piece for span in spans for piece in _bounded(text, span)]


FIGURE_LINE_MAX = 60  # characters; hard-wrapped prose lines are longer
FIGURE_LINE_END = re.compile(r"[\d%]\s*$")
FIGURE_LINE_UNIT = re.compile(r"\d\s*(?:million|billion|thousand|bn|mn|m|km|MW|Mbps)\s*$", re.I)
DOT_LEADER = re.compile(r"\.{4,}|…{2,}")


def _figure_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] cut after each line of a run of two or more short lines ending in a figure."""
    lines, pos = [], start
    while pos <= end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        lines.append((pos, stop))
        if nl < 0:
            break
        pos = nl + 1
    # A line with dot leaders ("IDA grant ........ US$27.5 million") is a table line at any length.
    flags = [bool(FIGURE_LINE_END.search(text, a, b) or FIGURE_LINE_UNIT.search(text, a, b))
             and (len(text[a:b].strip()) <= FIGURE_LINE_MAX or DOT_LEADER.search(text, a, b) is not None)
             for a, b in lines]
    pieces, cursor = [], start
    for i in range(len(lines) - 1):
        after = text[lines[i + 1][0]:lines[i + 1][1]].lstrip()
        in_run = flags[i] and (flags[i + 1] or (i > 0 and flags[i - 1]))
        # The title line of a run ("Amount ($ million)" over "ADB loan ..... 40.0") stands alone too.
        title = not flags[i] and i + 2 < len(lines) and flags[i + 1] and flags[i + 2]
        if (in_run or title) and after[:1].isupper():
            pieces.append((cursor, lines[i][1]))
            cursor = lines[i + 1][0]
    pieces.append((cursor, end))
    return pieces


def _bounded(text: str, span: Span) -> list[Span]:
    """Cut a run-on "sentence" (a table dump, a 1 MB line) into pieces of at most MAX_SENTENCE
    characters, at a clause break or a space, so the work per sentence stays bounded."""
    if span.end - span.start <= MAX_SENTENCE:
        return [span]
    pieces, cursor = [], span.start
    while span.end - cursor > MAX_SENTENCE:
        limit = cursor + MAX_SENTENCE
        cut = max(text.rfind("; ", cursor, limit), text.rfind(", ", cursor, limit))
        if cut <= cursor + MAX_SENTENCE // 4:
            cut = text.rfind(" ", cursor, limit)
        cut = limit if cut <= cursor else cut + 1
        s, e = _strip(text, cursor, cut)
        if e > s:
            pieces.append(Span(s, e))
        cursor = cut
    s, e = _strip(text, cursor, span.end)
    if e > s:
        pieces.append(Span(s, e))
    return pieces


def clauses(text: str, start: int, end: int, lang: str = "en") -> list[Span]:
    """Clause spans of a sentence: split at , ; : and dashes, but never inside parentheses. A Russian
    dash stands for a verb ("Кыргызстан — 83-е", "71,1% — Узбекистана"): it joins, it does not split."""
    protected = [(m.start() + start, m.end() + start) for m in PAREN.finditer(text[start:end])]
    spans, cursor = [], start
    for m in (RU_CLAUSE_BREAK if lang == "ru" else CLAUSE_BREAK).finditer(text, start, end):
        if any(a <= m.start() < b for a, b in protected):
            continue
        # "500,000" has no space after the comma, so numbers are never split.
        if m.start() > cursor:
            spans.append(Span(cursor, m.start()))
        cursor = m.end()
    if end > cursor:
        spans.append(Span(cursor, end))
    return spans
