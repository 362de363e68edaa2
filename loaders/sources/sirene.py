"""Sirene stock files (INSEE open data, comma-separated): companies and establishments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from graphstore.geo import departement_of_commune
from loaders.parsing.codes import parse_category, parse_headcount_band, parse_legal_form, parse_naf
from loaders.parsing.dates import parse_iso_date
from loaders.parsing.errors import FieldError
from loaders.parsing.ids import parse_siren, parse_siret
from loaders.parsing.numbers import parse_float
from loaders.parsing.table import Layout, Row, read_table
from loaders.records import Etablissement, Reject, UniteLegale

NAF_REV2 = "NAFREV2"

UNITE_LEGALE = Layout(
    delimiter=",",
    required=(
        "siren",
        "denominationUniteLegale",
        "dateCreationUniteLegale",
        "trancheEffectifsUniteLegale",
        "categorieJuridiqueUniteLegale",
        "activitePrincipaleUniteLegale",
        "categorieEntreprise",
        "etatAdministratifUniteLegale",
        "nicSiegeUniteLegale",
    ),
    optional=("nomUniteLegale", "prenom1UniteLegale", "nomenclatureActivitePrincipaleUniteLegale"),
)

ETABLISSEMENT = Layout(
    delimiter=",",
    required=(
        "siren",
        "nic",
        "siret",
        "dateCreationEtablissement",
        "trancheEffectifsEtablissement",
        "etablissementSiege",
        "codePostalEtablissement",
        "libelleCommuneEtablissement",
        "codeCommuneEtablissement",
        "activitePrincipaleEtablissement",
        "etatAdministratifEtablissement",
    ),
    optional=(
        "longitude",
        "latitude",
        "denominationUsuelleEtablissement",
        "enseigne1Etablissement",
        "nomenclatureActivitePrincipaleEtablissement",
    ),
)


def _state(row: Row, column: str, closed: str) -> bool:
    value = row.text(column)
    if value == "A":
        return True
    if value == closed:
        return False
    raise row.fail(column, f"must be A or {closed}")


def _naf(row: Row, column: str, nomenclature_column: str) -> str | None:
    # INSEE's full stock keeps, for old and ceased units, activity codes of
    # earlier nomenclatures (NAFv1, NAP…) and says so in the nomenclature
    # column: such a code is no NAF rev. 2 and is dropped, not the whole row.
    nomenclature = row.text(nomenclature_column)
    if nomenclature is not None and nomenclature.upper() != NAF_REV2:
        return None
    return row.get(column, parse_naf)


def _nic(text: str) -> str:
    if len(text) != 5 or not text.isascii() or not text.isdigit():
        raise FieldError("NIC must be 5 digits")
    return text


def _siege(text: str) -> bool:
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    raise FieldError("must be true or false")


def _longitude(text: str) -> float:
    value = parse_float(text)
    if not -180 <= value <= 180:
        raise FieldError("longitude must be between -180 and 180")
    return value


def _latitude(text: str) -> float:
    value = parse_float(text)
    if not -90 <= value <= 90:
        raise FieldError("latitude must be between -90 and 90")
    return value


def _unite_legale(row: Row) -> UniteLegale:
    siren = row.need("siren", parse_siren)
    name = row.text("denominationunitelegale")
    if name is None:
        parts = [p for p in (row.text("nomunitelegale"), row.text("prenom1unitelegale")) if p]
        name = " ".join(parts) or None
    nic = row.get("nicsiegeunitelegale", _nic)
    return UniteLegale(
        line=row.line,
        siren=siren,
        name=name,
        created_on=row.get("datecreationunitelegale", parse_iso_date),
        headcount_band=row.get("trancheeffectifsunitelegale", parse_headcount_band),
        legal_form=row.get("categoriejuridiqueunitelegale", parse_legal_form),
        naf=_naf(row, "activiteprincipaleunitelegale", "nomenclatureactiviteprincipaleunitelegale"),
        category=row.get("categorieentreprise", parse_category),
        active=_state(row, "etatadministratifunitelegale", "C"),
        head_office_nic=nic,
        head_office_siret=siren + nic if nic else None,
    )


def _etablissement(row: Row) -> Etablissement:
    siret, _ = row.need("siret", parse_siret)
    siren = row.need("siren", parse_siren)
    nic = row.need("nic", _nic)
    if siret != siren + nic:
        raise row.fail("siret", f"SIRET is not siren + nic ({siren} + {nic})")
    commune_code = row.text("codecommuneetablissement")
    return Etablissement(
        line=row.line,
        siret=siret,
        siren=siren,
        nic=nic,
        name=row.text("denominationusuelleetablissement") or row.text("enseigne1etablissement"),
        created_on=row.get("datecreationetablissement", parse_iso_date),
        headcount_band=row.get("trancheeffectifsetablissement", parse_headcount_band),
        head_office=row.need("etablissementsiege", _siege),
        postal_code=row.text("codepostaletablissement"),
        commune=row.text("libellecommuneetablissement"),
        commune_code=commune_code,
        departement=departement_of_commune(commune_code),
        naf=_naf(row, "activiteprincipaleetablissement", "nomenclatureactiviteprincipaleetablissement"),
        active=_state(row, "etatadministratifetablissement", "F"),
        longitude=row.get("longitude", _longitude),
        latitude=row.get("latitude", _latitude),
    )


def read_unites_legales(path: Path) -> Iterator[UniteLegale | Reject]:
    """Reads ``StockUniteLegale*.csv``.

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, UNITE_LEGALE, _unite_legale)


def read_etablissements(path: Path) -> Iterator[Etablissement | Reject]:
    """Reads ``StockEtablissement*.csv``.

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, ETABLISSEMENT, _etablissement)
