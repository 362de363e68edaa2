"""Every date and period format of SOURCES.md."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.parsing.dates import parse_fr_date, parse_iso_date, parse_month, parse_sas_date, parse_urssaf_date
from loaders.parsing.errors import FieldError
from loaders.parsing.periods import parse_urssaf_period
from loaders.records import MonthSpan


def test_iso_dates() -> None:
    assert parse_iso_date("2024-02-29") == date(2024, 2, 29)
    for bad in ("2023-02-29", "29/02/2024", "2024-2-29", "20240229"):
        with pytest.raises(FieldError):
            parse_iso_date(bad)


def test_french_dates_are_day_first() -> None:
    assert parse_fr_date("01/02/2024") == date(2024, 2, 1)
    for bad in ("2024-02-01", "31/02/2024", "1/2/2024"):
        with pytest.raises(FieldError):
            parse_fr_date(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1240115", date(2024, 1, 15)), ("990401", date(1999, 4, 1)), ("1000101", date(2000, 1, 1))],
)
def test_urssaf_dates(text: str, expected: date) -> None:
    assert parse_urssaf_date(text) == expected


@pytest.mark.parametrize("text", ["2024-01-15", "1241315", "12401", "0240115", "991301"])
def test_bad_urssaf_dates(text: str) -> None:
    with pytest.raises(FieldError):
        parse_urssaf_date(text)


def test_sas_dates() -> None:
    assert parse_sas_date("26MAY2014") == date(2014, 5, 26)
    assert parse_sas_date("1jan2020") == date(2020, 1, 1)
    for bad in ("26MAI2014", "31FEB2014", "2014-05-26"):
        with pytest.raises(FieldError):
            parse_sas_date(bad)


def test_months() -> None:
    assert parse_month("2024-03") == date(2024, 3, 1)
    assert parse_month("2024-03-01") == date(2024, 3, 1)
    for bad in ("2024-03-15", "2024-13", "03/2024"):
        with pytest.raises(FieldError):
            parse_month(bad)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("202412", date(2024, 2, 1), date(2024, 2, 1)),  # quarter 1, month 2
        ("202443", date(2024, 12, 1), date(2024, 12, 1)),
        ("202420", date(2024, 4, 1), date(2024, 6, 1)),  # M=0: whole quarter
        ("202462", date(2024, 1, 1), date(2024, 12, 1)),  # QM=62: whole year
        ("2431", date(2024, 7, 1), date(2024, 7, 1)),  # short form
        ("9940", date(1999, 10, 1), date(1999, 12, 1)),
        ("9862", date(1998, 1, 1), date(1998, 12, 1)),
    ],
)
def test_urssaf_periods(text: str, first: date, last: date) -> None:
    assert parse_urssaf_period(text) == MonthSpan(first, last)


@pytest.mark.parametrize("text", ["202451", "202414", "202461", "2024-01", "20241", "24123"])
def test_bad_urssaf_periods(text: str) -> None:
    with pytest.raises(FieldError):
        parse_urssaf_period(text)


def test_month_span() -> None:
    span = parse_urssaf_period("202462")
    assert span.count == 12 and not span.is_month
    assert list(MonthSpan(date(2023, 11, 1), date(2024, 2, 1)).months()) == [
        date(2023, 11, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]
