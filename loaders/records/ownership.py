"""Records of the ownership, directors and group-head files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from loaders.records.enums import OwnershipNature


@dataclass(frozen=True, slots=True, kw_only=True)
class Personne:
    """A pseudonymous person, from ``personnes*``."""

    line: int
    personne_id: str
    last_name: str | None
    first_names: str | None
    birth_year: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class LienCapitalistique:
    """An ownership link, from ``liens_capitalistiques*``.

    Exactly one of ``owner_siren`` and ``owner_personne_id`` is set.

    Attributes:
        percentage: ``pourcentage`` (0 to 100).
        since, until: ``date_debut``, ``date_fin`` (None = current).
    """

    line: int
    owner_siren: str | None
    owner_personne_id: str | None
    owned_siren: str
    percentage: float | None
    nature: OwnershipNature
    since: date | None
    until: date | None

    @property
    def identity(self) -> tuple[str, str, str, date | None]:
        """(owner kind, owner id, owned SIREN, ``date_debut``): a later row with it replaces this one."""
        if self.owner_siren is not None:
            return ("siren", self.owner_siren, self.owned_siren, self.since)
        return ("personne", self.owner_personne_id or "", self.owned_siren, self.since)


@dataclass(frozen=True, slots=True, kw_only=True)
class Dirigeant:
    """A directorship, from ``dirigeants*``.

    Exactly one of ``personne_id`` and ``director_siren`` is set.

    Attributes:
        siren: the company directed.
        director_siren: ``dirigeant_siren``, when the director is a company.
        role: ``qualite`` as delivered.
    """

    line: int
    siren: str
    personne_id: str | None
    director_siren: str | None
    role: str
    since: date | None
    until: date | None

    @property
    def identity(self) -> tuple[str, str, str, str, date | None]:
        """(``siren``, director kind, director id, ``qualite``, ``date_debut``)."""
        if self.director_siren is not None:
            return (self.siren, "siren", self.director_siren, self.role, self.since)
        return (self.siren, "personne", self.personne_id or "", self.role, self.since)


@dataclass(frozen=True, slots=True, kw_only=True)
class TeteDeGroupe:
    """The group head of a company, from ``tetes_de_groupe*``.

    Attributes:
        head_siren: ``siren_tete_de_groupe``.
        group_name: ``nom_groupe``.
        reference_date: ``date_reference``.
    """

    line: int
    siren: str
    head_siren: str
    group_name: str | None
    reference_date: date | None
