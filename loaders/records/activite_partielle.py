"""Records of the DGEFP activité partielle files: requests and hours used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from loaders.records.enums import ApMotif


@dataclass(frozen=True, slots=True, kw_only=True)
class ApDemande:
    """A short-time work authorisation request, from ``demande_ap*``.

    Attributes:
        id_da: ``ID_DA``.
        company_headcount, establishment_headcount: ``EFF_ENT``, ``EFF_ETAB``.
        status_on: ``DATE_STATUT``.
        start, end: ``DATE_DEB``, ``DATE_FIN`` (``start <= end``).
        hours: ``HTA`` authorised hours.
        amount: ``MTA`` authorised amount (euros).
        authorised_headcount: ``EFF_AUTO``.
        motive: ``MOTIF_RECOURS_SE``.
        perimeter: ``PERIMETRE_AP`` as delivered.
    """

    line: int
    id_da: str
    siret: str
    siren: str
    company_headcount: int | None
    establishment_headcount: int | None
    status_on: date | None
    start: date
    end: date
    hours: float | None
    amount: Decimal | None
    authorised_headcount: int | None
    motive: ApMotif | None
    perimeter: str | None


FTE_MONTHLY_HOURS = 151.67


@dataclass(frozen=True, slots=True, kw_only=True)
class ApConsommation:
    """Short-time work hours used in a month, from ``consommation_ap*``.

    Attributes:
        month: ``MOIS`` (day 1).
        hours: ``HEURES``.
        amount: ``MONTANTS`` (euros).
        headcount: ``EFFECTIFS``.
    """

    line: int
    id_da: str
    siret: str
    siren: str
    month: date
    hours: float
    amount: Decimal | None
    headcount: int | None

    @property
    def fte(self) -> float:
        """Full-time equivalent: hours / 151.67."""
        return self.hours / FTE_MONTHLY_HOURS
