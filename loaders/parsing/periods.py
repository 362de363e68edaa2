"""URSSAF periods (``YYYYQM`` or ``YYQM``) as spans of months.

``Q`` is the quarter (1-4) and ``M`` the month in it (1-3); ``M = 0`` means the
whole quarter and ``QM = 62`` the whole year. The short form ``YYQM`` has a
two-digit year, read as 19YY from 50 on and 20YY below (URSSAF data starts in
the 1990s).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from loaders.parsing.errors import FieldError
from loaders.records import MonthSpan

_PERIOD = re.compile(r"(\d{2}|\d{4})(\d)(\d)")
_PIVOT = 50


@lru_cache(maxsize=1024)
def parse_urssaf_period(text: str) -> MonthSpan:
    """The months an URSSAF period covers.

    Args:
        text: ``YYYYQM`` or ``YYQM``, e.g. ``202412`` (2024-02), ``202410``
            (2024-01 to 2024-03), ``202462`` (the year 2024), ``2412``.

    Raises:
        FieldError: another format, a quarter outside 1-4 or a month outside 0-3.
    """
    m = _PERIOD.fullmatch(text)
    if not m:
        raise FieldError("period must be YYYYQM or YYQM")
    year = int(m[1])
    if len(m[1]) == 2:
        year += 1900 if year >= _PIVOT else 2000
    quarter, month = int(m[2]), int(m[3])
    if (quarter, month) == (6, 2):
        return MonthSpan(date(year, 1, 1), date(year, 12, 1))
    if not 1 <= quarter <= 4 or not 0 <= month <= 3:
        raise FieldError("period must have a quarter 1-4 and a month 0-3 (or QM = 62 for a year)")
    first_of_quarter = 3 * (quarter - 1) + 1
    if month == 0:
        return MonthSpan(date(year, first_of_quarter, 1), date(year, first_of_quarter + 2, 1))
    single = date(year, first_of_quarter + month - 1, 1)
    return MonthSpan(single, single)
