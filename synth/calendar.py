"""Months and the date and period formats of the source files.

A month is an absolute month number ``year * 12 + (month - 1)`` so that month
arithmetic is integer arithmetic and vectorises.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

_MONTH_ABBR = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])

IntArray = NDArray[np.int64]


def parse_month(text: str) -> int:
    """``2024-03`` -> absolute month number."""
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def month_label(am: int) -> str:
    """Absolute month -> ``YYYY-MM``."""
    return f"{am // 12:04d}-{am % 12 + 1:02d}"


def month_compact(am: int) -> str:
    """Absolute month -> ``YYYYMM`` (file-name suffixes)."""
    return f"{am // 12:04d}{am % 12 + 1:02d}"


def days_in_month(am: IntArray) -> IntArray:
    """Number of days of each absolute month (leap years included)."""
    year = am // 12
    month = am % 12
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return np.asarray(_DAYS[month] + ((month == 1) & leap), dtype=np.int64)


def urssaf_period(am: int, short: bool = False) -> str:
    """``YYYYQM`` (or ``YYQM``): year, quarter 1-4, month in the quarter 1-3."""
    year, m = am // 12, am % 12
    code = f"{m // 3 + 1}{m % 3 + 1}"
    return f"{year % 100:02d}{code}" if short else f"{year:04d}{code}"


def urssaf_quarter(am: int) -> str:
    """``YYYYQ0``: the whole quarter containing the month."""
    year, m = am // 12, am % 12
    return f"{year:04d}{m // 3 + 1}0"


@lru_cache(maxsize=4096)
def iso_date(am: int, day: int) -> str:
    """``YYYY-MM-DD`` of one (month, day), the day capped at the month's length."""
    return str(_fmt(np.array([am]), np.array([day]), "iso")[0])


def iso_dates(am: IntArray, day: IntArray) -> NDArray[np.str_]:
    """``YYYY-MM-DD`` for each (month, day)."""
    return _fmt(am, day, "iso")


def urssaf_dates(am: IntArray, day: IntArray) -> NDArray[np.str_]:
    """``(Y-1900)MMDD``: 2024-01-15 -> ``1240115``, 1999-04-01 -> ``990401``."""
    return _fmt(am, day, "urssaf")


def french_dates(am: IntArray, day: IntArray) -> NDArray[np.str_]:
    """``DD/MM/YYYY``."""
    return _fmt(am, day, "fr")


def sas_dates(am: IntArray, day: IntArray) -> NDArray[np.str_]:
    """``26MAY2014`` (URSSAF pcoll ``Dt_effet``)."""
    return _fmt(am, day, "sas")


def _fmt(am: IntArray, day: IntArray, style: str) -> NDArray[np.str_]:
    am = np.asarray(am, dtype=np.int64)
    day = np.minimum(np.asarray(day, dtype=np.int64), days_in_month(am))
    # Few distinct dates: format each once and broadcast.
    uniq, inverse = np.unique(am * 32 + day, return_inverse=True)
    out = []
    for key in uniq.tolist():
        a, d = divmod(key, 32)
        y, m = a // 12, a % 12 + 1
        if style == "iso":
            out.append(f"{y:04d}-{m:02d}-{d:02d}")
        elif style == "urssaf":
            out.append(f"{y - 1900}{m:02d}{d:02d}")
        elif style == "fr":
            out.append(f"{d:02d}/{m:02d}/{y:04d}")
        else:
            out.append(f"{d:02d}{_MONTH_ABBR[m - 1]}{y:04d}")
    return np.asarray(np.array(out, dtype=str)[inverse.reshape(-1)])
