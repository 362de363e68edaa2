"""URSSAF contributions and debts: periods, centimes, URSSAF dates, pseudo-SIRETs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from loaders.records import CotisationDue, DebitLine, MonthSpan, Reject
from loaders.sources import read_file

from .helpers import PSEUDO_SIRET_A, SIREN_A, SIREN_B, SIRET_A1, split, write


def test_cotisations(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sigfaible_cotisdues_202403.csv",
        [
            "Urssaf_gestion;Dep;Siret;Compte;periode;mer;enc_direct;cotis_due",
            f"217;21;{SIRET_A1};111;202410;100.50;900;1000.25",
            f"217;21;{PSEUDO_SIRET_A};222;2462;;;12",
            f"217;21;{SIRET_A1};111;202410;100,50;900;1000",
            f"217;21;{SIRET_A1};;202410;1;2;3",
        ],
    )
    records, rejects = split(read_file(path))
    assert records == [
        CotisationDue(
            line=2,
            siret=SIRET_A1,
            siren=SIREN_A,
            compte="111",
            period=MonthSpan(date(2024, 1, 1), date(2024, 3, 1)),
            due=Decimal("1000.25"),
            paid=Decimal(900),
            mer=Decimal("100.50"),
            pseudo_siret=False,
        ),
        CotisationDue(
            line=3,
            siret=PSEUDO_SIRET_A,
            siren=SIREN_A,
            compte="222",
            period=MonthSpan(date(2024, 1, 1), date(2024, 12, 1)),
            due=Decimal(12),
            paid=None,
            mer=None,
            pseudo_siret=True,
        ),
    ]
    assert [(r.line, r.column, r.value) for r in rejects] == [(4, "mer", "100,50"), (5, "Compte", None)]
    assert rejects[1].reason == "required value is empty"


DEBITS_HEADER = (
    "Urssaf_gestion;Dep;num_cpte;Siren;Siret;Dt_immat;Etat_cpte;Cd_pro_col;Periode;Num_Ecn;"
    "Num_Hist_Ecn;Dt_trt_ecn;Mt_PO;Mt_PP;Cd_op_ecn;Motif_ecn;Recours_en_cours"
)


def test_debits(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sigfaible_debits.csv",
        [
            DEBITS_HEADER,
            f"217;21;111;{SIREN_A};{SIRET_A1};990401;1;N;202411;7;1;1240115;12345;67890;1;;false",
            f"217;21;222;{SIREN_A};;1050101;1;;2431;8;2;1240301;0;5;;;",
            f"217;21;111;{SIREN_B};{SIRET_A1};990401;1;N;202411;7;1;1240115;1;1;1;;",
            "217;21;111;;;990401;1;N;202411;7;1;1240115;1;1;1;;",
            f"217;21;111;{SIREN_A};{SIRET_A1};990401;1;N;202411;7;1;2024-01-15;1;1;1;;",
            f"217;21;111;{SIREN_A};{SIRET_A1};990401;1;N;202411;7;1;1240115;123.45;1;1;;",
        ],
    )
    records, rejects = split(read_file(path))
    first = records[0]
    assert first == DebitLine(
        line=2,
        compte="111",
        siren=SIREN_A,
        siret=SIRET_A1,
        registered_on=date(1999, 4, 1),
        account_state="1",
        procedure_code="N",
        period=MonthSpan(date(2024, 1, 1), date(2024, 1, 1)),
        num_ecn="7",
        num_hist_ecn=1,
        processed_on=date(2024, 1, 15),
        employee_share=Decimal("123.45"),
        employer_share=Decimal("678.90"),
        operation_code="1",
        motive=None,
        appeal_pending=False,
        pseudo_siret=False,
    )
    assert first.amount == Decimal("802.35")
    assert first.line_key == ("111", date(2024, 1, 1), date(2024, 1, 1), "7")
    second = records[1]
    assert (second.siren, second.siret, second.registered_on, second.period.first) == (
        SIREN_A,
        None,
        date(2005, 1, 1),
        date(2024, 7, 1),
    )
    assert (second.employee_share, second.employer_share, second.appeal_pending) == (Decimal(0), Decimal("0.05"), None)
    file = path.name
    assert rejects == [
        Reject(file, 4, "Siren", SIREN_B, f"SIREN is not the first 9 digits of the SIRET {SIRET_A1}"),
        Reject(file, 5, "Siret", None, "neither Siret nor Siren is filled"),
        Reject(file, 6, "Dt_trt_ecn", "2024-01-15", "date must be URSSAF (Y-1900)MMDD, e.g. 1240115"),
        Reject(file, 7, "Mt_PO", "123.45", "amount in centimes must be a whole number"),
    ]
