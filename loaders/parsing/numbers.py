"""Numbers, money and flags as delivered: ``.`` decimal separator, no thousands separator."""

from __future__ import annotations

import re
from decimal import Decimal

from loaders.parsing.errors import FieldError

_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INTEGER = re.compile(r"[+-]?\d+")
_CENTIMES = Decimal("0.01")

_TRUE = frozenset({"true", "1", "o", "oui", "y", "yes", "t"})
_FALSE = frozenset({"false", "0", "n", "non", "no", "f"})
TRUE_WORDS, FALSE_WORDS = _TRUE, _FALSE  # what parse_bool reads as True / False (lower case)


def parse_decimal(text: str) -> Decimal:
    """An exact decimal number such as ``1234.56`` or ``-3``.

    Raises:
        FieldError: a comma, a thousands separator, an exponent or text.
    """
    if not _DECIMAL.fullmatch(text):
        raise FieldError("number must use '.' as decimal separator and no thousands separator")
    return Decimal(text)


def parse_euros(text: str) -> Decimal:
    """An amount in euros (see :func:`parse_decimal`)."""
    return parse_decimal(text)


def parse_centimes(text: str) -> Decimal:
    """An amount delivered in whole centimes, as exact euros (``12345`` -> ``123.45``).

    Raises:
        FieldError: not a whole number of centimes.
    """
    if not _INTEGER.fullmatch(text):
        raise FieldError("amount in centimes must be a whole number")
    return int(text) * _CENTIMES


def parse_float(text: str) -> float:
    """A non-monetary quantity (hours, ratio, percentage, coordinate).

    Raises:
        FieldError: not a plain decimal number.
    """
    return float(parse_decimal(text))


def parse_int(text: str) -> int:
    """A whole number; ``12.0`` is accepted as 12 (exports of counts often carry ``.0``).

    Raises:
        FieldError: not a number, or a number with a fractional part.
    """
    if text.isascii() and text.isdigit():  # the common case, without a regex
        return int(text)
    if _INTEGER.fullmatch(text):
        return int(text)
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise FieldError("must be a whole number")
    return int(value)


def parse_count(text: str) -> int:
    """A whole number that cannot be negative (headcounts, invoice counts).

    Raises:
        FieldError: not a whole number, or negative.
    """
    value = parse_int(text)
    if value < 0:
        raise FieldError("must not be negative")
    return value


def parse_bool(text: str) -> bool:
    """A flag: ``true``/``false``, ``1``/``0``, ``O``/``N`` (oui/non), any case.

    Raises:
        FieldError: anything else.
    """
    low = text.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise FieldError("must be true or false")
