"""Records of the BODACC insolvency-judgment files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from loaders.records.enums import ProcedureKind, ProcedureStage


@dataclass(frozen=True, slots=True, kw_only=True)
class BodaccJudgment:
    """A published insolvency judgment about one company, from ``bodacc_pcl*``.

    A notice naming several SIRENs yields one record per SIREN (same ``id``).

    Attributes:
        id: the notice ``id``.
        published_on: ``dateparution``.
        announcement_number: ``numeroannonce``.
        family: ``familleavis`` (``collective``).
        notice_type: ``typeavis``.
        departement: ``numerodepartement``.
        nature: ``jugement_nature`` as delivered.
        judgment_date: ``jugement_date`` (None when empty).
        kind: the proceedings kind named by the nature; None when the nature does
            not name it (e.g. ``plan de continuation``).
        stage: canonical stage named by the nature.
    """

    line: int
    id: str
    siren: str
    published_on: date
    announcement_number: str | None
    family: str
    notice_type: str | None
    departement: str | None
    tribunal: str | None
    nature: str
    judgment_date: date | None
    kind: ProcedureKind | None
    stage: ProcedureStage
