"""URSSAF wide headcount files, unpivoted into one record per month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from loaders.records import EffectifMonth, FileRejected, Reject
from loaders.sources import read_file, recognise

from .helpers import BAD_SIRET, PSEUDO_SIRET_A, SIREN_A, SIREN_B, SIRET_A1, split, write


def test_establishment_headcount_is_unpivoted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sigfaible_effectif_2024.csv",
        [
            "compte;siret;rais_soc;ape_ins;dep;eff202411;eff202412;eff202413;EFF202421",
            f"111;{SIRET_A1};ACME;4711B;21;12;;11;10",
            f"222;{PSEUDO_SIRET_A};ACME INTERIM;4711B;21;3;4;;",
            f"333;{BAD_SIRET};X;4711B;21;1;1;1;1",
            f"444;{SIRET_A1};ACME;4711B;21;12;douze;-1;9.5",
        ],
    )
    spec = recognise(path.name)
    assert spec is not None and spec.name == "urssaf_effectif"
    records, rejects = split(read_file(path))
    assert records[0] == EffectifMonth(
        line=2,
        siren=SIREN_A,
        siret=SIRET_A1,
        compte="111",
        name="ACME",
        naf="47.11B",
        departement="21",
        month=date(2024, 1, 1),
        headcount=12,
        pseudo_siret=False,
    )
    assert [(r.line, r.siret, r.month, r.headcount, r.pseudo_siret) for r in records] == [
        (2, SIRET_A1, date(2024, 1, 1), 12, False),
        (2, SIRET_A1, date(2024, 3, 1), 11, False),  # empty February: unknown, no record
        (2, SIRET_A1, date(2024, 4, 1), 10, False),
        (3, PSEUDO_SIRET_A, date(2024, 1, 1), 3, True),
        (3, PSEUDO_SIRET_A, date(2024, 2, 1), 4, True),
        (5, SIRET_A1, date(2024, 1, 1), 12, False),  # the good cell of a row with bad cells
    ]
    file = path.name
    assert rejects == [
        Reject(file, 4, "siret", BAD_SIRET, "SIRET fails the Luhn check"),
        Reject(
            file,
            5,
            "eff202412",
            "douze",
            "headcount number must use '.' as decimal separator and no thousands separator",
        ),
        Reject(file, 5, "eff202413", "-1", "headcount must not be negative"),
        Reject(file, 5, "EFF202421", "9.5", "headcount must be a whole number"),
    ]


def test_company_headcount_file_is_recognised_first_and_read_per_siren(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sigfaible_effectif_siren_2024.csv.gz",
        ["siren;rais_soc;ape_ins;dep;eff2411", f"{SIREN_B};BETA;6201Z;25;40"],
        gz=True,
    )
    spec = recognise(path.name)
    assert spec is not None and spec.name == "urssaf_effectif_entreprises"
    records, rejects = split(read_file(path))
    assert rejects == []
    assert [(r.siren, r.siret, r.compte, r.month, r.headcount, r.naf) for r in records] == [
        (SIREN_B, None, None, date(2024, 1, 1), 40, "62.01Z")
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("compte;siret;rais_soc", "missing required column(s): effYYYYQM"),
        ("compte;siret;eff202420", "column eff202420: names 3 months, a headcount column names one"),
        ("compte;siret;eff202451", "column eff202451: period must have a quarter 1-4"),
        ("compte;siret;eff202411;eff2411", "columns eff202411 and eff2411 both name the month 2024-01"),
    ],
)
def test_bad_month_columns_reject_the_file(tmp_path: Path, header: str, message: str) -> None:
    path = write(tmp_path, "sigfaible_effectif.csv", [header, f"1;{SIRET_A1};1"])
    with pytest.raises(FileRejected) as err:
        next(read_file(path))
    assert err.value.file == "sigfaible_effectif.csv"
    assert message in err.value.reason


def test_effectif_cells_reject_independently_of_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "sigfaible_effectif.csv", ["compte;siret;eff202411", f"1;{SIRET_A1};", f"2;{SIRET_A1};0"])
    records, rejects = split(read_file(path))
    assert rejects == []
    assert [(r.line, r.headcount) for r in records] == [(3, 0)]
