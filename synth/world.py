"""The whole synthetic world before it is written: entities, links and trajectories."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from synth import reference as ref
from synth.calendar import parse_month
from synth.config import SynthConfig
from synth.dynamics import Trajectories, simulate
from synth.ids import siret_of
from synth.network import SupplierNetwork, build_network
from synth.ownership import Ownership, build_ownership, n_holdings_for, plan_groups
from synth.population import (
    HOLDING,
    PUBLIC,
    Companies,
    Establishments,
    build_companies,
    build_establishments,
    build_towns,
)

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass
class Accounts:
    """URSSAF accounts: one per establishment, plus pseudo-SIRET accounts.

    Attributes:
        company: company index; ``establishment``: establishment index (-1 for pseudo-SIRETs).
        siret: SIRET or pseudo-SIRET (NIC starting with 5, 6, 7 or 9).
        number: 18-digit account number (``compte``).
        urssaf: managing URSSAF code; ``departement``: département code.
        share: share of the company's headcount declared on the account.
        quarterly: contributions declared per quarter (small employers).
        registered: registration month (absolute) and ``registered_day``.
    """

    company: IntArray
    establishment: IntArray
    siret: IntArray
    number: NDArray[np.str_]
    urssaf: NDArray[np.str_]
    departement: NDArray[np.str_]
    share: FloatArray
    quarterly: NDArray[np.bool_]
    registered: IntArray
    registered_day: IntArray

    @property
    def n(self) -> int:
        """Number of accounts."""
        return len(self.siret)


@dataclass
class World:
    """Everything the writers need."""

    config: SynthConfig
    first_month: int
    companies: Companies
    establishments: Establishments
    network: SupplierNetwork
    ownership: Ownership
    accounts: Accounts
    traj: Trajectories
    establishment_closed: IntArray

    @property
    def months(self) -> int:
        """Number of delivered months."""
        return self.config.months

    def company_headcount(self, m: int) -> FloatArray:
        """Headcount level of every company in delivered month m (negative m reaches history)."""
        return np.asarray(self.traj.headcount[self.traj.history + m], dtype=np.float64)

    def distress(self, m: int) -> FloatArray:
        """Latent distress of every company in delivered month m (negative m reaches history)."""
        return np.asarray(self.traj.distress[self.traj.history + m], dtype=np.float64)


def build_world(config: SynthConfig) -> World:
    """Draws the entities, links and monthly trajectories of the region."""
    rng = np.random.default_rng([config.seed, 1])
    first = parse_month(config.start)
    last = first + config.months - 1
    sizes = plan_groups(rng, config.companies, config.group_share)
    companies = build_companies(
        rng, config.companies, round(config.small_company_share * config.companies), n_holdings_for(sizes), first
    )
    ownership = build_ownership(rng, companies, sizes, first, last)
    towns = build_towns(rng)
    establishments = build_establishments(rng, companies, towns, first)
    network = build_network(rng, companies, config.mean_clients, first, config.months)
    accounts = build_accounts(rng, companies, establishments)
    traj = simulate(config.seed, companies, network, ownership, first, config.months, config.hazard, config.contagion)
    closed = close_establishments(config.seed, establishments, traj)
    return World(config, first, companies, establishments, network, ownership, accounts, traj, closed)


def close_establishments(seed: int, est: Establishments, traj: Trajectories) -> IntArray:
    """Month (delivered-month index) each secondary establishment closes; a large number when never.

    Distressed companies shed sites: a secondary establishment closes with probability
    0.3 % a month, 3 % when its company's distress is above 1.5. Head offices close only
    with their company.
    """
    rng = np.random.default_rng([seed, 5])
    months = traj.hazard.shape[0]
    closed = np.full(est.n, 10**6, dtype=np.int64)
    secondary = ~est.head_office
    for m in range(months):
        z = traj.distress[traj.history + m][est.company]
        p = np.where(z > 1.5, 0.03, 0.003)
        shut = secondary & (closed > m) & (rng.uniform(0, 1, est.n) < p)
        closed[shut] = m
    return closed


def build_accounts(rng: np.random.Generator, companies: Companies, est: Establishments) -> Accounts:
    """One account per employing establishment, plus pseudo-SIRET accounts for 3 % of companies."""
    employing = (companies.kind[est.company] != HOLDING) | (companies.headcount[est.company] > 0)
    e_idx = np.flatnonzero(employing & (companies.kind[est.company] != PUBLIC))
    comp = est.company[e_idx]
    share = est.share[e_idx]
    dep = est.departement[e_idx]
    siret = est.siret[e_idx]
    estab = e_idx.astype(np.int64)

    cand = np.flatnonzero((companies.kind != HOLDING) & (companies.kind != PUBLIC))
    pseudo = cand[rng.uniform(0, 1, len(cand)) < 0.03]
    # Temporary-work and similar accounts: NIC 5xxxx, 6xxxx, 7xxxx or 9xxxx, any check digit.
    first_digit = rng.choice([5, 6, 7, 9], len(pseudo))
    p_nic = first_digit * 10**4 + rng.integers(0, 10**4, len(pseudo))
    p_share = rng.uniform(0.02, 0.15, len(pseudo))
    comp = np.concatenate([comp, pseudo])
    estab = np.concatenate([estab, np.full(len(pseudo), -1, dtype=np.int64)])
    siret = np.concatenate([siret, siret_of(companies.siren[pseudo], p_nic)])
    dep = np.concatenate([dep, companies.departement[pseudo]])
    share = np.concatenate([share, p_share])
    urssaf_of = {d.code: d.urssaf for d in ref.DEPARTEMENTS}
    urssaf = np.array([urssaf_of.get(str(d), "117") for d in dep])
    body = rng.integers(10**11, 10**12, len(comp))
    number = np.array([f"{u}{d:0>3}{b}" for u, d, b in zip(urssaf, dep, body.tolist(), strict=True)])
    small = companies.headcount[comp] < 10
    registered = companies.created[comp] + rng.integers(0, 3, len(comp))
    return Accounts(
        company=comp.astype(np.int64), establishment=estab, siret=siret, number=number, urssaf=urssaf,
        departement=dep.astype(str), share=share, quarterly=small, registered=registered.astype(np.int64),
        registered_day=rng.integers(1, 29, len(comp)),
    )  # fmt: skip
