"""Every path the product uses, built from one base directory.

`CADI_HOME` moves the whole data tree (tests point it at a tmp dir);
`CADI_DATA_DIR` moves only the processed store the dashboard reads.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def base_dir() -> Path:
    """Root of the data tree: `$CADI_HOME` or the repository."""
    return Path(os.environ.get("CADI_HOME", REPO_ROOT))


def raw_dir() -> Path:
    """Bundled and user-added report documents."""
    return base_dir() / "data" / "raw"


def processed_dir() -> Path:
    """Where the ETL writes Parquet and the dashboard reads it."""
    override = os.environ.get("CADI_DATA_DIR")
    return Path(override) if override else base_dir() / "data" / "processed"


def curated_file() -> Path:
    """The reviewed corrections applied on every ETL run."""
    return base_dir() / "data" / "curated" / "curations.csv"


MANIFEST_NAME = "manifest.csv"
CLAIMS_FILE = "claims.parquet"
INDICATORS_FILE = "indicators.parquet"
SOURCES_FILE = "sources.parquet"
RUN_REPORT_FILE = "run_report.json"
LOCK_FILE = ".etl.lock"
OUTPUT_FILES = (CLAIMS_FILE, INDICATORS_FILE, SOURCES_FILE)

MAP_ASSET = REPO_ROOT / "cadi" / "assets" / "countries.geojson"


def realdocs_dir() -> Path:
    """The shared development corpus of real reports with hand-labelled claims (`../shared/realdocs`)."""
    return Path(os.environ.get("CADI_REALDOCS", REPO_ROOT.parent / "shared" / "realdocs"))


def official_dir() -> Path:
    """Official series: the bundled snapshot, the editions table and what a user imported."""
    return base_dir() / "data" / "official"


def official_snapshot_file() -> Path:
    """The bundled official snapshot (CAREC members), committed so the product works offline."""
    return REPO_ROOT / "data" / "official" / "official.csv"


def official_imports_file() -> Path:
    """Official series a user imported (`make official FILE=...`); they win over the snapshot."""
    return official_dir() / "imported.csv"


def official_sources_file() -> Path:
    """Each official series' publisher, licence and where the copy came from."""
    return official_snapshot_file().with_name("sources.csv")


def editions_file() -> Path:
    """Index editions and how many countries each ranked (for percentiles)."""
    return official_snapshot_file().with_name("editions.csv")


def uploads_dir() -> Path:
    """Staging for documents uploaded in review mode, before they join data/raw."""
    return base_dir() / "data" / "uploads"
