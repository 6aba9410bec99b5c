"""Shared fixtures: a private copy of the bundled corpus and a fake extractor at real offsets."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from etl import paths
from etl.claim import Claim

_PERCENT = re.compile(r"\d+(?:\.\d+)?%")


def fake_extract(text: str, reference_year: int | None = None) -> list[Claim]:
    """The first two percentages of `text`, each a Kazakh internet-use claim quoting its line."""
    claims = []
    for m in list(_PERCENT.finditer(text))[:2]:
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        quote = text[line_start : line_end if line_end >= 0 else len(text)]
        claims.append(Claim(
            country="KAZ", country_name="Kazakhstan", indicator="internet_users_pct", category="penetration",
            value=float(m.group()[:-1]), as_written=m.group(), unit="percent", year=reference_year,
            year_basis="inferred" if reference_year else None, comparator="=", rank_of=None, subject=None,
            quote=quote, quote_start=line_start, char_start=m.start(), char_end=m.end(),
        ))
    return claims


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """CADI_HOME at tmp_path holding a copy of the bundled documents in data/raw."""
    monkeypatch.delenv("CADI_HOME", raising=False)
    monkeypatch.delenv("CADI_DATA_DIR", raising=False)
    bundled = paths.raw_dir()
    monkeypatch.setenv("CADI_HOME", str(tmp_path))
    shutil.copytree(bundled, paths.raw_dir())
    return tmp_path


@pytest.fixture
def fake_extractor(monkeypatch: pytest.MonkeyPatch):
    """etl.run uses `fake_extract` instead of the real extractor."""
    import etl.run

    monkeypatch.setattr(etl.run, "extract_claims", fake_extract)
    return fake_extract
