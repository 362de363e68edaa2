"""A small in-memory synthetic world for the scoring tests (no files, no Neo4j).

Latent health drifts per company; distress shows in debts, short-time work and
headcount before failure; with ``contagion`` a company's monthly hazard also rises
with the dependency-weighted failures of its clients and suppliers and with failed
group members, from two to seven months after them. As in ``synth`` the contagion
acts through the hazard: the company's own health (its debts, headcount) moves
only a little, so that only the partners' failures reveal it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.features.inputs import RATIO_COLUMNS, FeatureInputs, Measure, empty_frame

START = 2021 * 12  # 2021-01


def make_world(
    n: int = 300, months: int = 48, seed: int = 1, contagion: bool = True, strength: float = 1.0
) -> FeatureInputs:
    """Builds the facts of a world of ``n`` companies over ``months`` months from 2021-01.

    ``strength`` scales the contagion terms (ignored without contagion).
    """
    return make_world_with_truth(n, months, seed, contagion, strength)[0]


def make_world_with_truth(
    n: int = 300, months: int = 48, seed: int = 1, contagion: bool = True, strength: float = 1.0
) -> tuple[FeatureInputs, pd.DataFrame]:
    """``make_world`` and its ground truth: siren, month (ordinal), contagion (the true logit term)."""
    rng = np.random.default_rng(seed)
    sirens = np.array([f"{100000000 + i * 7:09d}" for i in range(n)])
    deps = np.array(["21", "25", "39", "58", "70", "71", "89", "90"])
    companies = pd.DataFrame(
        {
            "siren": sirens,
            "departement": rng.choice(deps, n),
            "region": "27",
            "naf": rng.choice(["10.11Z", "25.62A", "41.20A", "46.90Z", "62.01Z", "49.41A"], n),
            "legal_form": np.where(rng.random(n) < 0.03, "7210", "5710"),
            "headcount_band": rng.choice(["11", "12", "21", "22"], n),
            "created_month": START - rng.integers(12, 400, n),
            "public_sector": False,
        }
    )
    # Supplier network: each company sells to 1-4 clients, heavy-tailed amounts.
    sup, cli = [], []
    for i in range(n):
        k = rng.integers(1, 5)
        for j in rng.choice(n, k, replace=False):
            if j != i:
                sup.append(i)
                cli.append(j)
    sup_a, cli_a = np.array(sup), np.array(cli)
    amount = rng.pareto(1.5, len(sup_a)) * 10000 + 1000
    sales = np.bincount(sup_a, weights=amount, minlength=n)
    dep_sup = amount / sales[sup_a]  # client's share of the supplier's sales
    group = np.full(n, -1)
    heads = rng.choice(n, n // 15, replace=False)
    for g, h in enumerate(heads):
        group[h] = g
        for j in rng.choice(n, 3, replace=False):
            if group[j] < 0:
                group[j] = g

    health = rng.normal(0, 1, n)
    size = rng.integers(10, 120, n).astype(float)
    failed_at = np.full(n, -1)
    truth: list[pd.DataFrame] = []
    rows: list[pd.DataFrame] = []
    flow_rows: list[pd.DataFrame] = []
    for t in range(months):
        m = START + t
        alive = failed_at < 0
        health = 0.96 * health + rng.normal(0, 0.28, n)
        distress = np.clip(-health, 0, None)
        logit = -6.6 + 1.1 * distress
        if contagion:
            recent = (failed_at >= 0) & (failed_at >= t - 7) & (failed_at <= t - 2)
            hit = np.bincount(sup_a, weights=dep_sup * recent[cli_a], minlength=n)
            grp_hit = np.zeros(n)
            for g in np.unique(group[group >= 0]):
                members = group == g
                grp_hit[members] = recent[members].sum()
            term = strength * (3.0 * hit + 1.2 * (grp_hit > 0))
            logit += term
            truth.append(pd.DataFrame({"siren": sirens, "month": m, "contagion": term}))
            health -= 0.1 * hit
        fail = alive & (rng.random(n) < 1 / (1 + np.exp(-logit)))
        failed_at[fail] = t
        size = np.where(alive, size * (1 + rng.normal(0, 0.01, n) - 0.02 * distress), size)
        contrib = size * 900.0
        debt = np.where(distress > 0.8, contrib * distress * rng.uniform(0.5, 1.5, n), 0.0)
        ap = np.where(distress > 1.0, size * 30 * distress, 0.0)
        live = np.flatnonzero(alive)
        for measure, values in (
            (Measure.HEADCOUNT, np.round(size)),
            (Measure.CONTRIBUTIONS, contrib),
            (Measure.DEBT, debt),
            (Measure.DEBT_EMPLOYER, debt * 0.6),
            (Measure.AP_HOURS, ap),
        ):
            # Debts and headcount of month m are delivered at its end, the rest a month later.
            lag = 0 if measure in (Measure.DEBT, Measure.DEBT_EMPLOYER, Measure.HEADCOUNT) else 1
            rows.append(
                pd.DataFrame(
                    {
                        "siren": sirens[live],
                        "measure": measure.value,
                        "month": m,
                        "value": values[live],
                        "known_month": m + lag,
                    }
                )
            )
        active = alive[sup_a] & alive[cli_a]
        flow_rows.append(
            pd.DataFrame(
                {
                    "supplier": sirens[sup_a[active]],
                    "client": sirens[cli_a[active]],
                    "month": m,
                    "amount": amount[active] / 12,
                    "known_month": m + 1,
                }
            )
        )
    idx = np.flatnonzero(failed_at >= 0)
    procedures = pd.DataFrame(
        {
            "siren": sirens[idx],
            "kind": rng.choice(["redressement", "liquidation", "sauvegarde"], len(idx), p=[0.5, 0.4, 0.1]),
            "stage": "Jugement d'ouverture",
            "judgment_month": START + failed_at[idx],
            "known_month": START + failed_at[idx] + 1,
        }
    )
    closing = np.array([START + 12 * y - 1 for y in range(months // 12 + 1)])
    ratio_rows = []
    for c in closing:
        r = pd.DataFrame({"siren": sirens, "closing_month": c, "known_month": c + 6})
        for col in RATIO_COLUMNS:
            r[col] = rng.normal(0, 1, n) + health
        ratio_rows.append(r)
    in_group = np.flatnonzero(group >= 0)
    facts = FeatureInputs(
        companies=companies,
        procedures=procedures,
        monthly=pd.concat(rows, ignore_index=True),
        plans=empty_frame("plans"),
        ccsf=empty_frame("ccsf"),
        ap_requests=empty_frame("ap_requests"),
        ratios=pd.concat(ratio_rows, ignore_index=True),
        flows=pd.concat(flow_rows, ignore_index=True),
        groups=pd.DataFrame({"siren": sirens[in_group], "group_id": group[in_group].astype(str), "known_month": START}),
    )
    frame = pd.concat(truth, ignore_index=True) if truth else pd.DataFrame(columns=["siren", "month", "contagion"])
    return facts, frame
