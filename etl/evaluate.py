"""Score the extractor against hand-labelled sentences: `python -m etl.evaluate [--file PATH]`.

Each line of the labelled file is one text with the claims a careful reader takes from
it. A predicted claim matches a gold claim when value (relative tolerance 1e-6, or equal once
rounded to the two decimals a labeller writes for "two in three" = 66.67), unit and
country agree; year, comparator and category are then scored among the matches. The
figures are something to watch over time, not a threshold that tests assert.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from etl import paths
from etl.claim import Claim
from etl.extract import extract_claims

REL_TOL = 1e-6
# One unit, two spellings: the contract took the realdocs vocabulary; a labeller may write the older one.
UNIT_SPELLINGS = {"percentage points": "percentage_points", "Gbps": "Gbit/s", "Tbps": "Tbit/s", "Mbit/s": "Mbps"}
# Fields compared among matched claims, in the order they are printed.
MATCH_FIELDS = ("year", "comparator", "category")


def default_file() -> Path:
    """The bundled evaluation set."""
    return paths.base_dir() / "data" / "eval" / "labelled.jsonl"


@dataclass(frozen=True)
class Gold:
    value: float
    unit: str
    country: str
    year: int | None
    comparator: str
    category: str | None


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    reference_year: int | None
    claims: tuple[Gold, ...]
    # Labelled before changes were signed ("fell 3.2%" written 3.2): a signed prediction matches its size.
    unsigned_changes: bool = False


@dataclass
class Scores:
    """Counts for one way of matching: true positives, predicted and gold totals."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    items: int = 0
    full: Scores = field(default_factory=Scores)  # value, unit and country
    value_unit: Scores = field(default_factory=Scores)  # value and unit only
    agree: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MATCH_FIELDS, 0))
    dated: int = 0  # matches whose gold states a year (a careful reader can date them)
    dated_right: int = 0  # ... and whose predicted year is that year
    misses: list[tuple[str, Gold]] = field(default_factory=list)
    false_positives: list[tuple[str, Claim]] = field(default_factory=list)
    disagreements: list[tuple[str, str, Gold, Claim]] = field(default_factory=list)


# -- reading --------------------------------------------------------------------------------------
def load(path: Path) -> list[Item]:
    """The labelled items in `path` (JSON lines), or ValueError naming the bad line."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            claims = tuple(
                Gold(float(c["value"]), UNIT_SPELLINGS.get(c["unit"], c["unit"]), c["country"], c.get("year"),
                     c.get("comparator", "="),
                     c.get("category"))
                for c in row["claims"]
            )
            items.append(Item(str(row.get("id", number)), row["text"], row.get("reference_year"), claims))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path.name} line {number}: expected text, reference_year and claims ({exc})") from exc
    return items


# Realdocs write aggregates in their own codes; the units are the contract's (it took realdocs' vocabulary).
REALDOCS_COUNTRIES = {"WORLD": "WLD", "REG_CENTRAL_ASIA": "XCA"}
REALDOCS_UNITS = UNIT_SPELLINGS


def load_realdocs(folder: Path) -> dict[str, list[Item]]:
    """The real documents of `folder` (docs/, gold.csv, manifest.csv) as items, by language (the
    file name's prefix: en_, ru_). A gold row for several countries ("EST;LVA;LTU") is one claim per
    country; the manifest's publication date is the reference date."""
    manifest = {row["file"]: row for row in csv.DictReader((folder / "manifest.csv").open(encoding="utf-8"))}
    gold: dict[str, list[Gold]] = {name: [] for name in manifest}
    for row in csv.DictReader((folder / "gold.csv").open(encoding="utf-8")):
        for code in row["country"].split(";"):
            gold[row["doc"]].append(Gold(
                float(row["value"]), REALDOCS_UNITS.get(row["unit"], row["unit"]),
                REALDOCS_COUNTRIES.get(code, code), int(row["year"]) if row["year"] else None,
                row["comparator"] or "=", row["category"] or None))
    by_language: dict[str, list[Item]] = {}
    for name in sorted(manifest):
        published = manifest[name]["published"][:4]
        item = Item(name, (folder / "docs" / name).read_text(encoding="utf-8"),
                    int(published) if published.isdigit() else None, tuple(gold[name]), unsigned_changes=True)
        by_language.setdefault(name.split("_", 1)[0], []).append(item)
    return by_language


# -- scoring --------------------------------------------------------------------------------------
def same_value(gold: float, predicted: float) -> bool:
    if math.isclose(gold, predicted, rel_tol=REL_TOL, abs_tol=1e-9):
        return True
    # A labeller writes a third as 33.33: a gold value with decimals matches the prediction rounded
    # to two of them. Whole gold values ("50") still need the exact figure.
    return gold != round(gold) and round(gold, 2) == gold and round(predicted, 2) == gold


def _pair(gold: Sequence[Gold], predicted: Sequence[Claim], with_country: bool,
          unsigned_changes: bool = False) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index); ties go to the prediction that agrees on more fields."""
    pairs, used = [], set()
    for g_index, g in enumerate(gold):
        candidates = [
            p_index for p_index, p in enumerate(predicted)
            if p_index not in used and g.unit == p.unit
            and (same_value(g.value, p.value) or (unsigned_changes and p.value < 0 < g.value
                                                  and same_value(g.value, -p.value)))
            and (not with_country or g.country == p.country)
        ]
        if not candidates:
            continue
        best = max(candidates, key=lambda i: sum(_agrees(g, predicted[i], f) for f in MATCH_FIELDS))
        used.add(best)
        pairs.append((g_index, best))
    return pairs


def _agrees(gold: Gold, claim: Claim, name: str) -> bool:
    return getattr(gold, name) == getattr(claim, name)


def score(items: Iterable[Item], extract: Callable[[str, int | None], list[Claim]] = extract_claims) -> Report:
    """Match every item's predicted claims against its gold claims."""
    report = Report()
    for item in items:
        report.items += 1
        predicted = extract(item.text, item.reference_year)
        for scores in (report.full, report.value_unit):
            scores.predicted += len(predicted)
            scores.gold += len(item.claims)
        report.value_unit.tp += len(_pair(item.claims, predicted, False, item.unsigned_changes))
        pairs = _pair(item.claims, predicted, True, item.unsigned_changes)
        report.full.tp += len(pairs)
        for g_index, p_index in pairs:
            gold, claim = item.claims[g_index], predicted[p_index]
            if gold.year is not None:
                report.dated += 1
                report.dated_right += gold.year == claim.year
            for name in MATCH_FIELDS:
                if _agrees(gold, claim, name):
                    report.agree[name] += 1
                else:
                    report.disagreements.append((item.id, name, gold, claim))
        matched_gold = {g for g, _ in pairs}
        matched_pred = {p for _, p in pairs}
        report.misses += [(item.id, g) for i, g in enumerate(item.claims) if i not in matched_gold]
        report.false_positives += [(item.id, p) for i, p in enumerate(predicted) if i not in matched_pred]
    return report


# -- printing -------------------------------------------------------------------------------------
def _prf(label: str, s: Scores) -> str:
    return (f"  {label:<22} precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}"
            f"  ({s.tp} matched, {s.predicted} predicted, {s.gold} gold)")


def _gold(g: Gold) -> str:
    return f"{g.value:g} {g.unit} {g.country} year={g.year} {g.comparator} {g.category or ''}".rstrip()


def _claim(c: Claim) -> str:
    return f"{c.value:g} {c.unit} {c.country} year={c.year} {c.comparator} {c.category} [{c.as_written!r}]"


def format_report(report: Report, source: str) -> str:
    """The report as plain text: overall and per-field figures, then misses and false positives."""
    matched = report.full.tp
    lines = [
        f"Evaluation of extract_claims on {source}: {report.items} texts",
        "Overall (a match needs value, unit and country):",
        _prf("value+unit+country", report.full),
        "Per field:",
        _prf("value+unit", report.value_unit),
    ]
    for name in MATCH_FIELDS:
        share = report.agree[name] / matched if matched else 0.0
        lines.append(f"  {name:<22} accuracy {share:.3f}  ({report.agree[name]}/{matched} matches)")
    lines.append(f"  {'year (datable)':<22} accuracy {_year_share(report):.3f}"
                 f"  ({report.dated_right}/{report.dated} matches whose gold states a year)")
    lines.append(f"Misses ({len(report.misses)}):")
    lines += [f"  {item}: {_gold(g)}" for item, g in report.misses]
    lines.append(f"False positives ({len(report.false_positives)}):")
    lines += [f"  {item}: {_claim(c)}" for item, c in report.false_positives]
    lines.append(f"Field disagreements among matches ({len(report.disagreements)}):")
    lines += [f"  {item}: {name}: gold {getattr(g, name)!r}, got {getattr(c, name)!r}  ({_gold(g)})"
              for item, name, g, c in report.disagreements]
    return "\n".join(lines)


def _year_share(report: Report) -> float:
    return report.dated_right / report.dated if report.dated else 0.0


def summary_line(label: str, report: Report) -> str:
    """One line: precision, recall, F1 and year accuracy among datable matches."""
    s = report.full
    return (f"  {label:<26} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  year {_year_share(report):.3f}"
            f"  ({s.tp} matched, {s.predicted} predicted, {s.gold} gold; {report.items} texts)")


def summary(realdocs: Path | None = None) -> str:
    """Every bundled labelled set, then the real documents per language, one line each."""
    lines = ["Labelled sets (value+unit+country; year among matches whose gold states one):"]
    for path in sorted((paths.base_dir() / "data" / "eval").glob("*.jsonl")):
        lines.append(summary_line(path.name, score(load(path))))
    folder = realdocs or paths.realdocs_dir()
    if (folder / "gold.csv").is_file():
        lines.append(f"Real documents ({folder}), per language:")
        for language, items in load_realdocs(folder).items():
            lines.append(summary_line(f"realdocs {language}", score(items)))
    else:
        lines.append(f"No real documents at {folder} (docs/, gold.csv, manifest.csv): skipped.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the evaluation report; 2 when the labelled file cannot be read."""
    parser = argparse.ArgumentParser(prog="python -m etl.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=None, help="labelled JSON-lines file")
    parser.add_argument("--all", action="store_true", help="one line per labelled set and per realdocs language")
    parser.add_argument("--realdocs", metavar="LANG", default=None,
                        help="the full report on the real documents of one language (en, ru)")
    args = parser.parse_args(argv)
    if args.all:
        print(summary())
        return 0
    if args.realdocs:
        folder = paths.realdocs_dir()
        if not (folder / "gold.csv").is_file():
            print(f"No real documents at {folder}.", file=sys.stderr)
            return 2
        items = load_realdocs(folder).get(args.realdocs, [])
        print(format_report(score(items), f"{folder} ({args.realdocs})"))
        return 0
    path = args.file or default_file()
    try:
        items = load(path)
    except FileNotFoundError:
        print(f"No labelled file at {path}: pass one with --file.", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"Cannot read the labelled file: {exc}", file=sys.stderr)
        return 2
    print(format_report(score(items), str(path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
