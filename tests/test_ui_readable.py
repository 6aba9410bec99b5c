"""ui.readable: the grid shows a gap as a blank cell, never "None"; measured values stay numbers."""

import numpy as np
import pandas as pd
import pytest

from cadi import ui


@pytest.mark.parametrize(("column", "expected"), [
    (pd.Series([193, None], dtype="Int32"), ["193", ""]),
    (pd.Series([np.nan, np.nan]), ["", ""]),  # a page whose claims give no "out of" at all
    (pd.Series([2021.0, np.nan]), ["2021", ""]),
])
def test_whole_numbers_with_gaps_read_blank(column, expected):
    assert ui.readable(pd.DataFrame({"rank_of": column}))["rank_of"].tolist() == expected


def test_values_with_fractions_stay_numbers():
    out = ui.readable(pd.DataFrame({"value": [96.5, np.nan]}))["value"]
    assert pd.api.types.is_float_dtype(out) and out.iloc[0] == 96.5
