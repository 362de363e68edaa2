"""Every date format of SOURCES.md, each in its own strict parser.

- ISO ``YYYY-MM-DD`` (Sirene, AP, BDF, BODACC, our layouts);
- French ``DD/MM/YYYY`` (URSSAF délais);
- URSSAF ``(Y-1900)MMDD`` (``1240115`` = 2024-01-15, ``990401`` = 1999-04-01);
- SAS ``DDMONYYYY`` (``26MAY2014``, URSSAF procédures collectives);
- months ``YYYY-MM`` or ``YYYY-MM-01``.

Parsers are strict on purpose: a value in the wrong format is a reject, not a
guess (``01/02/2024`` read as ISO would silently swap day and month elsewhere).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from loaders.parsing.errors import FieldError

# Dates repeat a lot within a file: bounded caches keep parsing cheap and memory flat.
CACHE_SIZE = 4096

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FR = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_URSSAF = re.compile(r"(\d{2}|[12]\d{2})(\d{2})(\d{2})")
_SAS = re.compile(r"(\d{1,2})([A-Za-z]{3})(\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")

_MONTH_ABBREVIATIONS = {
    m: i + 1 for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"))
}


def _make(year: int, month: int, day: int, expected: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldError(f"not a calendar date (expected {expected})") from None


@lru_cache(maxsize=CACHE_SIZE)
def parse_iso_date(text: str) -> date:
    """A ``YYYY-MM-DD`` date.

    Raises:
        FieldError: another format or an impossible date.
    """
    m = _ISO.fullmatch(text)
    if not m:
        raise FieldError("date must be YYYY-MM-DD")
    return _make(int(m[1]), int(m[2]), int(m[3]), "YYYY-MM-DD")


@lru_cache(maxsize=CACHE_SIZE)
def parse_fr_date(text: str) -> date:
    """A ``DD/MM/YYYY`` date.

    Raises:
        FieldError: another format or an impossible date.
    """
    m = _FR.fullmatch(text)
    if not m:
        raise FieldError("date must be DD/MM/YYYY")
    return _make(int(m[3]), int(m[2]), int(m[1]), "DD/MM/YYYY")


@lru_cache(maxsize=CACHE_SIZE)
def parse_urssaf_date(text: str) -> date:
    """An URSSAF ``(Y-1900)MMDD`` date: 6 digits before 2000, 7 from 2000 on.

    Raises:
        FieldError: another format or an impossible date.
    """
    m = _URSSAF.fullmatch(text)
    if not m:
        raise FieldError("date must be URSSAF (Y-1900)MMDD, e.g. 1240115")
    return _make(1900 + int(m[1]), int(m[2]), int(m[3]), "URSSAF (Y-1900)MMDD")


@lru_cache(maxsize=CACHE_SIZE)
def parse_sas_date(text: str) -> date:
    """A ``DDMONYYYY`` date such as ``26MAY2014`` (English month, any case).

    Raises:
        FieldError: another format, an unknown month or an impossible date.
    """
    m = _SAS.fullmatch(text)
    month = _MONTH_ABBREVIATIONS.get(m[2].upper()) if m else None
    if not m or month is None:
        raise FieldError("date must be DDMONYYYY, e.g. 26MAY2014")
    return _make(int(m[3]), month, int(m[1]), "DDMONYYYY")


@lru_cache(maxsize=CACHE_SIZE)
def parse_month(text: str) -> date:
    """A month ``YYYY-MM`` or ``YYYY-MM-01``, as the date of its first day.

    Raises:
        FieldError: another format, an impossible month, or a day other than 01.
    """
    m = _MONTH.fullmatch(text)
    if not m:
        raise FieldError("month must be YYYY-MM or YYYY-MM-01")
    if m[3] is not None and m[3] != "01":
        raise FieldError("month must be YYYY-MM-01 (first day of the month)")
    return _make(int(m[1]), int(m[2]), 1, "YYYY-MM")
