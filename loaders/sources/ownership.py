"""Ownership, directors and group heads (our layout, semicolon-separated).

Rows carry identities (see the records' ``identity``); a later row with the
same identity replaces the earlier one, which is the loader's business: the
readers only check each row.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from loaders.parsing.dates import parse_iso_date
from loaders.parsing.errors import FieldError
from loaders.parsing.ids import parse_siren
from loaders.parsing.numbers import parse_float, parse_int
from loaders.parsing.table import Layout, Row, read_table
from loaders.records import Dirigeant, LienCapitalistique, OwnershipNature, Personne, Reject, TeteDeGroupe

PERSONNES = Layout(delimiter=";", required=("personne_id", "nom", "prenoms", "annee_naissance"))
LIENS = Layout(
    delimiter=";",
    required=(
        "detenteur_siren",
        "detenteur_personne_id",
        "detenu_siren",
        "pourcentage",
        "nature",
        "date_debut",
        "date_fin",
    ),
)
DIRIGEANTS = Layout(
    delimiter=";", required=("siren", "personne_id", "dirigeant_siren", "qualite", "date_debut", "date_fin")
)
TETES = Layout(delimiter=";", required=("siren", "siren_tete_de_groupe", "nom_groupe", "date_reference"))


def _birth_year(text: str) -> int:
    year = parse_int(text)
    if not 1880 <= year <= date.today().year:
        raise FieldError(f"birth year must be between 1880 and {date.today().year}")
    return year


def _percentage(text: str) -> float:
    value = parse_float(text)
    if not 0 <= value <= 100:
        raise FieldError("percentage must be between 0 and 100")
    return value


def _nature(text: str) -> OwnershipNature:
    try:
        return OwnershipNature(text.lower())
    except ValueError:
        raise FieldError("nature must be directe or indirecte") from None


def _period(row: Row) -> tuple[date | None, date | None]:
    since = row.get("date_debut", parse_iso_date)
    until = row.get("date_fin", parse_iso_date)
    if since is not None and until is not None and until < since:
        raise row.fail("date_fin", f"end is before the start {since.isoformat()}")
    return since, until


def _one_of(row: Row, siren_column: str, person_column: str) -> tuple[str | None, str | None]:
    siren = row.get(siren_column, parse_siren)
    person = row.text(person_column)
    if (siren is None) == (person is None):
        raise row.fail(
            siren_column, f"exactly one of {row.name(siren_column)} and {row.name(person_column)} must be filled"
        )
    return siren, person


def _personne(row: Row) -> Personne:
    return Personne(
        line=row.line,
        personne_id=row.need_text("personne_id"),
        last_name=row.text("nom"),
        first_names=row.text("prenoms"),
        birth_year=row.get("annee_naissance", _birth_year),
    )


def _lien(row: Row) -> LienCapitalistique:
    owner_siren, owner_person = _one_of(row, "detenteur_siren", "detenteur_personne_id")
    since, until = _period(row)
    return LienCapitalistique(
        line=row.line,
        owner_siren=owner_siren,
        owner_personne_id=owner_person,
        owned_siren=row.need("detenu_siren", parse_siren),
        percentage=row.get("pourcentage", _percentage),
        nature=row.need("nature", _nature),
        since=since,
        until=until,
    )


def _dirigeant(row: Row) -> Dirigeant:
    director_siren, person = _one_of(row, "dirigeant_siren", "personne_id")
    since, until = _period(row)
    return Dirigeant(
        line=row.line,
        siren=row.need("siren", parse_siren),
        personne_id=person,
        director_siren=director_siren,
        role=row.need_text("qualite"),
        since=since,
        until=until,
    )


def _tete(row: Row) -> TeteDeGroupe:
    return TeteDeGroupe(
        line=row.line,
        siren=row.need("siren", parse_siren),
        head_siren=row.need("siren_tete_de_groupe", parse_siren),
        group_name=row.text("nom_groupe"),
        reference_date=row.get("date_reference", parse_iso_date),
    )


def read_personnes(path: Path) -> Iterator[Personne | Reject]:
    """Reads ``personnes*.csv``.

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, PERSONNES, _personne)


def read_liens(path: Path) -> Iterator[LienCapitalistique | Reject]:
    """Reads ``liens_capitalistiques*.csv``.

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, LIENS, _lien)


def read_dirigeants(path: Path) -> Iterator[Dirigeant | Reject]:
    """Reads ``dirigeants*.csv``.

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, DIRIGEANTS, _dirigeant)


def read_tetes_de_groupe(path: Path) -> Iterator[TeteDeGroupe | Reject]:
    """Reads ``tetes_de_groupe*.csv``.

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, TETES, _tete)
