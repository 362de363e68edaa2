"""Records of the Sirene stock files (INSEE): companies and establishments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True, kw_only=True)
class UniteLegale:
    """A company from ``StockUniteLegale*.csv``.

    Attributes:
        name: ``denominationUniteLegale``, or ``nomUniteLegale prenom1UniteLegale``
            for sole traders.
        headcount_band: INSEE band code as delivered (``NN``, ``00`` … ``53``).
        legal_form: 4-digit ``categorieJuridiqueUniteLegale``.
        naf: NAF rev. 2 code with its dot (``62.01Z``).
        category: ``PME``, ``ETI``, ``GE`` or None.
        active: ``etatAdministratifUniteLegale`` is ``A``.
        head_office_siret: SIREN + ``nicSiegeUniteLegale``.
    """

    line: int
    siren: str
    name: str | None
    created_on: date | None
    headcount_band: str | None
    legal_form: str | None
    naf: str | None
    category: str | None
    active: bool
    head_office_nic: str | None
    head_office_siret: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Etablissement:
    """An establishment from ``StockEtablissement*.csv``.

    Attributes:
        name: ``denominationUsuelleEtablissement`` or ``enseigne1Etablissement``
            when the file has them, else None.
        departement: from ``codeCommuneEtablissement`` (``graphstore.geo``).
        active: ``etatAdministratifEtablissement`` is ``A`` (``F`` = closed).
    """

    line: int
    siret: str
    siren: str
    nic: str
    name: str | None
    created_on: date | None
    headcount_band: str | None
    head_office: bool
    postal_code: str | None
    commune: str | None
    commune_code: str | None
    departement: str | None
    naf: str | None
    active: bool
    longitude: float | None
    latitude: float | None
