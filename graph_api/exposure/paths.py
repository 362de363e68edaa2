"""Turns raw graph paths into company hops with a dependency weight (pure functions).

Weight of one hop, seen from the company the path starts at (the "origin" side):

- SUPPLIES, origin side supplies the other: the other's share of its sales
  (``supplier_dependency``); the other supplies it: the other's share of its
  purchases (``client_dependency``);
- OWNS (either way): the percentage owned / 100;
- a company directing the other (DIRECTS): ``DIRECTOR_WEIGHT``;
- a shared person (director or owner): ``SHARED_PERSON_WEIGHT``;
- the same group: ``SAME_GROUP_WEIGHT``.

A path's dependency is the product of its hops' weights; the path kept for a
company has the fewest hops, then the highest dependency (the search itself is
``service.related``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DIRECTOR_WEIGHT = 0.5
SHARED_PERSON_WEIGHT = 0.5
SAME_GROUP_WEIGHT = 0.5


@dataclass(frozen=True)
class Link:
    """One relationship of a hop."""

    relationship: str
    direction: str  # OUT: from the origin side to the far side
    percentage: float | None
    role: str | None
    dependency_share: float | None
    amount_12m: float | None


@dataclass(frozen=True)
class Hop:
    """One step from company ``from_siren`` to ``to_siren`` (directly or through a person or group)."""

    from_siren: str
    to_siren: str
    via: str | None  # PERSON, GROUP or None (direct)
    group_id: str | None
    links: tuple[Link, ...]
    weight: float


@dataclass(frozen=True)
class RelatedPath:
    """The best path to a related company."""

    siren: str
    hops: tuple[Hop, ...]
    dependency: float


def _f(v: Any) -> float | None:
    return float(v) if v is not None else None


def _link(rel: dict[str, Any]) -> Link:
    out = bool(rel["out"])
    share = None
    if rel["type"] == "SUPPLIES":
        share = _f(rel.get("supplier_dependency") if out else rel.get("client_dependency"))
    return Link(
        relationship=rel["type"],
        direction="OUT" if out else "IN",
        percentage=_f(rel.get("percentage")),
        role=rel.get("role"),
        dependency_share=share,
        amount_12m=_f(rel.get("amount_12m")),
    )


def _weight(links: tuple[Link, ...], via: str | None) -> float:
    if via == "PERSON":
        return SHARED_PERSON_WEIGHT
    if via == "GROUP":
        return SAME_GROUP_WEIGHT
    link = links[0]
    if link.relationship == "SUPPLIES":
        return link.dependency_share or 0.0
    if link.relationship == "OWNS":
        return (link.percentage or 0.0) / 100.0
    return DIRECTOR_WEIGHT


def hops_of(nodes: list[dict[str, Any]], rels: list[dict[str, Any]]) -> tuple[Hop, ...]:
    """The company-to-company hops of a raw path (``nodes``/``rels`` of ``service.step``)."""
    hops: list[Hop] = []
    start = 0
    for i in range(1, len(nodes)):
        if nodes[i]["kind"] != "COMPANY":
            continue
        middle = nodes[start + 1 : i]
        via = middle[0]["kind"] if middle else None
        links = tuple(_link(r) for r in rels[start:i])
        hops.append(
            Hop(
                from_siren=nodes[start]["key"],
                to_siren=nodes[i]["key"],
                via=via,
                group_id=middle[0]["key"] if via == "GROUP" else None,
                links=links,
                weight=_weight(links, via),
            )
        )
        start = i
    return tuple(hops)


@dataclass(frozen=True)
class Ranked:
    """A candidate with what the list is ranked by."""

    siren: str
    hops: int
    dependency: float
    p12: float | None
    exposure: float | None  # p12 × dependency, when the partner's score block is granted
    rank: float  # exposure, else dependency

    @property
    def key(self) -> tuple[float, int, str]:
        """The sort key: highest rank first, then fewest hops, then SIREN."""
        return (-self.rank, self.hops, self.siren)


def ranked(candidates: list[tuple[str, int, float]], p12: dict[str, float | None]) -> list[Ranked]:
    """Candidates ``(siren, hops, dependency)`` ranked by exposure when their score is known, else by dependency."""
    out = []
    for siren, hops, dependency in candidates:
        score = p12.get(siren)
        exposure = score * dependency if score is not None else None
        out.append(Ranked(siren, hops, dependency, score, exposure, exposure if exposure is not None else dependency))
    out.sort(key=lambda r: r.key)
    return out


def settled(ranking: list[Ranked], last: tuple[str, int, float], limit: int) -> bool:
    """Whether the first ``limit`` of ``ranking`` are the first ``limit`` of the whole list.

    ``ranking`` ranks the first candidates by dependency (then hops, then SIREN);
    ``last`` is the last of them. A candidate not read yet comes after ``last``
    by dependency, and its rank is at most its dependency (a p12 is a
    probability), so it can only come after the ``limit``-th ranked one if that
    one comes before ``last``.
    """
    if len(ranking) < limit:
        return False
    siren, hops, dependency = last
    return ranking[limit - 1].key <= (-dependency, hops, siren)


def unlinked(from_siren: str, to_siren: str) -> Hop:
    """A hop whose links were removed between the search and the read of the page's links."""
    return Hop(from_siren, to_siren, None, None, (), 0.0)
