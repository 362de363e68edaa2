"""Persons, ownership links, directors, group heads and supplier flows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from loaders.records import Dirigeant, FluxFacturation, LienCapitalistique, OwnershipNature, Personne, TeteDeGroupe
from loaders.sources import read_file

from .helpers import BAD_SIREN, SIREN_A, SIREN_B, SIREN_C, split, write


def test_personnes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "personnes.csv",
        ["personne_id;nom;prenoms;annee_naissance", "P1;DUPONT;Jean Marie;1961", "P2;;;", "P3;X;Y;1750", ";X;Y;1960"],
    )
    records, rejects = split(read_file(path))
    assert records == [
        Personne(line=2, personne_id="P1", last_name="DUPONT", first_names="Jean Marie", birth_year=1961),
        Personne(line=3, personne_id="P2", last_name=None, first_names=None, birth_year=None),
    ]
    assert [(r.line, r.column) for r in rejects] == [(4, "annee_naissance"), (5, "personne_id")]


def test_liens_capitalistiques(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "liens_capitalistiques.csv",
        [
            "detenteur_siren;detenteur_personne_id;detenu_siren;pourcentage;nature;date_debut;date_fin",
            f"{SIREN_A};;{SIREN_B};51.5;directe;2020-01-01;",
            f";P1;{SIREN_B};10;Indirecte;2020-01-01;2023-06-30",
            f"{SIREN_A};P1;{SIREN_B};10;directe;2020-01-01;",
            f";;{SIREN_B};10;directe;2020-01-01;",
            f"{SIREN_A};;{SIREN_B};120;directe;2020-01-01;",
            f"{SIREN_A};;{SIREN_B};10;majoritaire;2020-01-01;",
            f"{SIREN_A};;{SIREN_B};10;directe;2020-01-01;2019-01-01",
        ],
    )
    records, rejects = split(read_file(path))
    assert records[0] == LienCapitalistique(
        line=2,
        owner_siren=SIREN_A,
        owner_personne_id=None,
        owned_siren=SIREN_B,
        percentage=51.5,
        nature=OwnershipNature.DIRECTE,
        since=date(2020, 1, 1),
        until=None,
    )
    assert records[0].identity == ("siren", SIREN_A, SIREN_B, date(2020, 1, 1))
    assert (records[1].owner_personne_id, records[1].nature, records[1].until) == (
        "P1",
        OwnershipNature.INDIRECTE,
        date(2023, 6, 30),
    )
    assert records[1].identity == ("personne", "P1", SIREN_B, date(2020, 1, 1))
    assert [(r.line, r.column, r.reason) for r in rejects] == [
        (4, "detenteur_siren", "exactly one of detenteur_siren and detenteur_personne_id must be filled"),
        (5, "detenteur_siren", "exactly one of detenteur_siren and detenteur_personne_id must be filled"),
        (6, "pourcentage", "percentage must be between 0 and 100"),
        (7, "nature", "nature must be directe or indirecte"),
        (8, "date_fin", "end is before the start 2020-01-01"),
    ]


def test_dirigeants(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "dirigeants.csv",
        [
            "siren;personne_id;dirigeant_siren;qualite;date_debut;date_fin",
            f"{SIREN_B};P1;;Président;2019-05-01;",
            f"{SIREN_B};;{SIREN_A};Gérant;;",
            f"{SIREN_B};P1;;;2019-05-01;",
            f"{BAD_SIREN};P1;;Gérant;2019-05-01;",
        ],
    )
    records, rejects = split(read_file(path))
    assert records == [
        Dirigeant(
            line=2,
            siren=SIREN_B,
            personne_id="P1",
            director_siren=None,
            role="Président",
            since=date(2019, 5, 1),
            until=None,
        ),
        Dirigeant(
            line=3, siren=SIREN_B, personne_id=None, director_siren=SIREN_A, role="Gérant", since=None, until=None
        ),
    ]
    assert records[0].identity == (SIREN_B, "personne", "P1", "Président", date(2019, 5, 1))
    assert [(r.line, r.column) for r in rejects] == [(4, "qualite"), (5, "siren")]


def test_tetes_de_groupe(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "tetes_de_groupe.csv",
        ["siren;siren_tete_de_groupe;nom_groupe;date_reference", f"{SIREN_B};{SIREN_A};GROUPE A;2024-01-01"],
    )
    records, rejects = split(read_file(path))
    assert rejects == []
    assert records == [
        TeteDeGroupe(line=2, siren=SIREN_B, head_siren=SIREN_A, group_name="GROUPE A", reference_date=date(2024, 1, 1))
    ]


def test_flux_facturation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "flux_facturation_2024-03.csv",
        [
            "siren_fournisseur;siren_client;mois;montant_ht;nb_factures",
            f"{SIREN_A};{SIREN_B};2024-03;125000.40;12",
            f"{SIREN_A};{SIREN_C};2024-03-01;0;",
            f"{SIREN_A};{SIREN_A};2024-03;1;1",
            f"{SIREN_A};{SIREN_B};2024-03;-1;1",
            f"{SIREN_A};{SIREN_B};03/2024;1;1",
        ],
    )
    records, rejects = split(read_file(path))
    assert records == [
        FluxFacturation(
            line=2,
            supplier_siren=SIREN_A,
            client_siren=SIREN_B,
            month=date(2024, 3, 1),
            amount=Decimal("125000.40"),
            invoice_count=12,
        ),
        FluxFacturation(
            line=3,
            supplier_siren=SIREN_A,
            client_siren=SIREN_C,
            month=date(2024, 3, 1),
            amount=Decimal(0),
            invoice_count=None,
        ),
    ]
    assert [(r.line, r.column, r.reason) for r in rejects] == [
        (4, "siren_client", "a company cannot be its own client"),
        (5, "montant_ht", "amount must not be negative"),
        (6, "mois", "month must be YYYY-MM or YYYY-MM-01"),
    ]
