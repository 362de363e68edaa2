"""URSSAF headcount stock and contributions, per account."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from synth.calendar import urssaf_period, urssaf_quarter
from synth.debts import COST_PER_EMPLOYEE, unpaid_share
from synth.world import World

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def account_headcount(world: World, ceased: IntArray, m: int) -> FloatArray:
    """Headcount declared on each account in delivered month m.

    NaN once the company ceased or the account's establishment closed; the staff of
    closed sites moves to the company's remaining ones.
    """
    acc = world.accounts
    real = acc.establishment >= 0
    open_site = np.ones(acc.n, dtype=bool)
    open_site[real] = world.establishment_closed[acc.establishment[real]] > m
    share = np.where(open_site, acc.share, 0.0)
    open_share = np.bincount(acc.company, weights=np.where(real, share, 0.0), minlength=world.companies.n)
    all_share = np.bincount(acc.company, weights=np.where(real, acc.share, 0.0), minlength=world.companies.n)
    scale = np.where(open_share > 0, all_share / np.maximum(open_share, 1e-12), 1.0)[acc.company]
    level = world.company_headcount(m)[acc.company]
    value = np.round(level * share * np.where(real, scale, 1.0))
    value = np.where((level > 0) & (value < 1), 1.0, value)
    return np.where((ceased[acc.company] <= m) | ~open_site, np.nan, value)


def effectif_frame(world: World, ceased: IntArray, m: int, history: int) -> pd.DataFrame:
    """Wide headcount stock delivered in month m: one column per month up to m - 1."""
    acc = world.accounts
    comp = world.companies
    rng = np.random.default_rng([world.config.seed, 41, m + 1000])
    cols: dict[str, object] = {
        "compte": acc.number,
        "siret": [f"{s:014d}" for s in acc.siret.tolist()],
        "rais_soc": comp.name[acc.company],
        "ape_ins": np.char.replace(comp.naf[acc.company].astype(str), ".", ""),
        "dep": acc.departement,
    }
    anything = np.zeros(acc.n, dtype=bool)
    for k in range(-history, m):
        v = account_headcount(world, ceased, k)
        v[rng.uniform(0, 1, acc.n) < 0.005] = np.nan  # a few months never declared
        anything |= ~np.isnan(v)
        text = np.where(np.isnan(v), 0, v).astype(np.int64).astype(str)
        text[np.isnan(v)] = ""
        cols[f"eff{urssaf_period(world.first_month + k)}"] = text
    frame = pd.DataFrame(cols)
    return frame[anything].reset_index(drop=True)


def cotisdues_frame(world: World, ceased: IntArray, m: int) -> pd.DataFrame:
    """Contributions due and paid for month m; quarterly declarants report once a quarter (``YYYYQ0``)."""
    acc = world.accounts
    rng = np.random.default_rng([world.config.seed, 42, m + 1000])
    head = account_headcount(world, ceased, m)
    quarter_end = (world.first_month + m) % 3 == 2
    due = head * COST_PER_EMPLOYEE * rng.lognormal(0, 0.05, acc.n)
    due = np.where(acc.quarterly, due * 3, due)
    z = world.distress(m)[acc.company]
    unpaid = unpaid_share(z)
    rows = ~np.isnan(head) & (head > 0) & (~acc.quarterly | quarter_end)
    idx = np.flatnonzero(rows)
    paid = np.round(due[idx] * (1 - unpaid[idx]), 2)
    period = np.where(acc.quarterly[idx], urssaf_quarter(world.first_month + m), urssaf_period(world.first_month + m))
    return pd.DataFrame({
        "Urssaf_gestion": acc.urssaf[idx], "Dep": acc.departement[idx],
        "Siret": [f"{s:014d}" for s in acc.siret[idx].tolist()], "Compte": acc.number[idx], "periode": period,
        "mer": np.round(due[idx], 2), "enc_direct": paid, "cotis_due": np.round(due[idx], 2),
    })  # fmt: skip
