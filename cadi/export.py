"""Downloads of what a page shows: CSV that is safe to open in a spreadsheet, and Parquet.

OWASP CSV injection: a text cell beginning with =, +, -, @, tab or carriage return can be run as a
formula by Excel/LibreOffice, so it gets a leading single quote. Only what a spreadsheet would run
is touched: a lone symbol ("=", the comparator) and a number as written ("-28", "+5.3%") stay as they
are. Numeric columns are left alone (numbers stay numbers).
"""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = r"^[=+\-@\t\r]"
# Cells that start like a formula but that a spreadsheet reads as a value: a lone symbol, a signed number.
HARMLESS = r"^(?:[=+\-@]|[+\-]\d[\d,.\u00a0 ]*%?)$"


def neutralise(column: pd.Series) -> pd.Series:
    """A text column with formula-like cells prefixed by ' (vectorised; nulls stay null)."""
    text = column.astype("string")
    risky = text.str.contains(FORMULA_START, regex=True, na=False) & ~text.str.contains(HARMLESS, regex=True, na=False)
    if not risky.any():
        return column
    return text.mask(risky, "'" + text)


def _is_numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """`df` as UTF-8 CSV with a BOM (Excel reads it as UTF-8), exactly its rows and columns, no index."""
    safe = df.copy(deep=False)
    for name in safe.columns:
        column = safe[name]
        if _is_numeric(column) or pd.api.types.is_datetime64_any_dtype(column):
            continue
        safe[name] = neutralise(column)
    # CRLF rows, so a cell holding a bare \r or \n is quoted and stays one cell.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_parquet_bytes(df: pd.DataFrame) -> bytes:
    """`df` as a Parquet file (values and types kept exactly; no spreadsheet ever runs Parquet)."""
    buffer = io.BytesIO()
    frame = df.reset_index(drop=True)
    for name in frame.columns:  # mixed object columns (None among text) as nullable strings
        if frame[name].dtype == object:
            frame[name] = frame[name].astype("string")
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
