"""Activité partielle and Banque de France ratios."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from loaders.records import ApDemande, ApMotif, BdfRatios
from loaders.sources import read_file

from .helpers import BAD_SIRET, PSEUDO_SIRET_A, SIREN_A, SIRET_A1, split, write

AP_HEADER = (
    "ID_DA,ETAB_SIRET,EFF_ENT,EFF_ETAB,DATE_STATUT,DATE_DEB,DATE_FIN,HTA,MTA,EFF_AUTO,MOTIF_RECOURS_SE,PERIMETRE_AP"
)


def test_demandes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "demande_ap_2024.csv",
        [
            AP_HEADER,
            f'"DA1","{SIRET_A1}","50","20","2024-01-10","2024-02-01","2024-07-31","1200.5","9000.00","15","1","Etablissement, atelier"',
            f'"DA2","{SIRET_A1}","50","20","2024-01-10","2024-02-01","2024-01-31","1","1","1","1",""',
            f'"DA3","{SIRET_A1}","50","20","2024-01-10","2024-02-01","2024-07-31","1","1","1","7",""',
            f'"DA4","{PSEUDO_SIRET_A}","50","20","2024-01-10","2024-02-01","2024-07-31","1","1","1","1",""',
        ],
    )
    records, rejects = split(read_file(path))
    assert records == [
        ApDemande(
            line=2,
            id_da="DA1",
            siret=SIRET_A1,
            siren=SIREN_A,
            company_headcount=50,
            establishment_headcount=20,
            status_on=date(2024, 1, 10),
            start=date(2024, 2, 1),
            end=date(2024, 7, 31),
            hours=1200.5,
            amount=Decimal("9000.00"),
            authorised_headcount=15,
            motive=ApMotif.SITUATION_ECONOMIQUE,
            perimeter="Etablissement, atelier",
        )
    ]
    assert [(r.line, r.column, r.reason) for r in rejects] == [
        (3, "DATE_FIN", "end is before the start 2024-02-01"),
        (4, "MOTIF_RECOURS_SE", "motive must be 1 to 5"),
        (5, "ETAB_SIRET", "SIRET fails the Luhn check"),  # pseudo-SIRETs are an URSSAF exception only
    ]


def test_consommations_and_full_time_equivalent(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "consommation_ap_2024.csv.gz",
        [
            "ID_DA,ETAB_SIRET,MOIS,HEURES,MONTANTS,EFFECTIFS",
            f'"DA1","{SIRET_A1}","2024-03-01","303.34","2500.10","4"',
            f'"DA1","{SIRET_A1}","2024-03-15","1","1","1"',
            f'"DA1","{BAD_SIRET}","2024-03-01","1","1","1"',
            f'"DA1","{SIRET_A1}","2024-03-01","-5","1","1"',
        ],
        gz=True,
    )
    records, rejects = split(read_file(path))
    assert [(r.id_da, r.siret, r.month, r.hours, r.amount, r.headcount) for r in records] == [
        ("DA1", SIRET_A1, date(2024, 3, 1), 303.34, Decimal("2500.10"), 4)
    ]
    assert records[0].fte == pytest.approx(2.0)
    assert [(r.line, r.column) for r in rejects] == [(3, "MOIS"), (4, "ETAB_SIRET"), (5, "HEURES")]


BDF_HEADER = (
    "siren;annee;arrete_bilan;poids_frng;taux_marge;delai_fournisseurs;poids_dettes_fiscales_sociales;"
    "poids_financement_court_terme;poids_frais_financiers"
)


def test_bdf_ratios_and_their_earliest_known_date(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bdf_ratios_2024.csv",
        [
            BDF_HEADER,
            f"{SIREN_A};2023;2023-12-31;12.5;-3.2;65;18.1;;2.4",
            f"{SIREN_A};2019;2023-12-31;1;1;1;1;1;1",
            f"{SIREN_A};2023;2023-12-31;1,5;1;1;1;1;1",
        ],
    )
    records, rejects = split(read_file(path))
    assert records == [
        BdfRatios(
            line=2,
            siren=SIREN_A,
            year=2023,
            closing_date=date(2023, 12, 31),
            poids_frng=12.5,
            taux_marge=-3.2,
            delai_fournisseurs=65.0,
            poids_dettes_fiscales_sociales=18.1,
            poids_financement_court_terme=None,
            poids_frais_financiers=2.4,
        )
    ]
    assert records[0].known_not_before == date(2024, 4, 30)
    assert [(r.line, r.column, r.value) for r in rejects] == [(3, "annee", "2019"), (4, "poids_frng", "1,5")]


def test_known_not_before_clamps_the_day() -> None:
    ratios = BdfRatios(
        line=2,
        siren=SIREN_A,
        year=2023,
        closing_date=date(2023, 10, 31),
        poids_frng=None,
        taux_marge=None,
        delai_fournisseurs=None,
        poids_dettes_fiscales_sociales=None,
        poids_financement_court_terme=None,
        poids_frais_financiers=None,
    )
    assert ratios.known_not_before == date(2024, 2, 29)
