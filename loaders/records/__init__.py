"""Typed records read from the source files of SOURCES.md: the readers' contract.

Every reader yields, for each data line of a file, either records (frozen
dataclasses, one module per source family) or :class:`Reject` values; a file
that cannot be read at all raises :class:`FileRejected` before its first record.
Import everything from here: ``from loaders.records import DebitLine, Reject``.

Conventions shared by every record:

- ``line`` is the 1-based line number in the file (the header is line 1), for
  provenance and for rejects raised later in the pipeline.
- Identifiers are strings of digits (SIREN 9, SIRET 14); ``siren`` is always
  filled, and is the first 9 digits of ``siret`` when both exist.
- Money is :class:`~decimal.Decimal` euros. URSSAF debts, delivered in
  centimes, are converted exactly (``12345`` -> ``Decimal("123.45")``).
  Quantities that are not money (hours, ratios, percentages, coordinates) are
  ``float``; headcounts are ``int``.
- A month is the ``date`` of its first day. A span of months is a
  :class:`MonthSpan`.
- Empty cells become ``None``; text is stripped.
"""

from __future__ import annotations

from loaders.records.activite_partielle import FTE_MONTHLY_HOURS, ApConsommation, ApDemande
from loaders.records.bdf import BdfRatios
from loaders.records.bodacc import BodaccJudgment
from loaders.records.enums import ApMotif, CcsfStage, OwnershipNature, ProcedureKind, ProcedureStage
from loaders.records.flows import FluxFacturation
from loaders.records.ownership import Dirigeant, LienCapitalistique, Personne, TeteDeGroupe
from loaders.records.problems import FileRejected, Reject
from loaders.records.sirene import Etablissement, UniteLegale
from loaders.records.span import MonthSpan
from loaders.records.urssaf import Ccsf, CotisationDue, DebitLine, Delai, EffectifMonth, PcollUrssaf

Record = (
    UniteLegale
    | Etablissement
    | EffectifMonth
    | CotisationDue
    | DebitLine
    | Delai
    | Ccsf
    | PcollUrssaf
    | ApDemande
    | ApConsommation
    | BdfRatios
    | BodaccJudgment
    | Personne
    | LienCapitalistique
    | Dirigeant
    | TeteDeGroupe
    | FluxFacturation
)

__all__ = [
    "FTE_MONTHLY_HOURS",
    "ApConsommation",
    "ApDemande",
    "ApMotif",
    "BdfRatios",
    "BodaccJudgment",
    "Ccsf",
    "CcsfStage",
    "CotisationDue",
    "DebitLine",
    "Delai",
    "Dirigeant",
    "EffectifMonth",
    "Etablissement",
    "FileRejected",
    "FluxFacturation",
    "LienCapitalistique",
    "MonthSpan",
    "OwnershipNature",
    "PcollUrssaf",
    "Personne",
    "ProcedureKind",
    "ProcedureStage",
    "Record",
    "Reject",
    "TeteDeGroupe",
    "UniteLegale",
]
