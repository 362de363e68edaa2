"""Corporate groups, holdings, persons, ownership links and directorships."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from synth import reference as ref
from synth.population import HOLDING, PERIMETER, PUBLIC, SMALL, Companies

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

_QUALITE = {"5710": "Président", "5720": "Président", "5499": "Gérant", "5498": "Gérant", "6540": "Gérant",
            "5308": "Gérant", "5599": "Président du conseil d'administration", "9220": "Président"}  # fmt: skip


@dataclass
class Link:
    """An ownership link (exactly one of ``owner_company``, ``owner_person`` is >= 0)."""

    owner_company: int
    owner_person: int
    owned: int
    percentage: float
    nature: str
    start: int
    start_day: int
    end: int = -1
    end_day: int = 0


@dataclass
class Directorship:
    """A director of a company: a person or a company (``director_company``)."""

    company: int
    person: int
    director_company: int
    qualite: str
    start: int
    start_day: int
    end: int = -1
    end_day: int = 0


@dataclass
class GroupChange:
    """A company moving to another group (acquisition) at a month."""

    company: int
    old_head: int
    new_head: int
    month: int


@dataclass
class Ownership:
    """Groups, persons and their links.

    Attributes:
        head_of: group head (company index) of each company, -1 when not in a group;
            a head is its own head.
        persons_last, persons_first, persons_birth, persons_id: the persons.
        links: ownership links (initial and later ones).
        directorships: directorships (initial and later ones).
        group_changes: companies changing group during the window.
    """

    head_of: IntArray
    persons_last: NDArray[np.str_]
    persons_first: NDArray[np.str_]
    persons_birth: IntArray
    persons_id: NDArray[np.str_]
    links: list[Link] = field(default_factory=list)
    directorships: list[Directorship] = field(default_factory=list)
    group_changes: list[GroupChange] = field(default_factory=list)


def plan_groups(rng: np.random.Generator, n_perimeter: int, group_share: float) -> IntArray:
    """Group sizes (members including the head); heavy-tailed, from 2 to 60."""
    target = group_share * n_perimeter
    sizes: list[int] = []
    while sum(sizes) - len(sizes) < target:
        sizes.append(int(min(60, 2 + np.floor(rng.pareto(1.3) * 1.6))))
    return np.array(sizes, dtype=np.int64)


def n_holdings_for(sizes: IntArray) -> int:
    """Holdings needed: one head per group plus an intermediate holding for groups of 8 or more."""
    return int(len(sizes) + (sizes >= 8).sum())


def build_ownership(
    rng: np.random.Generator, companies: Companies, sizes: IntArray, first_month: int, last_month: int
) -> Ownership:
    """Assigns group members, persons, ownership links and directors, and their changes.

    Args:
        rng: random generator.
        companies: the companies (holdings' départements are updated to their main member's).
        sizes: group sizes from ``plan_groups``.
        first_month: first simulated month (absolute).
        last_month: last simulated month (absolute).
    """
    n = companies.n
    holdings = np.flatnonzero(companies.kind == HOLDING)
    heads = holdings[: len(sizes)]
    inters = list(holdings[len(sizes) :])
    pool = np.flatnonzero((companies.kind == PERIMETER) | (companies.kind == SMALL))
    w = np.where(companies.kind[pool] == PERIMETER, np.sqrt(companies.headcount[pool]), 0.6)
    n_members = int((sizes - 1 - (sizes >= 8)).sum())
    members = rng.choice(pool, size=min(n_members, len(pool)), replace=False, p=w / w.sum())

    head_of = np.full(n, -1, dtype=np.int64)
    n_persons = int(0.75 * n)
    last = rng.choice(ref.SURNAMES, n_persons)
    first = np.array([" ".join(rng.choice(ref.FIRST_NAMES, int(rng.integers(1, 4)), replace=False))
                      for _ in range(n_persons)])  # fmt: skip
    birth = rng.integers(1945, 2001, n_persons)
    pid = np.array([f"P{v:016X}" for v in rng.integers(0, 2**62, n_persons).tolist()])
    popularity = rng.pareto(1.2, n_persons) + 0.05
    popularity /= popularity.sum()
    own = Ownership(head_of, last, first, birth, pid)

    # One weighted draw for all picks: drawing them one by one dominates the build time.
    picks = iter(rng.choice(n_persons, size=4 * n + 100, p=popularity).tolist())

    def person() -> int:
        return int(next(picks))

    def since() -> tuple[int, int]:
        return first_month - int(rng.integers(1, 180)), int(rng.integers(1, 29))

    pos = 0
    main_person = np.full(n, -1, dtype=np.int64)
    for g, size in enumerate(sizes.tolist()):
        head = int(heads[g])
        k = size - 1 - (1 if size >= 8 else 0)
        group = [int(x) for x in members[pos : pos + k]]
        pos += k
        if not group:
            continue
        head_of[head] = head
        companies.dep[head] = companies.dep[group[0]]
        if companies.departement[head] not in ("75", "69", "67", "68"):
            companies.departement[head] = companies.departement[group[0]]
        parent = {m: head for m in group}
        if size >= 8 and inters:
            inter = int(inters.pop(0))
            head_of[inter] = head
            companies.dep[inter] = companies.dep[group[0]]
            companies.departement[inter] = companies.departement[group[0]]
            s, d = since()
            own.links.append(Link(head, -1, inter, 100.0, "directe", s, d))
            for m in group[len(group) // 2 :]:
                parent[m] = inter
        for m in group:
            head_of[m] = head
            pct = 100.0 if rng.uniform() < 0.55 else round(float(rng.uniform(50.1, 99.9)), 2)
            s, d = since()
            own.links.append(Link(parent[m], -1, m, pct, "directe", s, d))
            if parent[m] != head:
                own.links.append(Link(head, -1, m, pct, "indirecte", s, d))
        owners = int(rng.integers(1, 4))
        shares = rng.dirichlet(np.ones(owners)) * 100
        s, d = since()
        for o in range(owners):
            p = person()
            main_person[head] = p if o == 0 else main_person[head]
            own.links.append(Link(-1, p, head, round(float(shares[o]), 2), "directe", s, d))
        for m in group:
            main_person[m] = main_person[head]

    _directors(rng, companies, own, main_person, person, since)
    _independent_owners(rng, companies, own, head_of, main_person, since)
    _changes(rng, companies, own, heads, first_month, last_month, person)
    return own


def _directors(
    rng: np.random.Generator,
    companies: Companies,
    own: Ownership,
    main_person: IntArray,
    pick: Callable[[], int],
    start: Callable[[], tuple[int, int]],
) -> None:
    auditors = np.flatnonzero(companies.naf == "69.20Z")
    parent_of = {lk.owned: lk.owner_company for lk in own.links if lk.nature == "directe" and lk.owner_company >= 0}
    for i in range(companies.n):
        form = str(companies.legal_form[i])
        if companies.kind[i] == PUBLIC or form == "1000":
            continue
        qual = _QUALITE.get(form, "Gérant")
        s, d = start()
        if i in parent_of and qual == "Président":
            own.directorships.append(Directorship(i, -1, parent_of[i], "Président", s, d))
            p = int(main_person[i]) if main_person[i] >= 0 and rng.uniform() < 0.5 else pick()
            own.directorships.append(Directorship(i, p, -1, "Directeur général", s, d))
            continue
        p = int(main_person[i]) if main_person[i] >= 0 else pick()
        main_person[i] = p
        own.directorships.append(Directorship(i, p, -1, qual, s, d))
        for _ in range(int(rng.choice([0, 0, 1, 2]))):
            extra = "Directeur général" if qual.startswith("Président") else "Co-gérant"
            own.directorships.append(Directorship(i, pick(), -1, extra, s, d))
        if companies.headcount[i] >= 50 and len(auditors) and rng.uniform() < 0.3:
            own.directorships.append(
                Directorship(i, -1, int(rng.choice(auditors)), "Commissaire aux comptes titulaire", s, d)
            )


def _independent_owners(
    rng: np.random.Generator,
    companies: Companies,
    own: Ownership,
    head_of: IntArray,
    main_person: IntArray,
    since: Callable[[], tuple[int, int]],
) -> None:
    free = np.flatnonzero((head_of < 0) & ((companies.kind == PERIMETER) | (companies.kind == SMALL)))
    for i in free.tolist():
        if rng.uniform() < 0.6 and main_person[i] >= 0:
            s, d = since()
            pct = 100.0 if rng.uniform() < 0.5 else round(float(rng.uniform(30, 95)), 2)
            own.links.append(Link(-1, int(main_person[i]), i, pct, "directe", s, d))
        if rng.uniform() < 0.02:
            # Minority stakes between independent companies.
            other = int(rng.choice(free))
            if other != i:
                s, d = since()
                own.links.append(Link(other, -1, i, round(float(rng.uniform(10, 35)), 2), "directe", s, d))


def _changes(
    rng: np.random.Generator,
    companies: Companies,
    own: Ownership,
    heads: IntArray,
    first_month: int,
    last_month: int,
    person: Callable[[], int],
) -> None:
    span = max(last_month - first_month, 1)
    initial = list(own.directorships)
    for dr in initial:
        if dr.person >= 0 and rng.uniform() < 0.04 * span / 12:
            m = first_month + int(rng.integers(0, span))
            day = int(rng.integers(1, 29))
            dr.end, dr.end_day = m, day
            own.directorships.append(Directorship(dr.company, person(), -1, dr.qualite, m, day))
    active_heads = [int(h) for h in heads if own.head_of[h] == h]
    if len(active_heads) < 2:
        return
    by_owned = {}
    for lk in own.links:
        if lk.nature == "directe" and lk.owner_company >= 0:
            by_owned[lk.owned] = lk
    movers = [int(i) for i in np.flatnonzero(own.head_of >= 0) if companies.kind[i] != HOLDING]
    for i in movers:
        if rng.uniform() >= 0.015 * span / 12 or i not in by_owned:
            continue
        old = int(own.head_of[i])
        new = int(rng.choice(active_heads))
        if new == old:
            continue
        m = first_month + int(rng.integers(1, span))
        day = int(rng.integers(1, 29))
        for lk in own.links:
            if lk.owned == i and lk.owner_company >= 0 and lk.end < 0:
                lk.end, lk.end_day = m, day
        own.links.append(Link(new, -1, i, 100.0, "directe", m, day))
        own.group_changes.append(GroupChange(i, old, new, m))
