"""Companies and establishments: who they are, where, how big, in which sector."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from synth import reference as ref
from synth.ids import make_nics, make_sirens, siret_of

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
StrArray = NDArray[np.str_]

# Company kinds.
PERIMETER, SMALL, HOLDING, PUBLIC = 0, 1, 2, 3


@dataclass
class Companies:
    """One entry per company (unité légale), as parallel arrays.

    Attributes:
        siren: SIREN.
        kind: PERIMETER (>= 10 employees), SMALL (< 10), HOLDING (group head or
            intermediate holding) or PUBLIC (public-sector unit, never fails).
        headcount: headcount at the start of the simulation.
        sector: index in ``reference.SECTORS`` (-1 for holdings and public units).
        naf: NAF code.
        dep: index in ``reference.DEPARTEMENTS`` of the head office (-1 outside the region).
        departement: département code of the head office.
        legal_form: 4-digit legal form.
        created: creation month (absolute) and ``created_day``.
        name: denomination (empty for sole traders).
        last_name: sole traders' name.
        first_name: sole traders' first name.
    """

    siren: IntArray
    kind: IntArray
    headcount: FloatArray
    sector: IntArray
    naf: StrArray
    dep: IntArray
    departement: StrArray
    legal_form: StrArray
    created: IntArray
    created_day: IntArray
    name: StrArray
    last_name: StrArray
    first_name: StrArray

    @property
    def n(self) -> int:
        """Number of companies."""
        return len(self.siren)


@dataclass
class Establishments:
    """One entry per establishment.

    Attributes:
        company: index of the company.
        nic: NIC; ``siret`` is SIREN + NIC.
        head_office: whether it is the head office (siège).
        share: share of the company's headcount working there.
        commune: commune code; ``postal``, ``town``: address; ``lat``, ``lon``.
        departement: département code.
        created: creation month (absolute); ``created_day``.
    """

    company: IntArray
    nic: IntArray
    siret: IntArray
    head_office: NDArray[np.bool_]
    share: FloatArray
    commune: StrArray
    postal: StrArray
    town: StrArray
    departement: StrArray
    lat: FloatArray
    lon: FloatArray
    created: IntArray
    created_day: IntArray

    @property
    def n(self) -> int:
        """Number of establishments."""
        return len(self.nic)


@dataclass
class Towns:
    """Communes where establishments are located, per département (real towns and rural ones)."""

    code: list[StrArray]
    postal: list[StrArray]
    name: list[StrArray]
    weight: list[FloatArray]
    lat: list[FloatArray]
    lon: list[FloatArray]


def build_towns(rng: np.random.Generator, rural_per_dep: int = 40) -> Towns:
    """Real main towns plus synthetic rural communes for each département."""
    towns = Towns([], [], [], [], [], [])
    for d in ref.DEPARTEMENTS:
        codes = [t[0] for t in d.towns]
        posts = [t[1] for t in d.towns]
        names = [t[2] for t in d.towns]
        weights = [t[3] for t in d.towns]
        taken = {c[2:] for c in codes}
        for _ in range(rural_per_dep):
            num = f"{int(rng.integers(1, 700)):03d}"
            while num in taken:
                num = f"{int(rng.integers(1, 700)):03d}"
            taken.add(num)
            codes.append(d.code + num)
            posts.append(d.code + f"{int(rng.integers(1, 99)):02d}0")
            names.append(str(rng.choice(ref.RURAL_STEMS)) + str(rng.choice(ref.RURAL_SUFFIXES)))
            weights.append(float(rng.uniform(0.05, 0.25)))
        k = len(codes)
        towns.code.append(np.array(codes))
        towns.postal.append(np.array(posts))
        towns.name.append(np.array(names))
        towns.weight.append(np.array(weights) / sum(weights))
        towns.lat.append(d.lat + rng.normal(0, 0.25, k))
        towns.lon.append(d.lon + rng.normal(0, 0.35, k))
    return towns


def _choice(rng: np.random.Generator, weights: FloatArray, size: int) -> IntArray:
    p = np.asarray(weights, dtype=np.float64)
    return np.asarray(rng.choice(len(p), size=size, p=p / p.sum()), dtype=np.int64)


def _sector_probs(dep: int) -> FloatArray:
    d = ref.DEPARTEMENTS[dep]
    w = np.array([s.weight * (d.industry if s.industrial else 1.0) * (d.wine if s.farm else 1.0) for s in ref.SECTORS])
    return np.asarray(w / w.sum())


def _first_digits(rng: np.random.Generator, created_year: IntArray) -> IntArray:
    # The leading SIREN digit follows the allocation era of INSEE's numbering.
    out = np.full(len(created_year), 8, dtype=np.int64)
    out[created_year < 2018] = 8
    out[created_year < 2012] = 5
    out[created_year < 2005] = 4
    out[created_year < 1990] = 3
    late = created_year >= 2019
    out[late] = rng.choice([8, 9], size=int(late.sum()))
    mid = (created_year >= 2005) & (created_year < 2012)
    out[mid] = rng.choice([5, 7, 4], size=int(mid.sum()), p=[0.5, 0.4, 0.1])
    return out


def build_companies(
    rng: np.random.Generator, n_perimeter: int, n_small: int, n_holdings: int, start_month: int
) -> Companies:
    """Draws the companies: perimeter first, then small companies, holdings and public units.

    Args:
        rng: random generator.
        n_perimeter: private companies with >= 10 employees.
        n_small: companies with fewer than 10 employees.
        n_holdings: holding companies (group heads and intermediate holdings).
        start_month: first simulated month (absolute); creation dates precede it.
    """
    n_public = max(1, round(0.015 * n_perimeter))
    n = n_perimeter + n_small + n_holdings + n_public
    kind = np.concatenate([
        np.full(n_perimeter, PERIMETER), np.full(n_small, SMALL), np.full(n_holdings, HOLDING),
        np.full(n_public, PUBLIC),
    ]).astype(np.int64)  # fmt: skip
    dep_w = np.array([d.weight for d in ref.DEPARTEMENTS])
    dep = _choice(rng, dep_w, n)

    # Pareto tail of company sizes (alpha ~ 1.15 matches INSEE's band shares above 10).
    head = 10.0 * rng.uniform(0, 1, n) ** (-1 / 1.15)
    head = np.minimum(head, 9000.0)
    small = kind == SMALL
    head[small] = rng.choice(np.arange(1, 10), size=int(small.sum()), p=_small_probs())
    hold = kind == HOLDING
    head[hold] = rng.choice([0, 0, 1, 2, 3, 5], size=int(hold.sum()))

    sector = np.full(n, -1, dtype=np.int64)
    for d in range(len(ref.DEPARTEMENTS)):
        sel = np.flatnonzero((dep == d) & ((kind == PERIMETER) | small))
        sector[sel] = _choice(rng, _sector_probs(d), len(sel))

    naf = np.empty(n, dtype=object)
    legal = np.empty(n, dtype=object)
    forms = np.array([f for f, _ in ref.LEGAL_FORMS])
    form_w = np.array([w for _, w in ref.LEGAL_FORMS], dtype=np.float64)
    for s, sec in enumerate(ref.SECTORS):
        sel = np.flatnonzero(sector == s)
        codes = np.array([c for c, _ in sec.naf])
        naf[sel] = codes[_choice(rng, np.array([w for _, w in sec.naf]), len(sel))]
        legal[sel] = forms[_choice(rng, form_w, len(sel))]
        assoc = sel[rng.uniform(0, 1, len(sel)) < sec.association_share]
        legal[assoc] = "9220"
    naf[hold] = ref.HOLDING_NAF
    legal[hold] = rng.choice(["5710", "5710", "5599", "5499"], size=int(hold.sum()))
    pub = np.flatnonzero(kind == PUBLIC)
    pub_kind = rng.integers(0, len(ref.PUBLIC_UNITS), len(pub))
    naf[pub] = [ref.PUBLIC_UNITS[k][0] for k in pub_kind]
    legal[pub] = [ref.PUBLIC_UNITS[k][1] for k in pub_kind]

    age = 12 + rng.exponential(17 * 12, n)
    age[small] = 6 + rng.exponential(9 * 12, int(small.sum()))
    created = (start_month - age).astype(np.int64)
    created = np.maximum(created, 1950 * 12)
    created_day = rng.integers(1, 29, n)
    first = _first_digits(rng, created // 12)
    first[pub] = 2
    siren = make_sirens(rng, first)

    departement = np.array([ref.DEPARTEMENTS[d].code for d in dep])
    names, last, first_n = _names(rng, kind, sector, legal, departement, pub_kind, pub)
    return Companies(
        siren=siren, kind=kind, headcount=head, sector=sector, naf=naf.astype(str), dep=dep,
        departement=departement, legal_form=legal.astype(str), created=created, created_day=created_day,
        name=names, last_name=last, first_name=first_n,
    )  # fmt: skip


def _small_probs() -> FloatArray:
    w = np.array([3.0, 2.5, 2.0, 1.6, 1.3, 1.1, 1.0, 0.9, 0.8])
    return np.asarray(w / w.sum())


def _names(
    rng: np.random.Generator,
    kind: IntArray,
    sector: IntArray,
    legal: NDArray[np.object_],
    departement: StrArray,
    pub_kind: IntArray,
    pub: IntArray,
) -> tuple[StrArray, StrArray, StrArray]:
    n = len(kind)
    sur = rng.choice(ref.SURNAMES, size=(n, 2))
    pattern = rng.uniform(0, 1, n)
    place = rng.choice(ref.PLACE_WORDS, size=n)
    acro = ["".join(rng.choice(list("ABCDEFGHIJKLMNOPRSTUV"), size=int(rng.integers(3, 5)))) for _ in range(n)]
    names: list[str] = []
    last = np.full(n, "", dtype=object)
    first = np.full(n, "", dtype=object)
    for i in range(n):
        s = int(sector[i])
        trade = str(rng.choice(ref.TRADE_WORDS[ref.SECTORS[s].key])) if s >= 0 else "HOLDING"
        p = pattern[i]
        if kind[i] == HOLDING:
            name = f"{'FINANCIERE' if p < 0.5 else 'HOLDING'} {sur[i, 0]}" if p < 0.8 else f"GROUPE {acro[i]}"
        elif legal[i] == "1000":
            name = ""
            last[i] = sur[i, 0]
            first[i] = str(rng.choice(ref.FIRST_NAMES))
        elif p < 0.4:
            name = f"{trade} {sur[i, 0]}"
        elif p < 0.6:
            name = f"{trade} {place[i]}"
        elif p < 0.7:
            name = f"{sur[i, 0]} ET FILS"
        elif p < 0.8:
            name = f"{sur[i, 0]}-{sur[i, 1]}"
        elif p < 0.97:
            name = acro[i]
        else:
            # Commas and quotes in names exercise the CSV quoting.
            name = f'{sur[i, 0]}, {trade} "{departement[i]}"'
        names.append(name)
    out = np.array(names, dtype=object)
    for k, i in zip(pub_kind.tolist(), pub.tolist(), strict=True):
        out[i] = f"{ref.PUBLIC_UNITS[k][2]} {sur[i, 0]}"
    return out.astype(str), last.astype(str), first.astype(str)


def build_establishments(
    rng: np.random.Generator, companies: Companies, towns: Towns, start_month: int
) -> Establishments:
    """Draws each company's establishments: the head office and, for larger ones, secondary sites."""
    n = companies.n
    count = 1 + rng.poisson(0.08 * np.maximum(companies.headcount, 1) ** 0.55)
    count[companies.kind == HOLDING] = 1
    count = np.minimum(count, 40)
    company = np.repeat(np.arange(n), count)
    first_idx = np.concatenate([[0], np.cumsum(count)[:-1]])
    rank = np.arange(len(company)) - np.repeat(first_idx, count)
    head = rank == 0
    # NIC sequences: 0001 for the head office, then increasing with gaps.
    seq = np.where(head, 1, 0) + np.where(head, 0, rank * rng.integers(1, 4, len(company)) + 1)
    siren = companies.siren[company]
    nic = make_nics(siren, seq)

    m = len(company)
    dep = companies.dep[company].copy()
    moved = (~head) & (rng.uniform(0, 1, m) < 0.3)
    dep[moved] = _choice(rng, np.array([d.weight for d in ref.DEPARTEMENTS]), int(moved.sum()))
    commune = np.empty(m, dtype=object)
    postal = np.empty(m, dtype=object)
    town = np.empty(m, dtype=object)
    lat = np.zeros(m)
    lon = np.zeros(m)
    for d in range(len(ref.DEPARTEMENTS)):
        sel = np.flatnonzero(dep == d)
        k = _choice(rng, towns.weight[d], len(sel))
        commune[sel] = towns.code[d][k]
        postal[sel] = towns.postal[d][k]
        town[sel] = towns.name[d][k]
        lat[sel] = towns.lat[d][k] + rng.normal(0, 0.01, len(sel))
        lon[sel] = towns.lon[d][k] + rng.normal(0, 0.01, len(sel))
    departement = np.array([ref.DEPARTEMENTS[d].code for d in dep], dtype=object)

    # A tenth of holdings have their head office outside the region (national groups).
    outside = np.flatnonzero(head & (companies.kind[company] == HOLDING) & (rng.uniform(0, 1, m) < 0.1))
    for e in outside.tolist():
        code, post, name, la, lo = ref.OUTSIDE_TOWNS[int(rng.integers(0, len(ref.OUTSIDE_TOWNS)))]
        commune[e], postal[e], town[e], lat[e], lon[e] = code, post, name, la, lo
        departement[e] = code[:2]
        companies.dep[company[e]] = -1
        companies.departement[company[e]] = code[:2]

    raw = np.where(head, 1.5, 1.0) * rng.gamma(1.5, 1.0, m)
    share = raw / np.bincount(company, weights=raw, minlength=n)[company]
    c0 = companies.created[company]
    created = np.where(head, c0, c0 + (rng.uniform(0, 1, m) * np.maximum(start_month - c0, 1)).astype(np.int64))
    return Establishments(
        company=company, nic=nic, siret=siret_of(siren, nic), head_office=head, share=share,
        commune=commune.astype(str), postal=postal.astype(str), town=town.astype(str),
        departement=departement.astype(str), lat=lat, lon=lon, created=created,
        created_day=rng.integers(1, 29, m),
    )  # fmt: skip
