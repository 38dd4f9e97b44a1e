"""Safe CSV/XLSX tables for download: text a spreadsheet would run as a formula is neutralised.

(The reports' HTML tables are drawn by ``output.Section.table`` from an autoescaping template.)
"""

from __future__ import annotations

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""

    def fix(v):
        return "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v

    return df.map(fix)
