"""Code lists shared by several records (procedure kinds and stages, CCSF stages…)."""

from __future__ import annotations

from enum import Enum, StrEnum


class ProcedureKind(StrEnum):
    """The three kinds of insolvency proceedings (procédures collectives)."""

    SAUVEGARDE = "sauvegarde"
    REDRESSEMENT = "redressement"
    LIQUIDATION = "liquidation"


class ProcedureStage(StrEnum):
    """Canonical stage of a judgment or of an URSSAF procedure event."""

    OUVERTURE = "ouverture"
    PLAN = "plan"  # a plan adopted or modified (sauvegarde, continuation, redressement)
    CONVERSION = "conversion"  # e.g. redressement converted into liquidation
    EXTENSION = "extension"  # the proceedings extended to another company
    CLOTURE = "cloture"  # closure, end of proceedings; URSSAF "solde"
    AUTRE = "autre"  # any other published judgment (kept, never dropped)


class CcsfStage(StrEnum):
    """Stage of a CCSF rescheduling (``Code_externe_stade``)."""

    DEBUT = "DEBUT"
    REFUS = "REFUS"
    APPROB = "APPROB"
    FIN = "FIN"
    REJ = "REJ"


class ApMotif(int, Enum):
    """Reason for short-time work (``MOTIF_RECOURS_SE``)."""

    SITUATION_ECONOMIQUE = 1
    APPROVISIONNEMENT = 2
    SINISTRE = 3
    RESTRUCTURATION = 4
    AUTRE = 5


class OwnershipNature(StrEnum):
    """Whether a shareholding is held directly or through other companies."""

    DIRECTE = "directe"
    INDIRECTE = "indirecte"
