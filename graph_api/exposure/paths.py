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
company has the fewest hops, then the highest dependency.
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


def extend(best: dict[str, RelatedPath], origin: str, rows: list[dict[str, Any]]) -> dict[str, RelatedPath]:
    """The companies one hop further: each new one with its best path (highest dependency).

    Args:
        best: the paths found so far, by SIREN (the origin company is not in it).
        origin: the SIREN of the company asked about.
        rows: the links of ``service.step`` out of the last hop's companies.

    Returns:
        The paths to the newly reached companies (``best`` is not changed).
    """
    found: dict[str, RelatedPath] = {}
    for row in rows:
        segment = hops_of(row["nodes"], row["rels"])
        if len(segment) != 1:
            continue
        parent = best.get(row["origin"]) if row["origin"] != origin else RelatedPath(origin, (), 1.0)
        if parent is None:
            continue
        hop = segment[0]
        candidate = RelatedPath(row["siren"], (*parent.hops, hop), parent.dependency * hop.weight)
        current = found.get(row["siren"])
        if current is None or _better(candidate, current):
            found[row["siren"]] = candidate
    return found


def _better(a: RelatedPath, b: RelatedPath) -> bool:
    if a.dependency != b.dependency:
        return a.dependency > b.dependency
    return [h.from_siren for h in a.hops] < [h.from_siren for h in b.hops]
