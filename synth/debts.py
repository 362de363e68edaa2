"""URSSAF debts (line histories), payment plans and CCSF, driven by the latent distress.

Debts sit on the head-office account. A distressed company leaves part of its
contributions unpaid: a new debt line per period, whose later states (payment,
procedure flag, write-off) are delivered as new ``Num_Hist_Ecn`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from synth.calendar import french_dates, urssaf_dates, urssaf_period
from synth.world import World

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

COST_PER_EMPLOYEE = 1150.0  # monthly social contributions per employee, euros
DEBIT_COLUMNS = ["Urssaf_gestion", "Dep", "num_cpte", "Siren", "Siret", "Dt_immat", "Etat_cpte", "Cd_pro_col",
                 "Periode", "Num_Ecn", "Num_Hist_Ecn", "Dt_trt_ecn", "Mt_PO", "Mt_PP", "Cd_op_ecn", "Motif_ecn",
                 "Recours_en_cours"]  # fmt: skip
DELAI_COLUMNS = ["Urssaf_gestion", "Dep", "Siret", "Numero_compte_externe", "Numero_structure", "Date_creation",
                 "Date_echeance", "Duree_delai", "Denomination_premiere_ligne", "Indic_6M", "Annee_creation",
                 "Montant_global_echeancier", "Code_externe_stade", "Code_externe_action"]  # fmt: skip
CCSF_COLUMNS = ["Urssaf_gestion", "Dep", "Siret", "Compte", "Date_de_traitement", "Code_externe_stade",
                "Code_externe_action"]  # fmt: skip


@dataclass
class DebtEvents:
    """Rows per month (index = delivered month, negative for history) and the debt panel.

    Attributes:
        debits: month -> debit state rows.
        delais: month -> payment-plan rows.
        ccsf: month -> CCSF rows.
        debt: (history + months, companies) outstanding debt in euros at the end of each month.
        history: rows of ``debt`` before the first delivered month.
    """

    debits: dict[int, pd.DataFrame] = field(default_factory=dict)
    delais: dict[int, pd.DataFrame] = field(default_factory=dict)
    ccsf: dict[int, pd.DataFrame] = field(default_factory=dict)
    debt: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    history: int = 12


def unpaid_share(z: FloatArray) -> FloatArray:
    """Share of the month's contributions a company with latent distress z leaves unpaid."""
    return np.asarray(np.clip(0.3 * (z - 0.9), 0.0, 0.95), dtype=np.float64)


def head_accounts(world: World) -> IntArray:
    """Index of the head-office account of each company, -1 when it has none."""
    acc = world.accounts
    est = world.establishments
    out = np.full(world.companies.n, -1, dtype=np.int64)
    real = acc.establishment >= 0
    head = np.zeros(acc.n, dtype=bool)
    head[real] = est.head_office[acc.establishment[real]]
    out[acc.company[head]] = np.flatnonzero(head)
    return out


def build_debts(world: World, ceased: IntArray, history: int = 12) -> DebtEvents:
    """Simulates debt lines, payment plans and CCSF from ``-history`` to the last delivered month."""
    rng = np.random.default_rng([world.config.seed, 31])
    comp = world.companies
    n = comp.n
    hacc = head_accounts(world)
    fail = world.traj.fail_month
    ev = DebtEvents(history=history, debt=np.zeros((history + world.months, n)))

    # Open lines as parallel lists (vectorised per month through numpy views).
    l_comp = np.zeros(0, dtype=np.int64)
    l_period = np.zeros(0, dtype=np.int64)
    l_hist = np.zeros(0, dtype=np.int64)
    l_po = np.zeros(0, dtype=np.int64)
    l_pp = np.zeros(0, dtype=np.int64)
    l_quick = np.zeros(0, dtype=bool)
    l_procol = np.zeros(0, dtype=bool)
    plan_until = np.full(n, -(10**6), dtype=np.int64)
    ccsf_state = np.zeros(n, dtype=np.int64)  # 0 none, 1 opened, 2 decided
    ccsf_month = np.zeros(n, dtype=np.int64)

    for m in range(-history, world.months):
        z = world.distress(m)
        level = world.company_headcount(m)
        alive = (level > 0) & (ceased > m) & ((fail < 0) | (fail > m)) & (hacc >= 0)
        due = level * COST_PER_EMPLOYEE * rng.lognormal(0, 0.05, n)
        u_new = rng.uniform(0, 1, n)
        late_share = rng.uniform(0.2, 1.0, n)
        rows: list[tuple[int, int, int, int, int, int, int, str, int]] = []

        # Changes of existing open lines.
        if len(l_comp):
            zc = z[l_comp]
            ok = alive[l_comp]
            r = rng.uniform(0, 1, len(l_comp))
            under_plan = plan_until[l_comp] >= m
            pay = ok & (((zc < 0.8) & (r < 0.3)) | (l_quick & (r < 0.9)) | (under_plan & (zc < 1.5) & (r < 0.2)))
            part = ok & ~pay & (zc < 1.3) & (r > 0.85)
            flag = (~l_procol) & (fail[l_comp] == m)
            write_off = ceased[l_comp] == m
            for idx in np.flatnonzero(pay | part | flag | write_off).tolist():
                c = int(l_comp[idx])
                l_hist[idx] += 1
                if write_off[idx]:
                    op, l_po[idx], l_pp[idx] = 3, 0, 0
                elif pay[idx]:
                    op, l_po[idx], l_pp[idx] = 2, 0, 0
                elif part[idx]:
                    op, l_po[idx], l_pp[idx] = 2, l_po[idx] // 2, l_pp[idx] // 2
                else:
                    op = 1
                if flag[idx]:
                    l_procol[idx] = True
                rows.append((c, int(l_period[idx]), int(l_hist[idx]), int(l_po[idx]), int(l_pp[idx]), op,
                             2 if not l_quick[idx] else 1, "1" if l_procol[idx] else "0", idx))  # fmt: skip
            closed = (l_po == 0) & (l_pp == 0)
            keep = ~closed
            l_comp, l_period, l_hist = l_comp[keep], l_period[keep], l_hist[keep]
            l_po, l_pp, l_quick, l_procol = l_po[keep], l_pp[keep], l_quick[keep], l_procol[keep]

        # New lines for the previous month's contributions.
        unpaid = unpaid_share(z)
        quick = (unpaid == 0) & (u_new < 0.012)
        unpaid = np.where(quick, late_share, unpaid)
        new = np.flatnonzero(alive & (unpaid > 0.02) & (due > 0))
        amount = np.round(unpaid[new] * due[new] * 100).astype(np.int64)
        po = amount * 3 // 10
        l_comp = np.concatenate([l_comp, new])
        l_period = np.concatenate([l_period, np.full(len(new), m - 1)])
        l_hist = np.concatenate([l_hist, np.ones(len(new), dtype=np.int64)])
        l_po = np.concatenate([l_po, po])
        l_pp = np.concatenate([l_pp, amount - po])
        l_quick = np.concatenate([l_quick, quick[new]])
        l_procol = np.concatenate([l_procol, np.zeros(len(new), dtype=bool)])
        for c, a, p in zip(new.tolist(), amount.tolist(), po.tolist(), strict=True):
            rows.append((c, m - 1, 1, p, a - p, 1, 1 if quick[c] else int(rng.choice([2, 24, 25])), "0", -1))

        outstanding = np.asarray(np.bincount(l_comp, weights=(l_po + l_pp) / 100.0, minlength=n), dtype=np.float64)
        ev.debt[m + history] = outstanding
        ev.debits[m] = _debit_frame(world, hacc, rows, m, rng)
        ev.delais[m] = _plans(world, hacc, alive, z, outstanding, plan_until, m, rng)
        ev.ccsf[m] = _ccsf(world, hacc, alive, z, outstanding, due, ccsf_state, ccsf_month, m, rng)
    return ev


def _debit_frame(
    world: World, hacc: IntArray, rows: list[tuple[int, int, int, int, int, int, int, str, int]], m: int,
    rng: np.random.Generator,
) -> pd.DataFrame:  # fmt: skip
    acc = world.accounts
    comp = world.companies
    if not rows:
        return pd.DataFrame(columns=DEBIT_COLUMNS)
    c = np.array([r[0] for r in rows], dtype=np.int64)
    a = hacc[c]
    month = world.first_month + m
    days = rng.integers(5, 29, len(rows))
    # Written-off lines (operation 3) belong to struck-off accounts (state 3).
    # Some extractions use the short YYQM period form (the contract accepts both).
    short = bool(rng.uniform() < world.config.mess.short_period_rate)
    per = {p: urssaf_period(world.first_month + p, short=short) for p in {r[1] for r in rows}}
    return pd.DataFrame({
        "Urssaf_gestion": acc.urssaf[a], "Dep": acc.departement[a], "num_cpte": acc.number[a],
        "Siren": [f"{s:09d}" for s in comp.siren[c].tolist()], "Siret": [f"{s:014d}" for s in acc.siret[a].tolist()],
        "Dt_immat": urssaf_dates(acc.registered[a], acc.registered_day[a]),
        "Etat_cpte": ["3" if r[5] == 3 else "1" for r in rows], "Cd_pro_col": [r[7] for r in rows],
        "Periode": [per[r[1]] for r in rows], "Num_Ecn": [101 for _ in rows], "Num_Hist_Ecn": [r[2] for r in rows],
        "Dt_trt_ecn": urssaf_dates(np.full(len(rows), month), days),
        "Mt_PO": [r[3] for r in rows], "Mt_PP": [r[4] for r in rows], "Cd_op_ecn": [r[5] for r in rows],
        "Motif_ecn": [r[6] for r in rows], "Recours_en_cours": ["false" for _ in rows],
    })  # fmt: skip


def _plans(
    world: World, hacc: IntArray, alive: NDArray[np.bool_], z: FloatArray, debt: FloatArray,
    plan_until: IntArray, m: int, rng: np.random.Generator,
) -> pd.DataFrame:  # fmt: skip
    u = rng.uniform(0, 1, len(z))
    grant = np.flatnonzero(alive & (debt > 500) & (z > 1.0) & (plan_until < m) & (u < 0.12))
    if not len(grant):
        return pd.DataFrame(columns=DELAI_COLUMNS)
    acc = world.accounts
    a = hacc[grant]
    months = rng.integers(3, 25, len(grant))
    plan_until[grant] = m + months
    start = np.full(len(grant), world.first_month + m)
    day = rng.integers(1, 29, len(grant))
    stade = np.where(rng.uniform(0, 1, len(grant)) < 0.9, "APPROB", "REJ")
    plan_until[grant[stade == "REJ"]] = -(10**6)
    return pd.DataFrame({
        "Urssaf_gestion": acc.urssaf[a], "Dep": acc.departement[a], "Siret": [f"{s:014d}" for s in acc.siret[a]],
        "Numero_compte_externe": acc.number[a], "Numero_structure": rng.integers(10**8, 10**9, len(grant)),
        "Date_creation": french_dates(start, day), "Date_echeance": french_dates(start + months, day),
        "Duree_delai": months * 30, "Denomination_premiere_ligne": world.companies.name[grant],
        "Indic_6M": np.where(months > 6, "SUP", "INF"), "Annee_creation": start // 12,
        "Montant_global_echeancier": np.round(debt[grant], 2), "Code_externe_stade": stade,
        "Code_externe_action": "DELAI",
    })  # fmt: skip


def _ccsf(
    world: World, hacc: IntArray, alive: NDArray[np.bool_], z: FloatArray, debt: FloatArray, due: FloatArray,
    state: IntArray, opened: IntArray, m: int, rng: np.random.Generator,
) -> pd.DataFrame:  # fmt: skip
    u = rng.uniform(0, 1, len(z))
    start = np.flatnonzero(alive & (state == 0) & (debt > 2 * due) & (z > 1.4) & (u < 0.04))
    decide = np.flatnonzero((state == 1) & (opened == m - 1))
    finish = np.flatnonzero((state == 2) & (opened == m - 12))
    state[start], opened[start] = 1, m
    state[decide] = 2
    state[finish] = 3
    c = np.concatenate([start, decide, finish])
    if not len(c):
        return pd.DataFrame(columns=CCSF_COLUMNS)
    approve = rng.uniform(0, 1, len(decide)) < 0.65
    stade = ["DEBUT"] * len(start) + ["APPROB" if a else "REFUS" for a in approve] + ["FIN"] * len(finish)
    acc = world.accounts
    a = hacc[c]
    return pd.DataFrame({
        "Urssaf_gestion": acc.urssaf[a], "Dep": acc.departement[a], "Siret": [f"{s:014d}" for s in acc.siret[a]],
        "Compte": acc.number[a],
        "Date_de_traitement": urssaf_dates(np.full(len(c), world.first_month + m), rng.integers(1, 29, len(c))),
        "Code_externe_stade": stade, "Code_externe_action": "CCSF",
    })  # fmt: skip
