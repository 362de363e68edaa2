"""The supplier network: who invoices whom, how much, how dependent."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from synth import reference as ref
from synth.population import HOLDING, PUBLIC, Companies

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

# How much of a sector's sales go to other companies (B2B) rather than consumers.
_B2B = {
    "agriculture": 0.6, "agrifood": 1.0, "metal_mechanics": 1.4, "automotive_plastics": 1.4,
    "other_industry": 1.0, "construction": 0.7, "motor_trade": 0.4, "wholesale": 1.6, "retail": 0.12,
    "transport": 1.3, "hospitality": 0.15, "information": 1.1, "finance_real_estate": 0.5,
    "business_services": 1.4, "health_social": 0.08, "other_services": 0.3,
}  # fmt: skip
# How much a sector buys from regional suppliers (assemblers and builders buy a lot).
_PURCHASES = {
    "agriculture": 0.6, "agrifood": 1.3, "metal_mechanics": 1.2, "automotive_plastics": 2.0,
    "other_industry": 1.2, "construction": 1.3, "motor_trade": 0.8, "wholesale": 1.0, "retail": 1.0,
    "transport": 0.8, "hospitality": 0.8, "information": 0.6, "finance_real_estate": 0.5,
    "business_services": 0.7, "health_social": 1.0, "other_services": 0.6,
}  # fmt: skip


# Shape of the Gamma weights splitting a supplier's sales over its clients: below 1,
# one or two clients usually dominate (concentrated dependencies).
SHARE_SHAPE = 1.5
# Pareto exponent of the out-degree (before size and sector scaling).
TAIL = 1.8


@dataclass
class SupplierNetwork:
    """Directed supplier -> client edges with their monthly base amount.

    Attributes:
        supplier: company index of the supplier.
        client: company index of the client.
        amount: base monthly amount invoiced (euros excluding VAT).
        supplier_dependency: the client's share of the supplier's regional sales.
        client_dependency: the supplier's share of the client's regional purchases.
        since: first month of the relationship (absolute).
        until: month the relationship ended (absolute, exclusive); a large number when it lasts.
    """

    supplier: IntArray
    client: IntArray
    amount: FloatArray
    supplier_dependency: FloatArray
    client_dependency: FloatArray
    since: IntArray
    until: IntArray

    @property
    def n(self) -> int:
        """Number of edges."""
        return len(self.supplier)


def build_network(
    rng: np.random.Generator, companies: Companies, mean_clients: float, first_month: int, months: int
) -> SupplierNetwork:
    """Draws a heavy-tailed supplier network with concentrated dependencies.

    Out-degrees follow a power law scaled by size and by how B2B the sector is;
    clients are drawn with probability proportional to a heavy-tailed attractiveness
    (size and sector purchases), so in-degrees are heavy-tailed too (large assemblers
    have hundreds of regional suppliers). Sales shares are Gamma(0.7)-distributed,
    so many suppliers depend on one or two clients.

    Args:
        rng: random generator.
        companies: the companies.
        mean_clients: mean number of regional clients per company.
        first_month: first delivered month (absolute).
        months: delivered months (relationships start and end within them).
    """
    n = companies.n
    b2b = np.array([_B2B[ref.SECTORS[s].key] if s >= 0 else 0.0 for s in companies.sector])
    buys = np.array([_PURCHASES[ref.SECTORS[s].key] if s >= 0 else 0.7 for s in companies.sector])
    buys[companies.kind == HOLDING] = 0.05
    size = np.maximum(companies.headcount, 1.0)

    raw = rng.uniform(0, 1, n) ** (-1 / TAIL) * (size / 20) ** 0.35 * b2b
    raw[companies.kind == PUBLIC] = 0.0
    # B2B sellers have at least one regional client; the tail carries the hubs.
    floor = np.where(b2b >= 0.3, 1.0, 0.0) * (raw > 0)
    scale = max(mean_clients - floor.mean(), 0.1) / max(raw.mean(), 1e-9)
    degree = np.floor(floor + raw * scale + rng.uniform(0, 1, n) * (raw > 0)).astype(np.int64)
    degree = np.minimum(degree, max(n // 8, 1))

    attract = size**0.85 * buys * rng.lognormal(0.0, 1.0, n)
    supplier = np.repeat(np.arange(n), degree)
    # Half of the clients are local (same département), the rest region-wide.
    local = rng.uniform(0, 1, len(supplier)) < 0.5
    client = _draw(rng, attract, len(supplier))
    dep = companies.dep
    for d in np.unique(dep).tolist():
        members = np.flatnonzero(dep == d)
        sel = np.flatnonzero(local & (dep[supplier] == d))
        if len(members) and len(sel):
            client[sel] = members[_draw(rng, attract[members], len(sel))]
    keep = supplier != client
    supplier, client = supplier[keep], client[keep]
    pair = supplier * n + client
    _, first = np.unique(pair, return_index=True)
    first.sort()
    supplier, client = supplier[first], client[first]

    weight = attract[client] ** 0.2 * rng.gamma(SHARE_SHAPE, 1.0, len(supplier))
    sdep = weight / np.bincount(supplier, weights=weight, minlength=n)[supplier]
    # Regional B2B sales per month: ~6,000 EUR per employee, a sector-dependent share.
    sales = size * 6000.0 * np.clip(b2b, 0.05, 1.0) * 0.5 * rng.lognormal(0, 0.4, n)
    amount = sdep * sales[supplier]
    cdep = amount / np.bincount(client, weights=amount, minlength=n)[client]
    # Most relationships predate the window; a tenth start during it and a tenth end during it.
    e = len(supplier)
    since = first_month - rng.integers(1, 120, e)
    starts = rng.uniform(0, 1, e) < 0.1
    since[starts] = first_month + rng.integers(1, max(months, 2), int(starts.sum()))
    until = np.full(e, 10**6, dtype=np.int64)
    ends = rng.uniform(0, 1, e) < 0.1
    until[ends] = np.maximum(since[ends] + 6, first_month + rng.integers(1, max(months, 2), int(ends.sum())))
    return SupplierNetwork(supplier, client, amount, sdep, cdep, since, until)


def _draw(rng: np.random.Generator, weights: FloatArray, size: int) -> IntArray:
    cum = np.cumsum(weights)
    return np.asarray(np.searchsorted(cum, rng.uniform(0, cum[-1], size), side="right"), dtype=np.int64).clip(
        0, len(weights) - 1
    )
