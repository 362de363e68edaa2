"""Monthly simulation: latent distress, shocks, contagion and the failure hazard.

Every random number is drawn each month for every company in a fixed order,
whatever the state, so that the world with and without contagion share the same
draws and differ only through contagion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from synth import reference as ref
from synth.config import HazardParams
from synth.network import SupplierNetwork
from synth.ownership import Ownership
from synth.population import PERIMETER, PUBLIC, Companies

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
F32 = NDArray[np.float32]

# Procedure kinds.
SAUVEGARDE, REDRESSEMENT, LIQUIDATION = 0, 1, 2
KIND_NAMES = ("sauvegarde", "redressement", "liquidation")


@dataclass
class Trajectories:
    """Simulated panels over the delivered months (index 0 = first delivered month).

    Attributes:
        months: absolute month of each row (delivered months, then ``history`` before them).
        distress: latent distress z, shape (history + months, companies), oldest first.
        headcount: headcount level, same shape (0 once the company has ceased).
        history: number of rows before the first delivered month.
        hazard: monthly failure probability over the delivered months (months, companies).
        log_parts: log-hazard components over the delivered months, name -> (months, companies).
        fail_month: index (in delivered months) of the failure, -1 when none.
        kind: procedure kind of each failure (SAUVEGARDE, REDRESSEMENT, LIQUIDATION), -1.
        alpha: calibrated intercept.
        sector_shock: (months, sectors); ``departement_shock``: (months, départements).
    """

    first_month: int
    distress: F32
    headcount: F32
    history: int
    hazard: F32
    log_parts: dict[str, F32]
    fail_month: IntArray
    kind: IntArray
    alpha: float
    sector_shock: FloatArray
    departement_shock: FloatArray


def _kernel(lag: IntArray, p: HazardParams) -> FloatArray:
    ok = (lag >= p.contagion_onset) & (lag <= p.contagion_window)
    return np.where(ok, np.exp(-(lag - p.contagion_onset) / p.contagion_decay), 0.0)


def simulate(
    seed: int,
    companies: Companies,
    network: SupplierNetwork,
    ownership: Ownership,
    first_month: int,
    months: int,
    params: HazardParams,
    contagion: bool,
    history: int = 24,
) -> Trajectories:
    """Runs the burn-in then the delivered months.

    Args:
        seed: the world's seed (the draws here come from their own stream).
        companies: the companies.
        network: supplier edges.
        ownership: groups (membership changes apply from their month).
        first_month: first delivered month (absolute).
        months: delivered months.
        params: hazard parameters.
        contagion: False zeroes every contagion term.
        history: months kept before the first delivered month (for stocks and trends).
    """
    rng = np.random.default_rng([seed, 7])
    n = companies.n
    burn = max(params.burn_in_months, history)
    total = burn + months
    n_sec, n_dep = len(ref.SECTORS), len(ref.DEPARTEMENTS)

    sector = np.maximum(companies.sector, 0)
    dep = np.maximum(companies.dep, 0)
    sec_h = np.array([s.hazard for s in ref.SECTORS])[sector] * (companies.sector >= 0)
    dep_h = np.array([d.hazard for d in ref.DEPARTEMENTS])[dep] * (companies.dep >= 0)
    size_h = params.size_slope * np.log(np.maximum(companies.headcount, 3.0) / 10.0)
    static = sec_h + dep_h + size_h
    public = companies.kind == PUBLIC
    perim = companies.kind == PERIMETER
    target = 1 - (1 - params.base_annual_rate) ** (1 / 12)

    # Pre-drawn company-level outcomes of a failure.
    u_kind = rng.uniform(0, 1, n)
    kind_draw = np.where(u_kind < 0.05, SAUVEGARDE, np.where(u_kind < 0.33, REDRESSEMENT, LIQUIDATION))

    z = rng.normal(0, params.distress_sigma / np.sqrt(1 - params.distress_rho**2), n)
    episode_left = np.zeros(n, dtype=np.int64)
    drift = np.zeros(n)
    level = companies.headcount.astype(np.float64).copy()
    s_shock = np.zeros(n_sec)
    d_shock = np.zeros(n_dep)
    sec_w = np.array([s.weight for s in ref.SECTORS])
    sec_w /= sec_w.sum()
    dep_w = np.array([d.weight for d in ref.DEPARTEMENTS])
    dep_w /= dep_w.sum()
    s_sd = params.sector_shock_sd * np.sqrt(1 - params.shock_rho**2)
    d_sd = params.departement_shock_sd * np.sqrt(1 - params.shock_rho**2)

    # Relationship dates in simulation index: a failure only contaminates a live relationship.
    edge_start = network.since - (first_month - burn)
    edge_end = network.until - (first_month - burn)
    fail = np.full(n, -1, dtype=np.int64)  # in delivered-month index
    fail_abs = np.full(n, -(10**6), dtype=np.int64)  # in simulation index, for lags
    kind = np.full(n, -1, dtype=np.int64)
    group = ownership.head_of.copy()
    changes = sorted(ownership.group_changes, key=lambda c: c.month)

    keep = history
    z_panel = np.zeros((keep + months, n), dtype=np.float32)
    h_panel = np.zeros((keep + months, n), dtype=np.float32)
    hazard = np.zeros((months, n), dtype=np.float32)
    parts = {k: np.zeros((months, n), dtype=np.float32) for k in
             ("static", "shocks", "distress", "client", "supplier", "group")}  # fmt: skip
    s_hist = np.zeros((months, n_sec))
    d_hist = np.zeros((months, n_dep))
    alpha = np.log(target)
    calib_sum, calib_n = 0.0, 0

    for t in range(total):
        month_abs = first_month - burn + t
        eps_z = rng.normal(0, 1, n)
        u_ep = rng.uniform(0, 1, n)
        ep_len = rng.integers(params.episode_min_months, params.episode_max_months + 1, n)
        ep_drift = rng.gamma(4.0, params.episode_drift / 4.0, n)
        u_fail = rng.uniform(0, 1, n)
        eps_level = rng.normal(0, 1, n)
        s_shock = params.shock_rho * s_shock + rng.normal(0, s_sd, n_sec)
        d_shock = params.shock_rho * d_shock + rng.normal(0, d_sd, n_dep)
        # Shocks are relative: they move risk between sectors and départements without
        # moving the regional base rate, which stays where it was calibrated.
        s_shock -= s_shock @ sec_w
        d_shock -= d_shock @ dep_w
        for ch in changes:
            if ch.month == month_abs:
                group[ch.company] = ch.new_head

        shocks = s_shock[sector] * (companies.sector >= 0) + d_shock[dep] * (companies.dep >= 0)
        if contagion:
            c_client, c_supplier, c_group = _contagion(t, fail_abs, network, edge_start, edge_end, group, params)
        else:
            c_client = c_supplier = c_group = np.zeros(n)
        c_total = c_client + c_supplier + c_group

        alive = fail < 0
        start_ep = alive & (episode_left == 0) & (u_ep < params.episode_rate * np.exp(shocks))
        episode_left[start_ep] = ep_len[start_ep]
        drift[start_ep] = ep_drift[start_ep]
        in_ep = episode_left > 0
        z = np.where(
            alive,
            params.distress_rho * z
            + params.distress_sigma * eps_z
            + np.where(in_ep, drift, 0.0)
            + params.contagion_distress_push * c_total,
            z,
        )
        episode_left = np.maximum(episode_left - 1, 0)

        eta_wo_alpha = static + shocks + params.distress_weight * z
        if t < burn:
            # Calibrate the intercept on the perimeter, without shocks nor contagion, averaged
            # over the second half of the burn-in: one month is dominated by a few distressed firms.
            base = static + params.distress_weight * z
            level_now = float(np.mean(np.exp(base[perim])))
            if t >= burn // 2:
                calib_sum += level_now
                calib_n += 1
            alpha = float(np.log(target) - np.log(calib_sum / calib_n if calib_n else level_now))
        eta = alpha + eta_wo_alpha + c_total
        h = -np.expm1(-np.exp(np.minimum(eta, 5.0)))
        h[public | ~alive] = 0.0
        failing = u_fail < h

        growth = 0.001 + 0.012 * eps_level - 0.03 * np.maximum(z - 1.0, 0.0) - 0.02 * shocks
        level = np.where(alive, level * np.exp(growth), level)
        if t < burn:
            # Burn-in failures are replaced by a fresh healthy company in the same slot.
            z[failing] = 0.0
            episode_left[failing] = 0
            level[failing] = companies.headcount[failing]
        else:
            m = t - burn
            fail[failing] = m
            fail_abs[failing] = t
            kind[failing] = kind_draw[failing]
            hazard[m] = h
            parts["static"][m] = static + alpha
            parts["shocks"][m] = shocks
            parts["distress"][m] = params.distress_weight * z
            parts["client"][m] = c_client
            parts["supplier"][m] = c_supplier
            parts["group"][m] = c_group
            s_hist[m] = s_shock
            d_hist[m] = d_shock
            _shrink_after_failure(level, fail, kind, m)
        row = t - (burn - keep)
        if row >= 0:
            z_panel[row] = z
            h_panel[row] = level

    return Trajectories(
        first_month=first_month, distress=z_panel, headcount=h_panel, history=keep, hazard=hazard,
        log_parts=parts, fail_month=fail, kind=kind, alpha=alpha, sector_shock=s_hist,
        departement_shock=d_hist,
    )  # fmt: skip


def _shrink_after_failure(level: FloatArray, fail: IntArray, kind: IntArray, m: int) -> None:
    since = m - fail
    failed = fail >= 0
    liq = failed & (kind == LIQUIDATION)
    level[liq & (since == 0)] *= 0.6
    level[liq & (since >= 2)] = 0.0
    other = failed & (kind != LIQUIDATION) & (since == 0)
    level[other] *= 0.8


def _contagion(
    t: int,
    fail_abs: IntArray,
    network: SupplierNetwork,
    edge_start: IntArray,
    edge_end: IntArray,
    group: IntArray,
    p: HazardParams,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    n = len(fail_abs)
    f_client = fail_abs[network.client]
    f_supplier = fail_abs[network.supplier]
    live_c = (edge_start <= f_client) & (f_client < edge_end)
    live_s = (edge_start <= f_supplier) & (f_supplier < edge_end)
    k_client = _kernel(t - f_client, p) * live_c
    c_client = p.client_contagion * np.bincount(
        network.supplier, weights=network.supplier_dependency * k_client, minlength=n
    )
    k_supplier = _kernel(t - f_supplier, p) * live_s
    c_supplier = p.supplier_contagion * np.bincount(
        network.client, weights=network.client_dependency * k_supplier, minlength=n
    )
    k_self = _kernel(t - fail_abs, p)
    in_group = group >= 0
    per_group = np.bincount(np.where(in_group, group, 0), weights=k_self * in_group, minlength=n)
    # Members other than the company itself (its own failure does not contaminate it).
    exposure = np.where(in_group, per_group[np.maximum(group, 0)] - k_self, 0.0)
    c_group = p.group_contagion * np.minimum(exposure, 1.0)
    return (
        np.asarray(c_client, dtype=np.float64),
        np.asarray(c_supplier, dtype=np.float64),
        np.asarray(c_group, dtype=np.float64),
    )
