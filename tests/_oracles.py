"""Reference versions of queries the app no longer needs: plain pandas, used by tests as inputs and oracles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from cadi.query import amount_rows, ranking_indices, with_series_info


def indicator_rows(claims: pd.DataFrame, indicator: str, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Claims of one indicator, sorted by country and year, with n_points per country series and a label."""
    rows = claims[claims["indicator"] == indicator]
    return with_series_info(rows, "country", labels or {})




def ranking_rows(
    claims: pd.DataFrame, labels: Mapping[str, str], indicators: Iterable[str] | None = None
) -> dict[str, pd.DataFrame]:
    """Ranking claims per index (indicator id -> rows sorted by country and year); all indices or `indicators`."""
    rows = claims[claims["category"] == "ranking"]
    wanted = list(indicators) if indicators is not None else list(ranking_indices(rows, labels))
    rows = rows[rows["indicator"].isin(wanted)]
    parts = dict(tuple(rows.groupby(rows["indicator"].astype(str), observed=True, sort=False)))
    return {i: with_series_info(parts[i], "country", labels) for i in wanted if i in parts}




def amounts_by_unit(claims: pd.DataFrame, labels: Mapping[str, str], category: str = "investment") -> dict:
    """Money claims of `category` split by unit (currency), most claims first; units never mix."""
    rows = claims[claims["category"] == category]
    if rows.empty:
        return {}
    rows = amount_rows(rows, labels)
    unit = rows["unit"].astype(str)
    units = unit.value_counts(sort=False).sort_index().sort_values(ascending=False, kind="stable")
    return {u: rows[unit == u] for u in units.index}
