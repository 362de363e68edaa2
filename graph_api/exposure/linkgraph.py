"""The companies' links held in memory as arrays, and the related-company search run on them.

``service.related`` answers the search with one Cypher statement that walks
about 50,000 relationships for a 3-hop question on the default region (2.5 s
alone, tens of seconds with 20 clients: docs/api-benchmark.md). The links
change only when a delivery is loaded, so the API keeps them as arrays
(``projection.py`` decides when they must be read again) and runs the same
search here with numpy, level by level, in a few milliseconds.

The answer is **the same as the Cypher statement's**, row for row (checked
against it on random graphs by the tests):

- a hop is a direct link (OWNS, DIRECTS, SUPPLIES between companies) or a
  shared person or group, with the weights of ``paths.py`` seen from the
  company the hop starts at;
- a company's level is its fewest hops; its dependency is the highest product
  of weights over the kept paths of the level before, ties going to the
  smaller chain of SIRENs from the origin;
- a person or group is reached once per level, from the best frontier company
  touching it (its weight does not depend on the companies);
- a link whose ``until`` is a date before ``today`` is not followed (``until``
  of another type is never ``>= date()`` in Cypher either);
- a level is widened only from a frontier of at most ``FRONTIER_LIMIT`` companies.

Chains are compared through ranks: every chain of a level has the same length,
so the order of two chains is the order of their parents' chains, then of the
companies' SIRENs (companies are numbered in SIREN order).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from graph_api.exposure import paths

FRONTIER_LIMIT = 20_000
"""A level is widened only from a frontier of at most this many companies."""

_NO_END = np.iinfo(np.int64).max
_NEVER = np.iinfo(np.int64).min  # an ``until`` that is not a date: never followed

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Candidate:
    """A company reached by the search, with its kept path's dependency and companies."""

    siren: str
    hops: int
    dependency: float
    chain: tuple[str, ...]  # the SIRENs from the origin to this company, both included


@dataclass(frozen=True)
class _Adjacency:
    """Directed adjacency in compressed rows: the links of node ``i`` are ``ptr[i]:ptr[i + 1]``."""

    ptr: Ints
    dst: Ints
    until: Ints
    weight: Floats

    @staticmethod
    def of(n: int, src: Ints, dst: Ints, until: Ints, weight: Floats) -> _Adjacency:
        order = np.argsort(src, kind="stable")
        ptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=ptr[1:])
        return _Adjacency(ptr, dst[order], until[order], weight[order])

    def on(self, day: int) -> _Adjacency:
        """The links followed on ``day`` (``until`` absent or not before it)."""
        keep = self.until >= day
        kept = np.zeros(len(keep) + 1, dtype=np.int64)
        np.cumsum(keep, out=kept[1:])
        return _Adjacency(kept[self.ptr], self.dst[keep], self.until[keep], self.weight[keep])

    def gather(self, nodes: Ints) -> tuple[Ints, Ints]:
        """Every link of ``nodes``: (position in ``nodes``, link index)."""
        starts = self.ptr[nodes]
        counts = self.ptr[nodes + 1] - starts
        pos = np.repeat(np.arange(len(nodes), dtype=np.int64), counts)
        return pos, self._links(starts, counts)

    def targets(self, nodes: Ints) -> Ints:
        """The far end of every link of ``nodes``."""
        starts = self.ptr[nodes]
        return self.dst[self._links(starts, self.ptr[nodes + 1] - starts)]

    @staticmethod
    def _links(starts: Ints, counts: Ints) -> Ints:
        before = np.cumsum(counts) - counts
        return np.repeat(starts - before, counts) + np.arange(int(counts.sum()), dtype=np.int64)


def _best_per_key(size: int, key: Ints, dep: Floats, rank: Ints) -> tuple[Ints, Floats, Ints]:
    """For each distinct ``key`` (ascending): its highest ``dep``, and the lowest ``rank`` among its rows with it.

    Args:
        size: keys are below this (the scratch arrays are this long; dense, as a
            level reaches a large share of the graph).
    """
    best = np.full(size, -np.inf)
    np.maximum.at(best, key, dep)
    at_best = dep == best[key]
    low = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(low, key[at_best], rank[at_best])
    keys = np.flatnonzero(low != np.iinfo(np.int64).max)
    return keys, best[keys], low[keys]


def _threshold(found: list[tuple[Ints, Ints, Floats]], first: int) -> float:
    """The ``first``-th highest dependency found so far (``+inf`` for ``first`` < 1, ``-inf`` if fewer)."""
    if first < 1:
        return float(np.inf)
    ds = np.concatenate([f[2] for f in found]) if found else np.zeros(0)
    return float(-np.partition(-ds, first - 1)[first - 1]) if len(ds) >= first else float(-np.inf)


def _until(value: Any) -> int:
    if value is None:
        return int(_NO_END)
    to_ordinal = getattr(value, "to_ordinal", None)  # neo4j.time.Date
    if type(value).__name__ == "Date" and to_ordinal is not None:
        return int(to_ordinal())
    if type(value) is dt.date:
        return value.toordinal()
    return int(_NEVER)


def _number(value: Any) -> float:
    return 0.0 if value is None else float(value)


class LinkGraph:
    """The OWNS, DIRECTS, MEMBER_OF and SUPPLIES links of every company, as arrays.

    Args:
        columns: one list per field, one item per relationship (a single record
            decodes about 8 times faster than one record per relationship):
            ``type``; ``ac``, ``ag``, ``ak`` for its start node (a company?, a
            group?, key: the SIREN of a company (empty: none), any unique id
            otherwise), ``bc``, ``bg``, ``bk`` for its end node; ``props``: its
            ``[until, percentage, supplier_dependency, client_dependency]``
            (in a list, as ``collect`` drops nulls).
    """

    def __init__(self, columns: Mapping[str, Sequence[Any]]) -> None:
        company: dict[str, int] = {}
        other: dict[str, int] = {}
        group: list[bool] = []
        cc: list[tuple[str, str, int, float, float]] = []  # start, end, until, weight out, weight in
        ci: list[tuple[str, str, int]] = []  # company, intermediary, until
        c = columns
        for i, kind in enumerate(c["type"]):
            ac, ak, bc, bk = c["ac"][i], c["ak"][i], c["bc"][i], c["bk"][i]
            if not ak or not bk:
                continue
            until_value, percentage, supplier_dependency, client_dependency = c["props"][i]
            until = _until(until_value)
            for is_company, key, is_group in ((ac, ak, c["ag"][i]), (bc, bk, c["bg"][i])):
                if is_company:
                    company.setdefault(key, 0)
                elif key not in other:
                    other[key] = len(other)
                    group.append(bool(is_group))
            if ac and bc:
                if kind == "SUPPLIES":
                    w_out, w_in = _number(supplier_dependency), _number(client_dependency)
                elif kind == "OWNS":
                    w_out = w_in = _number(percentage) / 100.0
                else:
                    w_out = w_in = paths.DIRECTOR_WEIGHT
                cc.append((ak, bk, until, w_out, w_in))
            elif ac != bc:
                ci.append((ak, bk, until) if ac else (bk, ak, until))
        self.sirens: list[str] = sorted(company)
        self.index: dict[str, int] = {s: i for i, s in enumerate(self.sirens)}
        n, m = len(self.sirens), len(other)
        self.companies, self.intermediaries = n, m
        self.links = len(cc) + len(ci)

        def ints(values: Iterable[int]) -> Ints:
            return np.fromiter(values, dtype=np.int64)

        s, e = ints(self.index[x[0]] for x in cc), ints(self.index[x[1]] for x in cc)
        u = ints(x[2] for x in cc)
        out_w = np.fromiter((x[3] for x in cc), dtype=np.float64)
        in_w = np.fromiter((x[4] for x in cc), dtype=np.float64)
        # Both directions of a link between companies, each with the weight seen from its start.
        self._cc = _Adjacency.of(n, np.concatenate([s, e]), np.concatenate([e, s]), np.concatenate([u, u]),
                                 np.concatenate([out_w, in_w]))  # fmt: skip
        co, k = ints(self.index[x[0]] for x in ci), ints(other[x[1]] for x in ci)
        u2 = ints(x[2] for x in ci)
        self._is_group: Bools = np.array(group, dtype=bool)
        weight = np.where(self._is_group, paths.SAME_GROUP_WEIGHT, paths.SHARED_PERSON_WEIGHT)
        self._ci = _Adjacency.of(n, co, k, u2, weight[k])
        self._ic = _Adjacency.of(m, k, co, u2, np.zeros(len(co)))
        self._day: tuple[int, tuple[_Adjacency, _Adjacency, _Adjacency]] | None = None

    def related(self, siren: str, max_hops: int, first: int, today: dt.date) -> tuple[int, list[Candidate]]:
        """The companies within ``max_hops`` of ``siren``: their number, and the ``first`` of them by
        dependency (highest first), then hops, then SIREN (``service.related``'s answer).

        The last level is only counted, except its companies above the ``first``-th
        dependency of the levels before (``t``): one at or below it comes after those
        ``first`` (same or lower dependency, more hops), as in the Cypher statement.
        """
        origin = self.index.get(siren)
        if origin is None:
            return 0, []
        adjacency = self._on(today.toordinal())
        seen = np.zeros(self.companies, dtype=bool)
        seen[origin] = True
        parent = np.full(self.companies, -1, dtype=np.int64)
        f_node = np.array([origin], dtype=np.int64)
        f_dep = np.array([1.0])
        f_rank = np.array([0], dtype=np.int64)
        found: list[tuple[Ints, Ints, Floats]] = []
        total = 0
        for level in range(1, max_hops + 1):
            if len(f_node) == 0 or len(f_node) > FRONTIER_LIMIT:
                break
            last = level == max_hops
            t = _threshold(found, first) if last else -np.inf
            live = f_dep > t  # a frontier company at or below t leads only to companies at or below it
            step = self._step(f_node[live], f_dep[live], f_rank[live], seen, adjacency, t)
            x, d, k = _best_per_key(self.companies, *step)
            by_rank = np.empty(len(f_rank), dtype=np.int64)
            by_rank[f_rank] = np.arange(len(f_rank))
            parent[x] = f_node[by_rank[k]]
            found.append((x, np.full(len(x), level, dtype=np.int64), d))
            if last:
                total += int(np.count_nonzero(self._reach(f_node, adjacency) & ~seen))
                break
            total += len(x)
            seen[x] = True
            rank = np.empty(len(x), dtype=np.int64)
            rank[np.lexsort((x, k))] = np.arange(len(x))
            f_node, f_dep, f_rank = x, d, rank
        if not found or first < 1:
            return total, []
        xs = np.concatenate([f[0] for f in found])
        hs = np.concatenate([f[1] for f in found])
        ds = np.concatenate([f[2] for f in found])
        # Only the companies at or above the ``first``-th dependency can be in the page: sort those.
        head = np.flatnonzero(ds >= -np.partition(-ds, first - 1)[first - 1]) if len(ds) > first else np.arange(len(ds))
        top = head[np.lexsort((xs[head], hs[head], -ds[head]))][:first]
        return total, [
            Candidate(self.sirens[xs[i]], int(hs[i]), float(ds[i]), self._chain(int(xs[i]), parent)) for i in top
        ]

    def _on(self, day: int) -> tuple[_Adjacency, _Adjacency, _Adjacency]:
        """The three adjacencies without the links ended before ``day`` (kept for the day)."""
        if self._day is None or self._day[0] != day:
            self._day = (day, (self._cc.on(day), self._ci.on(day), self._ic.on(day)))
        return self._day[1]

    def _step(
        self,
        f_node: Ints,
        f_dep: Floats,
        f_rank: Ints,
        seen: Bools,
        adjacency: tuple[_Adjacency, _Adjacency, _Adjacency],
        t: float,
    ) -> tuple[Ints, Floats, Ints]:
        """One level's candidate rows above ``t`` (company, dependency, rank of the parent's chain),
        before the best of each company is kept."""
        cc, ci, ic = adjacency
        pos, e = cc.gather(f_node)
        x1, d1, k1 = cc.dst[e], f_dep[pos] * cc.weight[e], f_rank[pos]
        ok = (d1 > t) & ~seen[x1]
        x1, d1, k1 = x1[ok], d1[ok], k1[ok]
        # Through a person or group: its best frontier company first, then its companies.
        pos, e = ci.gather(f_node)
        via, dv, kv = ci.dst[e], f_dep[pos] * ci.weight[e], f_rank[pos]
        ok = dv > t
        via, dv, kv = _best_per_key(self.intermediaries, via[ok], dv[ok], kv[ok])
        pos, e = ic.gather(via)
        x2 = ic.dst[e]
        ok = ~seen[x2]
        return np.concatenate([x1, x2[ok]]), np.concatenate([d1, dv[pos][ok]]), np.concatenate([k1, kv[pos][ok]])

    def _reach(self, f_node: Ints, adjacency: tuple[_Adjacency, _Adjacency, _Adjacency]) -> Bools:
        """The companies one hop from ``f_node`` (the frontier included when linked to itself)."""
        cc, ci, ic = adjacency
        hit = np.zeros(self.companies, dtype=bool)
        hit[cc.targets(f_node)] = True
        via = np.zeros(self.intermediaries, dtype=bool)
        via[ci.targets(f_node)] = True
        hit[ic.targets(np.flatnonzero(via))] = True
        return hit

    def _chain(self, node: int, parent: Ints) -> tuple[str, ...]:
        out = []
        while node >= 0:
            out.append(self.sirens[node])
            node = int(parent[node])
        return tuple(reversed(out))
