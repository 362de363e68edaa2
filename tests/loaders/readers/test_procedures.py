"""Procedure kind and stage from BODACC natures and URSSAF labels."""

from __future__ import annotations

import pytest

from loaders.parsing.errors import FieldError
from loaders.parsing.procedures import classify_judgment, split_urssaf_label
from loaders.records import ProcedureKind as K
from loaders.records import ProcedureStage as S


@pytest.mark.parametrize(
    ("nature", "kind", "stage"),
    [
        ("Jugement d'ouverture d'une procédure de sauvegarde", K.SAUVEGARDE, S.OUVERTURE),
        ("Jugement d'ouverture d'une procédure de redressement judiciaire", K.REDRESSEMENT, S.OUVERTURE),
        ("Jugement d'ouverture de liquidation judiciaire", K.LIQUIDATION, S.OUVERTURE),
        ("Jugement de clôture pour insuffisance d'actif", K.LIQUIDATION, S.CLOTURE),
        ("Jugement arrêtant le plan de continuation", None, S.PLAN),
        ("Jugement arrêtant le plan de redressement", K.REDRESSEMENT, S.PLAN),
        ("Jugement de conversion en liquidation judiciaire", K.LIQUIDATION, S.CONVERSION),
        (
            "Jugement prononçant la résolution du plan de redressement et la liquidation judiciaire",
            K.LIQUIDATION,
            S.CONVERSION,
        ),
        ("Jugement mettant fin à la procédure de redressement judiciaire", K.REDRESSEMENT, S.CLOTURE),
        ("JUGEMENT D’OUVERTURE D’UNE PROCEDURE DE SAUVEGARDE", K.SAUVEGARDE, S.OUVERTURE),
        ("Avis de dépôt de l'état des créances", None, S.AUTRE),
    ],
)
def test_bodacc_natures(nature: str, kind: K | None, stage: S) -> None:
    assert classify_judgment(nature) == (kind, stage)


@pytest.mark.parametrize(
    ("label", "kind", "stage", "stage_label"),
    [
        ("Ouverture_procedure_redressement", K.REDRESSEMENT, S.OUVERTURE, "ouverture"),
        ("Solde_procedure_liquidation", K.LIQUIDATION, S.CLOTURE, "solde"),
        ("Plan_continuation_procedure_sauvegarde", K.SAUVEGARDE, S.PLAN, "plan_continuation"),
        ("Prononce_liquidation", K.LIQUIDATION, S.CONVERSION, "prononce"),
    ],
)
def test_urssaf_labels(label: str, kind: K, stage: S, stage_label: str) -> None:
    assert split_urssaf_label(label) == (kind, stage, stage_label)


@pytest.mark.parametrize("label", ["Ouverture_procedure", "redressement", "Ouverture_redressement_liquidation"])
def test_bad_urssaf_labels(label: str) -> None:
    with pytest.raises(FieldError):
        split_urssaf_label(label)
