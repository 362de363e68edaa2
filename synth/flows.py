"""Monthly B2B e-invoicing aggregates along the supplier network."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from synth.world import World

IntArray = NDArray[np.int64]
COLUMNS = ["siren_fournisseur", "siren_client", "mois", "montant_ht", "nb_factures"]


def flow_frame(world: World, ceased: IntArray, m: int) -> pd.DataFrame:
    """Invoices of month m: a failed client buys less then stops; a distressed supplier sells less."""
    net = world.network
    comp = world.companies
    rng = np.random.default_rng([world.config.seed, 71, m + 1000])
    s, c = net.supplier, net.client
    level = world.company_headcount(m)
    z = world.distress(m)
    fail = world.traj.fail_month
    client_ok = (ceased[c] > m) & (level[c] > 0) & ((fail[c] < 0) | (fail[c] >= m))
    supplier_ok = (ceased[s] > m) & (level[s] > 0)
    month = world.first_month + m
    dated = (net.since <= month) & (month < net.until)
    active = dated & client_ok & supplier_ok & (rng.uniform(0, 1, net.n) < 0.92)
    season = 1.0 + 0.12 * np.cos(2 * np.pi * ((world.first_month + m) % 12 - 5.5) / 12)
    growth = np.sqrt(np.maximum(level[c], 0.5) / np.maximum(comp.headcount[c], 0.5))
    amount = (
        net.amount * season * growth * np.exp(-0.15 * np.maximum(z[s], 0) - 0.2 * np.maximum(z[c], 0))
        * rng.lognormal(0, 0.25, net.n)
    )  # fmt: skip
    idx = np.flatnonzero(active & (amount >= 1))
    label = f"{(world.first_month + m) // 12:04d}-{(world.first_month + m) % 12 + 1:02d}"
    invoices = 1 + rng.poisson(np.minimum(amount[idx] / 4000.0, 200))
    sir = comp.siren
    return pd.DataFrame({
        "siren_fournisseur": [f"{v:09d}" for v in sir[s[idx]].tolist()],
        "siren_client": [f"{v:09d}" for v in sir[c[idx]].tolist()],
        "mois": label, "montant_ht": np.round(amount[idx], 2), "nb_factures": invoices,
    })  # fmt: skip


def corrections(frame: pd.DataFrame, rate: float, rng: np.random.Generator) -> pd.DataFrame:
    """A share of a month's rows re-sent later with a corrected amount."""
    if frame.empty:
        return frame
    pick = frame[rng.uniform(0, 1, len(frame)) < rate].copy()
    pick["montant_ht"] = np.round(pick["montant_ht"] * rng.uniform(0.8, 1.2, len(pick)), 2)
    return pick
