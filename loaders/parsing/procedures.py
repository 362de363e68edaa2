"""Insolvency proceedings: kind and stage from BODACC natures and URSSAF labels.

BODACC publishes a free-text ``jugement_nature`` ("Jugement d'ouverture d'une
procédure de sauvegarde", "Jugement de clôture pour insuffisance d'actif"…);
URSSAF joins a stage and an action in ``Lib_actx_stdx``
(``Ouverture_procedure_redressement``). Both are reduced to a
:class:`ProcedureKind` and a canonical :class:`ProcedureStage`.
"""

from __future__ import annotations

import unicodedata

from loaders.parsing.errors import FieldError
from loaders.records import ProcedureKind, ProcedureStage

# Checked in this order: the first match wins. "Résolution du plan … et
# liquidation" is a conversion, not a plan; "mettant fin au plan" a closure.
_STAGE_KEYWORDS: tuple[tuple[ProcedureStage, tuple[str, ...]], ...] = (
    (ProcedureStage.CLOTURE, ("cloture", "mettant fin", "solde", "fin de procedure")),
    (ProcedureStage.CONVERSION, ("conversion", "prononcant la liquidation", "resolution du plan", "prononce")),
    (ProcedureStage.EXTENSION, ("extension",)),
    (ProcedureStage.OUVERTURE, ("ouverture", "ouvrant")),
    (ProcedureStage.PLAN, ("plan",)),
)

# When a nature names several kinds it is a move towards the last one in this
# order (sauvegarde -> redressement -> liquidation), which is the outcome.
_KINDS_BY_SEVERITY = (ProcedureKind.LIQUIDATION, ProcedureKind.REDRESSEMENT, ProcedureKind.SAUVEGARDE)

# Closures that only exist in a liquidation.
_LIQUIDATION_ONLY = ("insuffisance d'actif", "extinction du passif")


def normalise(text: str) -> str:
    """Lower case, without accents, with single spaces and straight apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())


def stage_of(text: str) -> ProcedureStage:
    """The canonical stage named by a judgment nature or an URSSAF stage label."""
    norm = normalise(text.replace("_", " "))
    for stage, keywords in _STAGE_KEYWORDS:
        if any(k in norm for k in keywords):
            return stage
    return ProcedureStage.AUTRE


def classify_judgment(nature: str) -> tuple[ProcedureKind | None, ProcedureStage]:
    """The kind and stage of a BODACC ``jugement_nature``.

    Args:
        nature: the nature as published.

    Returns:
        (kind, stage); kind is None when the nature does not name it (e.g.
        "Jugement arrêtant le plan de continuation").
    """
    norm = normalise(nature)
    kind = next((k for k in _KINDS_BY_SEVERITY if k.value in norm), None)
    if kind is None and any(k in norm for k in _LIQUIDATION_ONLY):
        kind = ProcedureKind.LIQUIDATION
    return kind, stage_of(norm)


def split_urssaf_label(label: str) -> tuple[ProcedureKind, ProcedureStage, str]:
    """Splits ``Lib_actx_stdx`` into its action (the kind) and its stage.

    Args:
        label: e.g. ``Ouverture_procedure_redressement``, ``Solde_procedure_liquidation``.

    Returns:
        (kind, canonical stage, stage label): the stage label is the rest of the
        label without ``procedure``, lower case (``ouverture``, ``solde``).

    Raises:
        FieldError: the label names none, or more than one, of the three kinds.
    """
    tokens = [t for t in normalise(label).replace(" ", "_").split("_") if t]
    kinds = [t for t in tokens if t in {k.value for k in ProcedureKind}]
    if len(kinds) != 1:
        raise FieldError("must join a stage and one action among sauvegarde, redressement, liquidation with '_'")
    rest = [t for t in tokens if t != kinds[0] and t != "procedure"]
    stage_label = "_".join(rest)
    if not stage_label:
        raise FieldError("has no stage before the action")
    return ProcedureKind(kinds[0]), stage_of(stage_label), stage_label
