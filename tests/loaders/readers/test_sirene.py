"""Sirene stock files: companies and establishments."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from loaders.records import Etablissement, Reject, UniteLegale
from loaders.sources import read_file

from .helpers import BAD_SIRET, SIREN_A, SIREN_B, SIRET_A1, SIRET_A2, split, write

UL_HEADER = (
    "siren,statutDiffusionUniteLegale,denominationUniteLegale,nomUniteLegale,prenom1UniteLegale,"
    "dateCreationUniteLegale,trancheEffectifsUniteLegale,categorieJuridiqueUniteLegale,"
    "activitePrincipaleUniteLegale,categorieEntreprise,etatAdministratifUniteLegale,nicSiegeUniteLegale"
)


def test_unites_legales(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "StockUniteLegale_utf8.csv",
        [
            UL_HEADER,
            f"{SIREN_A},O,ACME INDUSTRIE,,,2001-02-03,12,5710,62.01Z,PME,A,00013",
            f"{SIREN_B},O,,DUPONT,JEAN,,NN,1000,,,C,",
            f'{SIREN_A},O,"VIRGULE, ET CIE",,,2001-02-30,12,5710,62.01Z,PME,A,00013',
            f"{SIREN_A},O,X,,,,99,5710,62.01Z,PME,A,00013",
            f"{SIREN_A},O,X,,,,12,5710,62.01Z,PME,Z,00013",
        ],
    )
    records, rejects = split(read_file(path))
    assert records == [
        UniteLegale(
            line=2,
            siren=SIREN_A,
            name="ACME INDUSTRIE",
            created_on=date(2001, 2, 3),
            headcount_band="12",
            legal_form="5710",
            naf="62.01Z",
            category="PME",
            active=True,
            head_office_nic="00013",
            head_office_siret=SIRET_A1,
        ),
        UniteLegale(
            line=3,
            siren=SIREN_B,
            name="DUPONT JEAN",
            created_on=None,
            headcount_band="NN",
            legal_form="1000",
            naf=None,
            category=None,
            active=False,
            head_office_nic=None,
            head_office_siret=None,
        ),
    ]
    file = "StockUniteLegale_utf8.csv"
    assert rejects == [
        Reject(file, 4, "dateCreationUniteLegale", "2001-02-30", "not a calendar date (expected YYYY-MM-DD)"),
        Reject(file, 5, "trancheEffectifsUniteLegale", "99", "unknown INSEE headcount band"),
        Reject(file, 6, "etatAdministratifUniteLegale", "Z", "must be A or C"),
    ]


ET_HEADER = (
    "siren,nic,siret,dateCreationEtablissement,trancheEffectifsEtablissement,etablissementSiege,"
    "codePostalEtablissement,libelleCommuneEtablissement,codeCommuneEtablissement,"
    "activitePrincipaleEtablissement,etatAdministratifEtablissement,longitude,latitude"
)


def test_etablissements(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "StockEtablissement_utf8.csv",
        [
            ET_HEADER,
            f"{SIREN_A},00013,{SIRET_A1},2001-02-03,12,true,21000,DIJON,21231,62.01Z,A,5.04,47.32",
            f"{SIREN_A},00021,{SIRET_A2},,,false,20000,AJACCIO,2A004,62.01Z,F,,",
            f"{SIREN_A},00021,{SIRET_A2},,,false,97400,SAINT-DENIS,97411,62.01Z,A,,",
            f"{SIREN_A},00012,{BAD_SIRET},,,false,21000,DIJON,21231,62.01Z,A,,",
            f"{SIREN_A},00021,{SIRET_A1},,,false,21000,DIJON,21231,62.01Z,A,,",
            f"{SIREN_A},00013,{SIRET_A1},,,oui,21000,DIJON,21231,62.01Z,A,,",
            f"{SIREN_A},00013,{SIRET_A1},,,true,21000,DIJON,21231,62.01Z,A,5.04,147.3",
        ],
    )
    records, rejects = split(read_file(path))
    first = records[0]
    assert isinstance(first, Etablissement)
    assert (first.siret, first.siren, first.nic, first.head_office, first.active) == (
        SIRET_A1,
        SIREN_A,
        "00013",
        True,
        True,
    )
    assert (first.commune_code, first.departement, first.postal_code, first.commune) == (
        "21231",
        "21",
        "21000",
        "DIJON",
    )
    assert (first.longitude, first.latitude) == (5.04, 47.32)
    assert [(r.departement, r.active, r.longitude) for r in records[1:]] == [("2A", False, None), ("974", True, None)]
    assert [(r.line, r.column, r.reason) for r in rejects] == [
        (5, "siret", "SIRET fails the Luhn check"),
        (6, "siret", f"SIRET is not siren + nic ({SIREN_A} + 00021)"),
        (7, "etablissementSiege", "must be true or false"),
        (8, "latitude", "latitude must be between -90 and 90"),
    ]


def test_activity_codes_of_older_nomenclatures_are_dropped_not_the_row(tmp_path: Path) -> None:
    header = UL_HEADER + ",nomenclatureActivitePrincipaleUniteLegale"
    path = write(
        tmp_path,
        "StockUniteLegale_utf8.csv",
        [
            header,
            f"{SIREN_A},O,OLD,,,1980-01-01,NN,5710,52.1D,,C,00013,NAFv1",
            f"{SIREN_B},O,NEW,,,2020-01-01,NN,5710,62.01Z,,A,,NAFRev2",
            f"{SIREN_B},O,BAD,,,2020-01-01,NN,5710,52.1D,,A,,NAFRev2",
        ],
    )
    records, rejects = split(read_file(path))
    assert [(r.name, r.naf) for r in records] == [("OLD", None), ("NEW", "62.01Z")]
    assert [(r.line, r.column, r.value) for r in rejects] == [(4, "activitePrincipaleUniteLegale", "52.1D")]
