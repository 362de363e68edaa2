"""Amounts, units, flags and code lists."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders.parsing.codes import parse_headcount_band, parse_naf
from loaders.parsing.errors import FieldError
from loaders.parsing.numbers import parse_bool, parse_centimes, parse_count, parse_euros, parse_int


def test_euros_are_exact_decimals() -> None:
    assert parse_euros("1234.56") == Decimal("1234.56")
    assert parse_euros("-3") == Decimal(-3)
    for bad in ("1234,56", "1 234.56", "1,234.56", "1e3", "abc"):
        with pytest.raises(FieldError):
            parse_euros(bad)


def test_centimes_become_euros_exactly() -> None:
    assert parse_centimes("12345") == Decimal("123.45")
    assert parse_centimes("7") == Decimal("0.07")
    with pytest.raises(FieldError, match="whole number"):
        parse_centimes("123.45")


def test_whole_numbers() -> None:
    assert parse_int("12") == 12
    assert parse_int("12.0") == 12
    with pytest.raises(FieldError, match="whole number"):
        parse_int("12.5")
    with pytest.raises(FieldError, match="negative"):
        parse_count("-1")


def test_flags() -> None:
    assert parse_bool("true") and parse_bool("O") and parse_bool("1")
    assert not parse_bool("FALSE") and not parse_bool("N")
    with pytest.raises(FieldError):
        parse_bool("maybe")


def test_naf_codes_get_their_dot() -> None:
    assert parse_naf("62.01Z") == "62.01Z"
    assert parse_naf("4711b") == "47.11B"
    with pytest.raises(FieldError):
        parse_naf("62.01")


def test_headcount_bands() -> None:
    assert parse_headcount_band("NN") == "NN"
    with pytest.raises(FieldError):
        parse_headcount_band("13")
