"""Generate the sample Parquet file used by the sample app.

50 countries x 20 indicators x 50 years = 50,000 rows (country, indicator, year, value).
Deterministic (seeded), so every run of the harness measures the same data.

usage: python make_data.py [OUT_PATH]   (default: data/indicators.parquet next to this file)
"""
import sys
from pathlib import Path

import numpy as np
import pandas as pd

COUNTRIES = [
    "Argentina", "Australia", "Austria", "Belgium", "Brazil", "Canada", "Chile", "China",
    "Colombia", "Czechia", "Denmark", "Egypt", "Estonia", "Finland", "France", "Germany",
    "Greece", "Hungary", "India", "Indonesia", "Ireland", "Israel", "Italy", "Japan",
    "Kenya", "Latvia", "Lithuania", "Mexico", "Morocco", "Netherlands", "New Zealand",
    "Nigeria", "Norway", "Peru", "Poland", "Portugal", "Romania", "Slovakia", "Slovenia",
    "South Africa", "South Korea", "Spain", "Sweden", "Switzerland", "Thailand", "Turkey",
    "Ukraine", "United Kingdom", "United States", "Vietnam",
]
INDICATORS = [
    "GDP growth", "GDP per capita", "Inflation", "Unemployment", "Population",
    "Life expectancy", "CO2 per capita", "Renewables share", "Exports share", "Imports share",
    "Public debt", "Internet users", "Urban population", "Fertility rate", "Literacy",
    "Health spending", "Education spending", "R&D spending", "Tourism arrivals", "Gini index",
]
YEARS = list(range(1975, 2025))


def build() -> pd.DataFrame:
    rng = np.random.default_rng(42)
    idx = pd.MultiIndex.from_product([COUNTRIES, INDICATORS, YEARS],
                                     names=["country", "indicator", "year"])
    n_series = len(COUNTRIES) * len(INDICATORS)
    base = rng.uniform(10, 100, size=(n_series, 1))
    walk = rng.normal(0, 1.5, size=(n_series, len(YEARS))).cumsum(axis=1)
    values = (base + walk).reshape(-1).round(3)
    df = idx.to_frame(index=False)
    df["value"] = values
    df["country"] = df["country"].astype("string")
    df["indicator"] = df["indicator"].astype("string")
    df["year"] = df["year"].astype("int16")
    return df


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "data" / "indicators.parquet"
    out.parent.mkdir(parents=True, exist_ok=True)
    df = build()
    df.to_parquet(out, index=False)
    print(f"wrote {out} rows={len(df)} bytes={out.stat().st_size}")
