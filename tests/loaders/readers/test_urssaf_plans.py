"""URSSAF payment plans, CCSF and procédures collectives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from loaders.records import CcsfStage, Delai, PcollUrssaf, ProcedureKind, ProcedureStage, Reject
from loaders.sources import read_file

from .helpers import PSEUDO_SIRET_A, SIREN_A, SIREN_B, SIRET_A1, split, write

DELAIS_HEADER = (
    "Urssaf_gestion;Dep;Siret;Numero_compte_externe;Numero_structure;Date_creation;Date_echeance;Duree_delai;"
    "Denomination_premiere_ligne;Indic_6M;Annee_creation;Montant_global_echeancier;Code_externe_stade;"
    "Code_externe_action"
)


def test_delais(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sigfaible_delais.csv",
        [
            DELAIS_HEADER,
            f"217;21;{SIRET_A1};111;S1;01/02/2024;31/07/2024;181;ACME;SUP;2024;15000.50;APPROB;ECH",
            f"217;21;{SIRET_A1};111;S1;2024-02-01;31/07/2024;181;ACME;SUP;2024;1;APPROB;ECH",
            f"217;21;{SIRET_A1};111;S1;01/02/2024;31/01/2024;181;ACME;SUP;2024;1;APPROB;ECH",
        ],
    )
    records, rejects = split(read_file(path))
    assert records == [
        Delai(
            line=2,
            siret=SIRET_A1,
            siren=SIREN_A,
            compte="111",
            structure="S1",
            created_on=date(2024, 2, 1),
            due_on=date(2024, 7, 31),
            duration_days=181,
            denomination="ACME",
            indic_6m="SUP",
            creation_year=2024,
            amount=Decimal("15000.50"),
            stage="APPROB",
            action="ECH",
            pseudo_siret=False,
        )
    ]
    file = path.name
    assert rejects == [
        Reject(file, 3, "Date_creation", "2024-02-01", "date must be DD/MM/YYYY"),
        Reject(file, 4, "Date_echeance", "31/01/2024", "due date is before the creation date 2024-02-01"),
    ]


def test_ccsf(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sigfaible_ccsf.csv",
        [
            "Urssaf_gestion;Dep;Siret;Compte;Date_de_traitement;Code_externe_stade;Code_externe_action",
            f"217;21;{PSEUDO_SIRET_A};111;1240115;approb;A1",
            f"217;21;{SIRET_A1};111;1240115;PENDING;A1",
        ],
    )
    records, rejects = split(read_file(path))
    assert [(r.siret, r.pseudo_siret, r.processed_on, r.stage, r.action) for r in records] == [
        (PSEUDO_SIRET_A, True, date(2024, 1, 15), CcsfStage.APPROB, "A1")
    ]
    assert [(r.line, r.column, r.value, r.reason) for r in rejects] == [
        (3, "Code_externe_stade", "PENDING", "stage must be one of DEBUT, REFUS, APPROB, FIN, REJ")
    ]


def test_pcoll(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sigfaible_pcoll.csv",
        [
            "Siret;Siren;Dt_effet;Cat_v2;Lib_actx_stdx",
            f"{SIRET_A1};{SIREN_A};26MAY2014;PCL;Ouverture_procedure_redressement",
            f";{SIREN_B};01JAN2020;PCL;Solde_procedure_liquidation",
            f"{SIRET_A1};{SIREN_A};2014-05-26;PCL;Ouverture_procedure_redressement",
            f"{SIRET_A1};{SIREN_A};26MAY2014;PCL;Ouverture_procedure",
        ],
    )
    records, rejects = split(read_file(path))
    assert records == [
        PcollUrssaf(
            line=2,
            siren=SIREN_A,
            siret=SIRET_A1,
            effective_on=date(2014, 5, 26),
            category="PCL",
            label="Ouverture_procedure_redressement",
            kind=ProcedureKind.REDRESSEMENT,
            stage=ProcedureStage.OUVERTURE,
            stage_label="ouverture",
            pseudo_siret=False,
        ),
        PcollUrssaf(
            line=3,
            siren=SIREN_B,
            siret=None,
            effective_on=date(2020, 1, 1),
            category="PCL",
            label="Solde_procedure_liquidation",
            kind=ProcedureKind.LIQUIDATION,
            stage=ProcedureStage.CLOTURE,
            stage_label="solde",
            pseudo_siret=False,
        ),
    ]
    assert [(r.line, r.column) for r in rejects] == [(4, "Dt_effet"), (5, "Lib_actx_stdx")]
    assert isinstance(rejects[0], Reject)
