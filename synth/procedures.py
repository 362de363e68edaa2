"""Procédures collectives: the judgments that follow a failure, as BODACC and URSSAF see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from synth.calendar import iso_date, sas_dates
from synth.dynamics import LIQUIDATION, REDRESSEMENT, SAUVEGARDE
from synth.world import World

NATURE = {
    ("ouverture", SAUVEGARDE): "Jugement d'ouverture d'une procédure de sauvegarde",
    ("ouverture", REDRESSEMENT): "Jugement d'ouverture d'une procédure de redressement judiciaire",
    ("ouverture", LIQUIDATION): "Jugement d'ouverture de liquidation judiciaire",
    ("plan", SAUVEGARDE): "Jugement arrêtant le plan de sauvegarde",
    ("plan", REDRESSEMENT): "Jugement arrêtant le plan de continuation",
    ("conversion", LIQUIDATION): "Jugement prononçant la conversion en liquidation judiciaire",
    ("cloture", LIQUIDATION): "Jugement de clôture pour insuffisance d'actif",
}
# URSSAF pcoll label: stage + action.
PCOLL = {
    ("ouverture", SAUVEGARDE): "Ouverture_procedure_sauvegarde",
    ("ouverture", REDRESSEMENT): "Ouverture_procedure_redressement",
    ("ouverture", LIQUIDATION): "Ouverture_procedure_liquidation",
    ("plan", SAUVEGARDE): "Plan_continuation_sauvegarde",
    ("plan", REDRESSEMENT): "Plan_continuation_redressement",
    ("conversion", LIQUIDATION): "Conversion_procedure_liquidation",
    ("cloture", LIQUIDATION): "Solde_procedure_liquidation",
}
CAT = {SAUVEGARDE: "SV", REDRESSEMENT: "RJ", LIQUIDATION: "LJ"}
TRIBUNAL = {
    "21": "TRIBUNAL DE COMMERCE DE DIJON", "25": "TRIBUNAL JUDICIAIRE DE BESANCON",
    "39": "TRIBUNAL JUDICIAIRE DE LONS-LE-SAUNIER", "58": "TRIBUNAL DE COMMERCE DE NEVERS",
    "70": "TRIBUNAL JUDICIAIRE DE VESOUL", "71": "TRIBUNAL DE COMMERCE DE CHALON-SUR-SAONE",
    "89": "TRIBUNAL DE COMMERCE D'AUXERRE", "90": "TRIBUNAL JUDICIAIRE DE BELFORT",
}  # fmt: skip


@dataclass
class Judgment:
    """One judgment about one company (months are delivered-month indices)."""

    company: int
    month: int
    day: int
    stage: str
    kind: int


@dataclass
class Procedures:
    """Judgments in date order, the outcome and the month each failed company ceased."""

    judgments: list[Judgment]
    outcome: dict[int, str]
    ceased: dict[int, int]


def build_procedures(world: World) -> Procedures:
    """Opening judgments at the failure month, then plan, conversion or closure months later."""
    rng = np.random.default_rng([world.config.seed, 21])
    traj = world.traj
    out: list[Judgment] = []
    outcome: dict[int, str] = {}
    ceased: dict[int, int] = {}
    for i in np.flatnonzero(traj.fail_month >= 0).tolist():
        m, k = int(traj.fail_month[i]), int(traj.kind[i])
        day = int(rng.integers(1, 29))
        group = int(world.ownership.head_of[i])
        if group >= 0 and rng.uniform() < 0.7:
            # Members of a group failing the same month are usually judged together.
            day = 1 + (group * 31 + m * 7) % 28
        out.append(Judgment(i, m, day, "ouverture", k))
        u = rng.uniform()
        if k == LIQUIDATION:
            ceased[i] = m + 2
            out.append(Judgment(i, m + int(rng.integers(8, 31)), int(rng.integers(1, 29)), "cloture", LIQUIDATION))
            outcome[i] = "cloture"
        elif (k == SAUVEGARDE and u < 0.85) or (k == REDRESSEMENT and u < 0.45):
            out.append(Judgment(i, m + int(rng.integers(6, 15)), int(rng.integers(1, 29)), "plan", k))
            outcome[i] = "plan"
        else:
            c = m + int(rng.integers(2, 9))
            ceased[i] = c + 2
            out.append(Judgment(i, c, int(rng.integers(1, 29)), "conversion", LIQUIDATION))
            out.append(Judgment(i, c + int(rng.integers(10, 31)), int(rng.integers(1, 29)), "cloture", LIQUIDATION))
            outcome[i] = "conversion"
    out.sort(key=lambda j: (j.month, j.day, j.company))
    return Procedures(out, outcome, ceased)


def bodacc_frame(world: World, procs: Procedures, month: int, rng: np.random.Generator) -> pd.DataFrame:
    """BODACC announcements published in a delivered month (about a week to three after the judgment).

    Companies of the same group judged the same day share one announcement (several
    SIRENs in ``registre``).
    """
    comp = world.companies
    rows = []
    by_key: dict[tuple[int, int, str, int, int], list[int]] = {}
    for j in procs.judgments:
        pub_day = j.day + 5 + (j.company * 7919 + j.month) % 16
        pub_month = j.month + (1 if pub_day > 28 else 0)
        if pub_month != month:
            continue
        group = int(world.ownership.head_of[j.company])
        key = (j.month, j.day, j.stage, j.kind, group if group >= 0 else -1 - j.company)
        by_key.setdefault(key, []).append(j.company)
        if len(by_key[key]) > 1:
            continue
        rows.append((j, pub_day % 28 + 1, key))
    out: list[dict[str, Any]] = []
    for n, (j, pday, key) in enumerate(rows):
        sirens = [f"{comp.siren[c]:09d}" for c in by_key[key]]
        spaced = [f"{s[:3]} {s[3:6]} {s[6:]}" if rng.uniform() < 0.7 else s for s in sirens]
        dep = str(comp.departement[j.company])
        year = (world.first_month + month) // 12
        out.append({
            "id": f"A{year}{int(rng.integers(0, 10**6)):06d}{n:04d}",
            "dateparution": iso_date(world.first_month + month, pday),
            "numeroannonce": int(rng.integers(1, 3000)),
            "familleavis": "collective",
            "typeavis": "annonce",
            "numerodepartement": dep,
            "tribunal": TRIBUNAL.get(dep, "TRIBUNAL DE COMMERCE DE PARIS"),
            "registre": ",".join(spaced),
            "jugement_nature": NATURE[(j.stage, j.kind)],
            "jugement_date": iso_date(world.first_month + j.month, j.day),
        })  # fmt: skip
        if rng.uniform() < 0.02:
            # A corrective notice re-publishes the same judgment under a new id.
            fix = dict(out[-1])
            fix["id"] = str(fix["id"])[:-4] + f"{n + 5000:04d}"
            fix["typeavis"] = "rectificatif"
            fix["numeroannonce"] = int(rng.integers(3000, 4000))
            out.append(fix)
    cols = ["id", "dateparution", "numeroannonce", "familleavis", "typeavis", "numerodepartement", "tribunal",
            "registre", "jugement_nature", "jugement_date"]  # fmt: skip
    return pd.DataFrame(out, columns=cols)


def pcoll_frame(world: World, procs: Procedures, month: int) -> pd.DataFrame:
    """URSSAF's view: one row per account SIRET of the company, known the month after the judgment."""
    acc = world.accounts
    comp = world.companies
    rows = []
    for j in procs.judgments:
        if j.month + 1 != month:
            continue
        sirets = acc.siret[(acc.company == j.company) & (acc.establishment >= 0)]
        eff = str(sas_dates(np.array([world.first_month + j.month]), np.array([j.day]))[0])
        for s in sirets.tolist():
            rows.append((f"{s:014d}", f"{comp.siren[j.company]:09d}", eff, CAT[j.kind], PCOLL[(j.stage, j.kind)]))
    return pd.DataFrame(rows, columns=["Siret", "Siren", "Dt_effet", "Cat_v2", "Lib_actx_stdx"])
