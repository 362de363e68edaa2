"""Short-time work (activité partielle): authorisation requests and monthly consumption."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from synth import reference as ref
from synth.calendar import days_in_month, iso_dates
from synth.world import World

IntArray = NDArray[np.int64]
HOURLY_ALLOWANCE = 8.76  # euros per hour paid by the State and Unédic
DEMANDE_COLUMNS = ["ID_DA", "ETAB_SIRET", "EFF_ENT", "EFF_ETAB", "DATE_STATUT", "DATE_DEB", "DATE_FIN", "HTA",
                   "MTA", "EFF_AUTO", "MOTIF_RECOURS_SE", "PERIMETRE_AP"]  # fmt: skip
CONSO_COLUMNS = ["ID_DA", "ETAB_SIRET", "MOIS", "HEURES", "MONTANTS", "EFFECTIFS"]


@dataclass
class ActivityEvents:
    """Request rows per month of decision and consumption rows per consumed month."""

    demandes: dict[int, pd.DataFrame] = field(default_factory=dict)
    consommations: dict[int, pd.DataFrame] = field(default_factory=dict)


def build_activity(world: World, ceased: IntArray) -> ActivityEvents:
    """Requests by distressed companies and, in sector downturns, by industry; then their use."""
    rng = np.random.default_rng([world.config.seed, 51])
    comp = world.companies
    est = world.establishments
    n = comp.n
    head_est = np.full(n, -1, dtype=np.int64)
    head_est[est.company[est.head_office]] = np.flatnonzero(est.head_office)
    industrial = np.array([ref.SECTORS[s].industrial if s >= 0 else False for s in comp.sector])
    active_until = np.full(n, -1, dtype=np.int64)
    out = ActivityEvents()
    conso: dict[int, list[tuple[str, str, str, float, float, int]]] = {}
    fail = world.traj.fail_month
    for m in range(world.months):
        z = world.distress(m)
        level = world.company_headcount(m)
        shock = world.traj.sector_shock[m][np.maximum(comp.sector, 0)] * (comp.sector >= 0)
        alive = (level >= 5) & (ceased > m) & ((fail < 0) | (fail >= m)) & (active_until < m)
        u = rng.uniform(0, 1, n)
        ask = alive & (((z > 1.3) & (u < 0.06)) | (industrial & (shock > 0.35) & (u < 0.02)))
        idx = np.flatnonzero(ask)
        k = rng.integers(3, 7, len(idx))
        active_until[idx] = m + k
        e = head_est[idx]
        eff_ent = np.round(level[idx]).astype(np.int64)
        eff_etab = np.maximum(np.round(level[idx] * est.share[e]).astype(np.int64), 1)
        eff_auto = np.maximum((eff_etab * rng.uniform(0.3, 0.8, len(idx))).astype(np.int64), 1)
        hta = np.round(eff_auto * 151.67 * k * rng.uniform(0.2, 0.5, len(idx)), 1)
        ids = [
            f"{comp.departement[c]:0>3}{int(v):08d}" for c, v in zip(idx, rng.integers(0, 10**8, len(idx)), strict=True)
        ]
        month = world.first_month + m
        sirets = [f"{s:014d}" for s in est.siret[e].tolist()]
        motif = np.where(z[idx] > 1.3, rng.choice([1, 1, 1, 2, 5], len(idx)), 1)
        out.demandes[m] = pd.DataFrame({
            "ID_DA": ids, "ETAB_SIRET": sirets, "EFF_ENT": eff_ent, "EFF_ETAB": eff_etab,
            "DATE_STATUT": iso_dates(np.full(len(idx), month), rng.integers(1, 29, len(idx))),
            "DATE_DEB": iso_dates(np.full(len(idx), month + 1), np.ones(len(idx), dtype=np.int64)),
            "DATE_FIN": iso_dates(month + k, days_in_month(month + k)),
            "HTA": hta, "MTA": np.round(hta * HOURLY_ALLOWANCE, 2), "EFF_AUTO": eff_auto,
            "MOTIF_RECOURS_SE": motif, "PERIMETRE_AP": rng.choice([1, 1, 2, 3, 4], len(idx)),
        }, columns=DEMANDE_COLUMNS)  # fmt: skip
        for j in range(len(idx)):
            c = int(idx[j])
            for used in range(m + 1, m + 1 + int(k[j])):
                if used >= world.months or ceased[c] <= used:
                    break
                share = float(rng.uniform(0.3, 1.0))
                hours = round(float(hta[j]) / int(k[j]) * share, 1)
                label = iso_dates(np.array([world.first_month + used]), np.array([1]))[0]
                conso.setdefault(used, []).append((
                    ids[j], sirets[j], str(label), hours, round(hours * HOURLY_ALLOWANCE, 2),
                    max(int(eff_auto[j] * share), 1),
                ))  # fmt: skip
    for m in range(world.months):
        out.consommations[m] = pd.DataFrame(conso.get(m, []), columns=CONSO_COLUMNS)
    return out
