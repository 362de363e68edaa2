"""BODACC judgments: registre with spaces and several SIRENs, nature -> kind and stage."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from loaders.records import BodaccJudgment, ProcedureKind, ProcedureStage, Reject
from loaders.sources import read_file

from .helpers import BAD_SIREN, SIREN_A, SIREN_B, SIREN_C, split, write

HEADER = "id;dateparution;numeroannonce;familleavis;typeavis;numerodepartement;tribunal;registre;jugement_nature;jugement_date"


def test_judgments(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bodacc_pcl_2024.csv",
        [
            HEADER,
            "A1;2024-03-05;12;collective;annonce;21;TC Dijon;552 100 554;"
            "Jugement d'ouverture d'une procédure de redressement judiciaire;2024-02-28",
            f"A2;2024-03-06;13;collective;annonce;25;TC Besançon;732 829 320,{BAD_SIREN}, 443 061 841 ,732829320;"
            "Jugement de clôture pour insuffisance d'actif;",
            f"A3;2024-03-07;14;immatriculation;annonce;21;TC Dijon;{SIREN_A};Jugement d'ouverture de liquidation judiciaire;2024-03-01",
            f"A4;07/03/2024;15;collective;annonce;21;TC Dijon;{SIREN_A};Jugement d'ouverture de liquidation judiciaire;2024-03-01",
        ],
    )
    records, rejects = split(read_file(path))
    assert records[0] == BodaccJudgment(
        line=2,
        id="A1",
        siren=SIREN_A,
        published_on=date(2024, 3, 5),
        announcement_number="12",
        family="collective",
        notice_type="annonce",
        departement="21",
        tribunal="TC Dijon",
        nature="Jugement d'ouverture d'une procédure de redressement judiciaire",
        judgment_date=date(2024, 2, 28),
        kind=ProcedureKind.REDRESSEMENT,
        stage=ProcedureStage.OUVERTURE,
    )
    # One record per SIREN of the notice, the repeated one once, the bad one rejected alone.
    assert [(r.id, r.siren, r.kind, r.stage, r.judgment_date) for r in records[1:]] == [
        ("A2", SIREN_B, ProcedureKind.LIQUIDATION, ProcedureStage.CLOTURE, None),
        ("A2", SIREN_C, ProcedureKind.LIQUIDATION, ProcedureStage.CLOTURE, None),
    ]
    file = path.name
    assert rejects == [
        Reject(file, 3, "registre", BAD_SIREN, "SIREN fails the Luhn check"),
        Reject(
            file, 4, "familleavis", "immatriculation", "not an insolvency notice (familleavis must be 'collective')"
        ),
        Reject(file, 5, "dateparution", "07/03/2024", "date must be YYYY-MM-DD"),
    ]
