"""Column-wise versions of the parsers of ``loaders.parsing``, for the common case only.

Each check answers, for a whole column at once, "is this cell in the plain form
the row-by-row parser accepts, and what value does it give?". The plain forms
are deliberately narrower than what the parsers accept (no spaces inside a
SIREN, no ``12.0`` headcount, no two-digit-year period...): a cell outside them
is not rejected here, its row is handed to the row-by-row reader, which accepts
it or writes the exact reject (file, line, column, value, reason). So a check
may say "not plain" too often, never "plain" for a value the parser would
refuse or read differently.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from loaders.parsing.ids import LA_POSTE_SIREN

Mask = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

# RE2 (Arrow's regex engine): \d is ASCII digits only, like the parsers' isascii checks.
DIGITS_9 = r"\d{9}"
DIGITS_14 = r"\d{14}"
COUNT = r"\d{1,9}"  # a headcount or an invoice count without sign, dot or spaces
EUROS = r"-?\d{1,13}(\.\d{1,6})?"  # what float(Decimal(text)) and Arrow's cast read alike
NAF = r"\d{4}[A-Z]|\d{2}\.\d{2}[A-Z]"
ACCOUNT = r"[0-9A-Za-z]{1,40}"  # an URSSAF account number, nothing to strip
MONTH = r"(19|20)\d\d-(0[1-9]|1[0-2])(-01)?"
PERIOD = r"(19|20)\d\d([1-4][0-3]|62)"  # YYYYQM (the two-digit year form goes row by row)
CENTIMES = r"-?\d{1,15}"  # whole centimes, no plus sign
WHOLE = r"\d{1,15}"  # a whole number without sign
URSSAF_DATE = r"\d{6}|[12]\d{6}"  # (Y-1900)MMDD; the calendar check is done on the numbers
# Printable ASCII without leading or trailing space: ``Row.text`` returns such a cell as it is.
TEXT = r"[!-~]([ -~]*[!-~])?"


def strings(values: Sequence[str]) -> pa.StringArray:
    """An Arrow string array of raw cells."""
    return pa.array(values, pa.string())


def plain(arr: pa.StringArray, pattern: str, empty_ok: bool = False) -> Mask:
    """True where the whole cell matches ``pattern`` (or is empty, when ``empty_ok``)."""
    ok = mask(pc.match_substring_regex(arr, f"^(?:{pattern})$"))
    if empty_ok:
        ok |= mask(pc.equal(arr, ""))
    return ok


def empty(arr: pa.StringArray) -> Mask:
    """True where the cell is empty."""
    return mask(pc.equal(arr, ""))


def digit_matrix(values: Sequence[str], width: int) -> Ints:
    """The digits of same-width ASCII digit strings, one row per value."""
    if not values:
        return np.zeros((0, width), np.int64)
    raw = np.frombuffer("".join(values).encode("ascii"), np.uint8)
    return raw.reshape(len(values), width).astype(np.int64) - 48


def luhn(digits: Ints) -> Mask:
    """The Luhn check of each row of a digit matrix."""
    rev = digits[:, ::-1]
    doubled = 2 * rev[:, 1::2]
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    total = rev[:, 0::2].sum(axis=1) + doubled.sum(axis=1)
    return np.asarray(total % 10 == 0)


def siren_ok(arr: pa.StringArray) -> Mask:
    """True where the cell is a plain 9-digit SIREN passing ``parse_siren``."""
    ok = plain(arr, DIGITS_9)
    idx = np.flatnonzero(ok)
    values = arr.take(pa.array(idx)).to_pylist()
    ok[idx] = luhn(digit_matrix(values, 9))
    return ok


def urssaf_siret_ok(arr: pa.StringArray) -> tuple[Mask, Mask]:
    """Plain 14-digit SIRETs passing ``parse_urssaf_siret``, and which are pseudo-SIRETs.

    Returns:
        (ok, pseudo): both False where the cell is not plain.
    """
    ok = plain(arr, DIGITS_14)
    pseudo = np.zeros(len(arr), np.bool_)
    idx = np.flatnonzero(ok)
    values = arr.take(pa.array(idx)).to_pylist()
    digits = digit_matrix(values, 14)
    siren_part = luhn(digits[:, :9])
    is_pseudo = np.isin(digits[:, 9], (5, 6, 7, 9))
    la_poste = np.array([v[:9] == LA_POSTE_SIREN for v in values], np.bool_)
    whole = np.where(la_poste, digits.sum(axis=1) % 5 == 0, luhn(digits))
    ok[idx] = siren_part & (is_pseudo | whole)
    pseudo[idx] = siren_part & is_pseudo
    return ok, pseudo


def month_days(year: Ints, month: Ints) -> npt.NDArray[np.int32]:
    """Days since 1970-01-01 of the first day of each (year, month)."""
    months = (year - 1970) * 12 + (month - 1)
    days: npt.NDArray[np.int32] = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int32)
    return days


def dates(days: npt.NDArray[np.int32]) -> pa.Array:
    """An Arrow date32 array from days since the epoch."""
    return pa.array(days, pa.date32())


def plain_months(arr: pa.StringArray) -> tuple[Mask, npt.NDArray[np.int32]]:
    """Plain ``YYYY-MM``/``YYYY-MM-01`` months (``parse_month``) and their first days (0 where not plain)."""
    ok = plain(arr, MONTH)
    days = np.zeros(len(arr), np.int32)
    idx = np.flatnonzero(ok)
    values = arr.take(pa.array(idx)).to_pylist()
    year = np.array([int(v[:4]) for v in values], np.int64)
    month = np.array([int(v[5:7]) for v in values], np.int64)
    days[idx] = month_days(year, month)
    return ok, days


def plain_periods(arr: pa.StringArray) -> tuple[Mask, npt.NDArray[np.int32], Ints]:
    """Plain ``YYYYQM`` periods (``parse_urssaf_period``): first month (days) and month count.

    Returns:
        (ok, first month as days since the epoch, months covered); 0 where not plain.
    """
    ok = plain(arr, PERIOD)
    days = np.zeros(len(arr), np.int32)
    count = np.zeros(len(arr), np.int64)
    idx = np.flatnonzero(ok)
    values = arr.take(pa.array(idx)).to_pylist()
    d = digit_matrix(values, 6)
    year = d[:, 0] * 1000 + d[:, 1] * 100 + d[:, 2] * 10 + d[:, 3]
    quarter, m = d[:, 4], d[:, 5]
    year_long = (quarter == 6) & (m == 2)
    first = np.where(year_long, 1, np.where(m == 0, 3 * (quarter - 1) + 1, 3 * (quarter - 1) + m))
    days[idx] = month_days(year, first)
    count[idx] = np.where(year_long, 12, np.where(m == 0, 3, 1))
    return ok, days, count


def plain_urssaf_dates(arr: pa.StringArray, empty_ok: bool = False) -> tuple[Mask, npt.NDArray[np.int32]]:
    """Plain ``(Y-1900)MMDD`` dates that are calendar dates (``parse_urssaf_date``), as days since the epoch.

    Returns:
        (ok, days): ``ok`` also True for empty cells when ``empty_ok`` (their day is 0).
    """
    ok = plain(arr, URSSAF_DATE)
    days = np.zeros(len(arr), np.int32)
    idx = np.flatnonzero(ok)
    values = arr.take(pa.array(idx)).to_pylist()
    d = digit_matrix([v if len(v) == 7 else "0" + v for v in values], 7)
    year = 1900 + d[:, 0] * 100 + d[:, 1] * 10 + d[:, 2]
    month = d[:, 3] * 10 + d[:, 4]
    day = d[:, 5] * 10 + d[:, 6]
    valid = (month >= 1) & (month <= 12) & (day >= 1)
    safe_month = np.where(valid, month, 1)
    first = month_days(year, safe_month)
    next_first = month_days(year + safe_month // 12, safe_month % 12 + 1)
    valid &= day <= next_first - first
    ok[idx] = valid
    days[idx] = np.where(valid, first + day - 1, 0)
    if empty_ok:
        ok |= empty(arr)
    return ok, days


def floats(arr: pa.StringArray) -> pa.Array:
    """Plain decimal cells as float64, empty cells as null (call on plain cells only)."""
    return pc.cast(pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr), pa.float64())


def ints(arr: pa.StringArray) -> pa.Array:
    """Plain whole-number cells as int64, empty cells as null (call on plain cells only)."""
    return pc.cast(pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr), pa.int64())


def texts(arr: pa.StringArray) -> pa.Array:
    """Plain text cells, empty cells as null (``Row.text`` of a cell matching ``TEXT``)."""
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def mask(arr: pa.Array | pa.ChunkedArray) -> Mask:
    """A boolean Arrow array as a numpy mask (null counts as False)."""
    out: Mask = pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(np.bool_)
    return out
