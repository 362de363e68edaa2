"""Banque de France yearly ratios, degraded by the distress of the fiscal year."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from synth.calendar import iso_dates
from synth.population import HOLDING, PERIMETER
from synth.world import World

IntArray = NDArray[np.int64]
COLUMNS = ["siren", "annee", "arrete_bilan", "poids_frng", "taux_marge", "delai_fournisseurs",
           "poids_dettes_fiscales_sociales", "poids_financement_court_terme", "poids_frais_financiers"]  # fmt: skip


def build_bdf(world: World, ceased: IntArray, history: int) -> dict[int, pd.DataFrame]:
    """Ratios per delivery month (never earlier than 4 months after the closing date).

    Args:
        world: the world.
        ceased: month each company ceased (a large number when never).
        history: months of distress history available before the first delivered month.
    """
    rng = np.random.default_rng([world.config.seed, 61])
    comp = world.companies
    n = comp.n
    covered = ((comp.kind == PERIMETER) | (comp.kind == HOLDING)) & (rng.uniform(0, 1, n) < 0.75)
    closing = rng.choice([11, 5, 8], n, p=[0.75, 0.15, 0.10])  # December, June, September
    lag = rng.integers(4, 11, n)
    base = rng.normal(0, 1, (n, 6))
    rows: dict[int, list[dict[str, object]]] = {}
    first_abs = world.first_month
    for am in range(first_abs - history + 12, first_abs + world.months):
        m = am - first_abs
        at = np.flatnonzero(covered & (closing == am % 12) & (ceased > m))
        if not len(at):
            continue
        z = np.mean([world.distress(k)[at] for k in range(m - 11, m + 1)], axis=0)
        b = base[at]
        ratios = {
            "poids_frng": 22 - 9 * z + 8 * b[:, 0],
            "taux_marge": 24 - 7 * z + 6 * b[:, 1],
            "delai_fournisseurs": np.maximum(55 + 14 * z + 12 * b[:, 2], 5),
            "poids_dettes_fiscales_sociales": np.maximum(11 + 5 * z + 3 * b[:, 3], 0.5),
            "poids_financement_court_terme": np.maximum(6 + 7 * z + 4 * b[:, 4], 0),
            "poids_frais_financiers": np.maximum(1.4 + 1.1 * z + 0.6 * b[:, 5], 0),
        }
        when = np.maximum(m + lag[at], 0)
        day = np.asarray([30 if am % 12 in (5, 8) else 31] * len(at))
        closing_date = iso_dates(np.full(len(at), am), day)
        for j, c in enumerate(at.tolist()):
            row: dict[str, object] = {"siren": f"{comp.siren[c]:09d}", "annee": am // 12,
                                      "arrete_bilan": str(closing_date[j])}  # fmt: skip
            for key, v in ratios.items():
                row[key] = round(float(v[j]), 2)
            rows.setdefault(int(when[j]), []).append(row)
    return {m: pd.DataFrame(r, columns=COLUMNS) for m, r in rows.items() if m < world.months}
