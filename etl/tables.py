"""Budget tables that a PDF conversion flattened into text, one cell per line or run.

A header that names budget-like columns ("BUDGET (USD)", "ACTUAL EXPENDITURE",
"VARIANCE") opens a table; each later run of numbers is one row, split into as
many cells as there are columns. "3 600 3 628 -28" can be read several ways when
thousands are grouped with spaces; the reading where budget - actual = variance
wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

from etl.claim import Claim
from etl.classify import classify
from etl.context import Paragraph
from etl.countries import country_name, find_mentions
from etl.figures import SCALES, find_figures
from etl.lang import detect
from etl.segment import Block, Layout
from etl.units import declare_unit
from etl.years import find_years

COLUMNS = [
    ("budget_planned", r"\b(?:budget(?:ed)?|planned|plan|allocated|approved|allocation)\b"),
    ("budget_actual", r"\b(?:actual|spent|expenditures?|executed|disbursed)\b"),
    ("budget_variance", r"\b(?:variance|difference|deviation|balance|savings)\b"),
]
HEADER_CURRENCY = re.compile(r"\((USD|EUR|KZT|UZS|KGS|TJS|GBP|CNY|RUB|PKR|AZN|GEL|MNT|US\$|\$)\)")
CURRENCY_CODE = {"US$": "USD", "$": "USD"}
TITLE_UNIT = re.compile(
    r"\(?\b(USD|EUR|KZT|UZS|KGS|TJS|GBP|CNY|RUB|PKR|AZN|GEL|MNT)\b\s*(thousand|million|billion|mln|bn|'000)?\)?")
HEADER_HINT = re.compile(r"BUDGET|PLANNED|PLAN\b|ALLOCATED|APPROVED|ALLOCATION")
HEADER_SPAN = 400  # how far apart the column titles of one header may stand
NUMBER_RUN = re.compile(r"(?<![\w.,])-?\d[\d,]*(?:\.\d+)?(?:[ \t\u00a0]+-?\d[\d,]*(?:\.\d+)?)*(?![\w.,]\d)")
ROW_NUMBER = re.compile(r"(?:^|\n)[ \t]*\d{1,2}[ \t]+(?=[A-Z])")
TABLE_END = re.compile(r"\n[ \t]*\d{1,2}\.[ \t]+[A-Z][a-z]|\n[ \t]*#")


@dataclass(slots=True)
class Cell:
    start: int
    end: int
    value: float
    unit: str
    indicator: str
    row_label: str
    row_start: int
    row_end: int


@dataclass(slots=True)
class Table:
    start: int
    end: int
    block: Block
    title: str = ""  # the lines above the header: a caption that may give the year
    cells: list[Cell] = field(default_factory=list)


def _header(text: str) -> tuple[int, int, list[str], str, float, int] | None:
    """(start, end, column ids, currency, scale, title start) of the first budget-table header, or None."""
    if not HEADER_HINT.search(text):  # column titles are capitals; most documents have none
        return None
    for m in re.finditer(COLUMNS[0][1], text, re.I):
        window = text[m.start():m.start() + HEADER_SPAN]
        # Column titles are written in capitals or as short lines; prose mentioning a budget is not a header.
        if not m.group(0).isupper():
            continue
        found = [(m.start(), COLUMNS[0][0], m.end())]
        for column, pattern in COLUMNS[1:]:
            hit = re.search(pattern, window, re.I)
            if hit and hit.group(0).isupper():
                found.append((m.start() + hit.start(), column, m.start() + hit.end()))
        if len(found) < 2:
            continue
        found.sort()
        end = max(e for _, _, e in found)
        line_end = text.find("\n", end)
        # Let the header run on through its currency notes and explanation column.
        tail = re.match(r"(?:[^\d\n]*\n){0,8}", text[line_end + 1:]) if line_end >= 0 else None
        header_end = line_end + 1 + (tail.end() if tail else 0) if line_end >= 0 else len(text)
        currency = HEADER_CURRENCY.search(text, m.start(), header_end)
        title_start = max(0, text.rfind("\n", 0, max(0, text.rfind("\n", 0, m.start()))) + 1)
        # A title line above the header often carries the unit: "expenditure by line, 2023 (KZT million)".
        titled = TITLE_UNIT.search(text, title_start, header_end)
        code = currency.group(1) if currency else titled.group(1) if titled else "XXX"
        scale = SCALES.get((titled.group(2) or "").lower(), 1.0) if titled else 1.0
        return m.start(), header_end, [c for _, c, _ in found], CURRENCY_CODE.get(code, code), scale, title_start
    return None


def _numbers(tokens: list[tuple[int, int, str]], ncols: int) -> list[list[list[tuple[int, int, str]]]]:
    """Every way to read the tokens as exactly `ncols` numbers (space-grouped thousands allowed)."""
    n = len(tokens)
    readings = []
    for cuts in combinations(range(1, n), ncols - 1):
        bounds = (0, *cuts, n)
        groups = [tokens[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        if all(_valid(g) for g in groups):
            readings.append(groups)
    return readings


def _valid(group: list[tuple[int, int, str]]) -> bool:
    if len(group) == 1:
        return bool(re.fullmatch(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", group[0][2]))
    first, rest = group[0][2], [t[2] for t in group[1:]]
    return bool(re.fullmatch(r"-?\d{1,3}", first)) and all(re.fullmatch(r"\d{3}", t) for t in rest)


def _value(group: list[tuple[int, int, str]]) -> float:
    return float("".join(t[2] for t in group).replace(",", ""))


def _consistent(columns: list[str], values: list[float]) -> bool:
    if {"budget_planned", "budget_actual", "budget_variance"} - set(columns):
        return True
    by = dict(zip(columns, values, strict=False))
    planned, actual, variance = by["budget_planned"], by["budget_actual"], by["budget_variance"]
    return abs(planned - actual - variance) < 0.5 or abs(actual - planned - variance) < 0.5


def find_tables(text: str, page: Layout) -> list[Table]:
    """Flattened budget tables in `text`, each cell with its row label and column."""
    header = _header(text)
    if header is None:
        return []
    start, body_start, columns, unit, scale, title_start = header
    stop = TABLE_END.search(text, body_start)
    body_end = stop.start() if stop else min(len(text), body_start + 4000)
    block = next((b for b in page.blocks if b.start <= start < b.end or b.start >= start), page.blocks[0])
    table = Table(start, body_end, block, title=text[title_start:start])
    cursor = body_start
    for run in NUMBER_RUN.finditer(text, body_start, body_end):
        tokens = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\S+", run.group(0))]
        tokens = [(run.start() + a, run.start() + b, t) for a, b, t in tokens]
        readings = _numbers(tokens, len(columns)) if len(tokens) >= len(columns) else []
        readings = [r for r in readings if _consistent(columns, [_value(g) for g in r])]
        if len(readings) != 1:
            continue
        label_text = text[cursor:run.start()]
        markers = list(ROW_NUMBER.finditer(label_text))
        label_start = cursor + (markers[-1].end() if markers else 0)
        while label_start < run.start() and text[label_start].isspace():
            label_start += 1
        label = " ".join(text[label_start:run.start()].split())
        if not re.search(r"[A-Za-z]", label):
            continue
        row_start = cursor + markers[-1].start() if markers else label_start
        while text[row_start].isspace():
            row_start += 1
        for column, group in zip(columns, readings[0], strict=False):
            table.cells.append(Cell(group[0][0], group[-1][1], _value(group) * scale, unit, column, label,
                                    row_start, run.end()))
        cursor = run.end()
    return [table] if table.cells else []


PIPE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
PIPE_RULE = re.compile(r"^[ \t]*\|(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*$")


@dataclass(slots=True)
class PipeCell:
    """One cell of a Markdown table with the header above it and the label at its row's start."""

    start: int
    end: int
    header: str
    label: str
    label_start: int
    row_start: int
    row_end: int
    table_start: int


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stripped spans of the cells of one `| a | b |` line."""
    return _between(text, [start + i for i, ch in enumerate(text[start:end]) if ch == "|"])


def find_pipe_tables(text: str) -> list[PipeCell]:
    """Cells of Markdown pipe tables (`| Country | 2019 | 2023 |`), data rows only, label column excluded."""
    cells: list[PipeCell] = []
    lines = list(PIPE_ROW.finditer(text))
    i = 0
    while i + 1 < len(lines):
        header, rule = lines[i], lines[i + 1]
        if not PIPE_RULE.match(rule.group(0)) or text[header.end():rule.start()].strip():
            i += 1
            continue
        titles = [text[a:b] for a, b in _cells(text, header.start(), header.end())]
        j = i + 2
        previous_end = rule.end()
        while j < len(lines) and not text[previous_end:lines[j].start()].strip():
            row = lines[j]
            spans = _cells(text, row.start(), row.end())
            if spans:
                label_start, label_end = spans[0]
                for column, (s, e) in enumerate(spans[1:], start=1):
                    if e > s and re.search(r"\d", text[s:e]):
                        cells.append(PipeCell(s, e, titles[column] if column < len(titles) else "",
                                              text[label_start:label_end], label_start,
                                              row.start() + len(row.group(0)) - len(row.group(0).lstrip()),
                                              row.end() - (len(row.group(0)) - len(row.group(0).rstrip())),
                                              header.start()))
            previous_end = row.end()
            j += 1
        i = j
    return cells


BARE_ROW = re.compile(r"^[^|\n]*\S[ \t]+\|[ \t]+\S[^\n]*$", re.M)
BARE_MIN_ROWS = 3  # a header and two rows: one line with a bar is prose


def find_bare_pipe_tables(text: str) -> list[PipeCell]:
    """Cells of tables written with bars but without outer bars or a rule line
    ("Показатель | 2023 | 2024" over "Доля домохозяйств ..., % | 93,1 | 94,2"): three or more
    consecutive lines with the same number of bars; the first is the header."""
    if " | " not in text:
        return []
    cells: list[PipeCell] = []
    lines = list(BARE_ROW.finditer(text))
    i = 0
    while i < len(lines):
        j, bars = i + 1, lines[i].group(0).count("|")
        while j < len(lines) and lines[j].group(0).count("|") == bars and lines[j].start() == lines[j - 1].end() + 1:
            j += 1
        if j - i >= BARE_MIN_ROWS and "|" not in lines[i].group(0).strip()[:1]:
            header = lines[i]
            titles = [text[a:b] for a, b in _bare_cells(text, header.start(), header.end())]
            for row in lines[i + 1:j]:
                spans = _bare_cells(text, row.start(), row.end())
                label_start, label_end = spans[0]
                for column, (s, e) in enumerate(spans[1:], start=1):
                    if e > s and re.search(r"\d", text[s:e]):
                        cells.append(PipeCell(s, e, titles[column] if column < len(titles) else "",
                                              text[label_start:label_end], label_start, row.start(), row.end(),
                                              header.start()))
        i = j
    return cells


def _bare_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stripped spans of the cells of one `a | b | c` line."""
    return _between(text, [start - 1, *(start + i for i, ch in enumerate(text[start:end]) if ch == "|"), end])


def _between(text: str, bounds: list[int]) -> list[tuple[int, int]]:
    """The spans between consecutive separator positions, without their surrounding whitespace."""
    spans = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        s, e = a + 1, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        spans.append((s, e))
    return spans


SPACED_SPLIT = re.compile(r"[ \t]{2,}|\t")
SPACED_FIGURE = re.compile(r"[-–]?[$€£₸]?\d[\d.,  ]*%?")  # "62 000", "56.4", "12%": one cell, one figure


def _spaced_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the cells of a line whose columns are set apart by runs of spaces or tabs."""
    spans, cursor = [], start
    for m in SPACED_SPLIT.finditer(text, start, end):
        if m.start() > cursor:
            spans.append((cursor, m.start()))
        cursor = m.end()
    if end > cursor:
        spans.append((cursor, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def find_spaced_tables(text: str) -> list[PipeCell]:
    """Cells of tables laid out with spaces, as PDF text extraction leaves them:

        Year        Approved      Executed          |                          2023        2024
        2022          62 000        58 940          |  Mobile broadband          52.6        56.4

    A header line, then at least two rows whose every cell after the label is one figure, with the
    header's column count (or one more, when the header has no label column). Data rows only.
    """
    cells: list[PipeCell] = []
    lines, gaps, pos = [], [], 0
    for line in text.split("\n"):
        lines.append((pos, pos + len(line.rstrip("\r"))))
        gaps.append("  " in line or "\t" in line)  # a line with no run of spaces has one cell
        pos += len(line) + 1
    i = 0
    while i + 2 < len(lines):
        if not (gaps[i] and gaps[i + 1]):
            i += 1
            continue
        h_start, h_end = lines[i]
        header = _spaced_cells(text, h_start, h_end)
        rows, j = [], i + 1
        while j < len(lines) and gaps[j]:
            r_start, r_end = lines[j]
            spans = _spaced_cells(text, r_start, r_end)
            figures_only = len(spans) >= 2 and all(SPACED_FIGURE.fullmatch(text[a:b].strip()) for a, b in spans[1:])
            if not figures_only or len(spans) not in (len(header), len(header) + 1):
                break
            rows.append(spans)
            j += 1
        titles = [text[a:b] for a, b in header]
        # A header names its columns (words or years); "CONTENTS   2" over "HIGHLIGHTS   4" is a contents page.
        value_titles = titles[1:] if not rows or len(rows[0]) == len(header) else titles
        named = all(re.search(r"[^\W\d_]", t) or re.fullmatch(r"\s*(?:19|20)\d\d\s*", t) for t in value_titles)
        # One row is a table only under a header of years ("   2022   2023"); else it takes two.
        by_year = all(re.fullmatch(r"\s*(?:19|20)\d\d\s*", t) for t in value_titles)
        if len(header) < 2 or len(rows) < (1 if by_year else 2) or any(len(r) != len(rows[0]) for r in rows) \
                or not named:
            i += 1
            continue
        if len(rows[0]) == len(header) + 1:
            titles = ["", *titles]  # "            2023    2024": the header has no label column
        for spans in rows:
            (label_start, label_end), row_start, row_end = spans[0], spans[0][0], spans[-1][1]
            for column, (s, e) in enumerate(spans[1:], start=1):
                cells.append(PipeCell(s, e, titles[column], text[label_start:label_end], label_start,
                                      row_start, row_end, h_start))
        i = j
    return cells


# -- claims of a table cell -----------------------------------------------------------------------
BUDGET_COLUMN = re.compile(r"\b(budget(?:ed)?|planned|plan|allocated|approved|actual|spent|executed|variance)\b", re.I)
BUDGET_COLUMNS = {"budget": "budget_planned", "budgeted": "budget_planned", "planned": "budget_planned",
                  "plan": "budget_planned", "allocated": "budget_planned", "approved": "budget_planned",
                  "actual": "budget_actual", "spent": "budget_actual", "executed": "budget_actual",
                  "variance": "budget_variance"}


def pipe_claims(text: str, cell: PipeCell, paragraph: Paragraph, reference_year: int | None,
                main_country: str) -> list[Claim]:
    """Claims of one Markdown or space-aligned table cell.

    The unit comes from the cell, else its column header, row label or the table's title line
    ("(KZT million)", "(% of population)", "(Mbps)"); the year from the header, label, title or
    heading; the country from the label, header, title or heading.
    """

    lang = detect(text, cell.row_start, cell.row_end)
    found = find_figures(text, cell.start, cell.end, cell.start, lang)
    if not found:
        return []
    figure = found[0]
    header, label = cell.header, cell.label
    # The title is the paragraph just above the table (a caption line, maybe bold).
    above = text[max(0, cell.table_start - 300):cell.table_start].rstrip()
    title = above[above.rfind("\n\n") + 1:].strip() if above else ""
    if figure.kind == "count":
        for source in (header, label, title):
            if declare_unit(figure, source):
                break
    year, basis = None, None
    row = text[cell.row_start:cell.row_end]
    # A row may carry its own year in a "Year" column: "Individuals online (%)   81.9   2023".
    row_years = [y for y in find_years(row, 0, len(row))
                 if not (cell.start - cell.row_start <= y.start < cell.end - cell.row_start)]
    for source in (header, label, title, row if row_years else ""):
        found_years = find_years(source, 0, len(source))
        if found_years:
            year, basis = found_years[-1].year, "stated"
            break
    if year is None:
        # The publication year dates no table row: only a sentence stating a present stock.
        if paragraph.heading_year:
            year, basis = paragraph.heading_year, "stated"
    codes = next(([m.code for m in find_mentions(source, places=True) if not m.weak]
                  for source in (label, header, title)
                  if any(not m.weak for m in find_mentions(source, places=True))),
                 [paragraph.heading_country or main_country])
    column = BUDGET_COLUMN.search(header) if figure.kind == "money" else None
    if column:
        indicator, category = BUDGET_COLUMNS[column.group(1).lower()], "budget"
    else:
        clause = f"{header} {label}"
        indicator, category = classify(figure, clause, f"{clause} {title}", paragraph.heading_text, None, lang=lang)
    return [
        Claim(country=code, country_name=country_name(code), indicator=indicator, category=category,
              value=figure.value, as_written=text[figure.start:figure.end], unit=figure.unit, year=year,
              year_basis=basis, comparator=figure.comparator, rank_of=figure.rank_of,
              subject=" ".join(f"{label} {header}".split()) or None, quote=row, quote_start=cell.row_start,
              char_start=figure.start, char_end=figure.end)
        for code in codes[:1]
    ]


def budget_claim(text: str, cell: Cell, paragraph: Paragraph, reference_year: int | None,
                 main_country: str) -> Claim:
    """The claim of one cell of a flattened budget table: the heading's country and year."""

    country = paragraph.heading_country or main_country
    year, basis = (paragraph.heading_year, "stated") if paragraph.heading_year else (None, None)
    return Claim(
        country=country, country_name=country_name(country), indicator=cell.indicator, category="budget",
        value=cell.value, as_written=text[cell.start:cell.end], unit=cell.unit, year=year,
        year_basis=basis, comparator="=", rank_of=None, subject=cell.row_label,
        quote=text[cell.row_start:cell.row_end], quote_start=cell.row_start,
        char_start=cell.start, char_end=cell.end,
    )
