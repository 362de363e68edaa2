"""The related-company search on the links held in memory (``exposure.linkgraph``) answers exactly what the
Cypher statement (``exposure.service.related``) answers, and ``exposure.projection`` reads the links again
when a delivery changes them.

The graphs are random, with many equal weights (0.5 everywhere for persons, groups and directors, repeated
percentages and dependencies), parallel links, ended and future ``until`` dates and an ``until`` that is not
a date, so that the ties between paths (smaller chain of SIRENs) decide many of the answers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import Awaitable, Callable
from typing import Any, LiteralString, TypeVar

import pytest
from api_support import async_store

from graph_api.exposure import service
from graph_api.exposure.linkgraph import LinkGraph
from graph_api.exposure.projection import _LINKS, LinkProjection
from graphstore.store import AsyncGraphStore, GraphStore

T = TypeVar("T")

PAST, FUTURE = dt.date(2001, 1, 1), dt.date(2099, 1, 1)


_SET: LiteralString = (
    " SET x.until = r.until, x.percentage = r.pct, x.supplier_dependency = r.sd, x.client_dependency = r.cd"
)
_MATCH_CC: LiteralString = "UNWIND $rows AS r MATCH (a:Company {siren: r.a}), (b:Company {siren: r.b}) "
_MATCH_PC: LiteralString = "UNWIND $rows AS r MATCH (a:Person {id: r.p}), (b:Company {siren: r.c}) "
_CC: dict[str, LiteralString] = {
    "OWNS": _MATCH_CC + "CREATE (a)-[x:OWNS]->(b)" + _SET,
    "DIRECTS": _MATCH_CC + "CREATE (a)-[x:DIRECTS]->(b)" + _SET,
    "SUPPLIES": _MATCH_CC + "CREATE (a)-[x:SUPPLIES]->(b)" + _SET,
}
_PC: dict[str, LiteralString] = {
    "OWNS": _MATCH_PC + "CREATE (a)-[x:OWNS]->(b)" + _SET,
    "DIRECTS": _MATCH_PC + "CREATE (a)-[x:DIRECTS]->(b)" + _SET,
}


def _random_graph(store: GraphStore, seed: int, companies: int, persons: int, groups: int, links: int) -> list[str]:
    rnd = random.Random(seed)
    sirens = [f"{rnd.randrange(10**8, 10**9)}" for _ in range(companies)]
    sirens = list(dict.fromkeys(sirens))
    store.write("UNWIND $s AS s CREATE (:Company {siren: s, name: 'Co ' + s})", {"s": sirens})
    store.write("UNWIND range(1, $n) AS i CREATE (:Person {id: 'p' + i})", {"n": persons})
    store.write("UNWIND range(1, $n) AS i CREATE (:Group {id: 'g' + i})", {"n": groups})

    def until() -> Any:
        return rnd.choice([None, None, None, None, PAST, FUTURE, "2099-01-01"])

    rows: dict[str, list[dict[str, Any]]] = {"cc": [], "pc": [], "cg": []}
    for _ in range(links):
        kind = rnd.choice(["OWNS", "OWNS", "DIRECTS", "SUPPLIES", "SUPPLIES", "PERSON", "PERSON", "GROUP"])
        a, b = rnd.choice(sirens), rnd.choice(sirens)
        if kind == "PERSON":
            rel = rnd.choice(["OWNS", "DIRECTS"])
            rows["pc"].append({"p": f"p{rnd.randint(1, persons)}", "c": a, "type": rel, "until": until(),
                               "pct": rnd.choice([None, 30.0, 50.0])})  # fmt: skip
        elif kind == "GROUP":
            rows["cg"].append({"c": a, "g": f"g{rnd.randint(1, groups)}", "until": until()})
        else:
            rows["cc"].append({
                "a": a, "b": b, "type": kind, "until": until(),
                "pct": rnd.choice([None, 10, 25.0, 50.0, 50.0, 100.0]),
                "sd": rnd.choice([None, 0.1, 0.25, 0.5, 0.5]), "cd": rnd.choice([None, 0.1, 0.25, 0.5]),
            })  # fmt: skip
    for t in ("OWNS", "DIRECTS", "SUPPLIES"):
        store.write(_CC[t], {"rows": [r for r in rows["cc"] if r["type"] == t]})
    for t in ("OWNS", "DIRECTS"):
        store.write(_PC[t], {"rows": [r for r in rows["pc"] if r["type"] == t]})
    store.write(
        "UNWIND $rows AS r MATCH (c:Company {siren: r.c}), (g:Group {id: r.g}) "
        "CREATE (c)-[x:MEMBER_OF]->(g) SET x.until = r.until",
        {"rows": rows["cg"]},
    )
    return sirens


def _run(work: Callable[[AsyncGraphStore], Awaitable[T]]) -> T:
    async def go() -> T:
        async with async_store() as s:
            return await work(s)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("seed", "companies", "persons", "groups", "links"),
    [(1, 40, 6, 3, 70), (2, 120, 20, 5, 160), (3, 300, 40, 12, 600), (4, 60, 3, 2, 150)],
)
def test_the_search_in_memory_answers_what_cypher_answers(
    store: GraphStore, seed: int, companies: int, persons: int, groups: int, links: int
) -> None:
    sirens = _random_graph(store, seed, companies, persons, groups, links)
    graph = LinkGraph(store.read(_LINKS)[0])
    today = dt.datetime.now(dt.UTC).date()
    origins = [*random.Random(seed).sample(sirens, 12), "999999999"]

    async def cypher(s: AsyncGraphStore) -> dict[tuple[str, int, int], Any]:
        return {
            (o, hops, first): await service.related(s, o, hops, first)
            for o in origins
            for hops in (1, 2, 3)
            for first in (0, 1, 3, 10, 1000)
        }

    expected = _run(cypher)
    reached = 0
    for (origin, hops, first), (total, top) in expected.items():
        assert graph.related(origin, hops, first, today) == (total, top), (origin, hops, first)
        reached += total
    assert reached > 0
    # the ties are real: some kept paths were chosen among equal dependencies
    assert any(len(top) > 1 and top[0].dependency == top[1].dependency for total, top in expected.values())


def test_a_link_ended_or_not_a_date_is_not_followed(store: GraphStore) -> None:
    store.write(
        "CREATE (a:Company {siren: '100000001'}), (b:Company {siren: '100000002'}), (c:Company {siren: '100000003'}),"
        " (d:Company {siren: '100000004'}), (a)-[:OWNS {percentage: 60.0, until: $past}]->(b),"
        " (a)-[:OWNS {percentage: 40.0, until: $future}]->(c), (a)-[:OWNS {percentage: 40.0, until: 'never'}]->(d)",
        {"past": PAST, "future": FUTURE},
    )
    graph = LinkGraph(store.read(_LINKS)[0])
    total, top = graph.related("100000001", 3, 10, dt.date(2026, 11, 26))
    assert total == 1 and [(c.siren, c.dependency, c.chain) for c in top] == [
        ("100000003", 0.4, ("100000001", "100000003"))
    ]
    # on its last day, the ended link is still followed
    assert graph.related("100000001", 1, 10, PAST)[0] == 2


def test_the_links_are_read_again_when_a_delivery_changes_them(store: GraphStore) -> None:
    store.write(
        "CREATE (a:Company {siren: '200000001'}), (b:Company {siren: '200000002'}), (c:Company {siren: '200000003'}),"
        " (a)-[:SUPPLIES {supplier_dependency: 0.5, client_dependency: 0.1}]->(b),"
        " (:Delivery {id: '2026-10', status: 'loaded', loaded_at: datetime('2026-11-01T00:00:00Z')})"
    )

    async def scenario(s: AsyncGraphStore) -> list[Any]:
        projection = LinkProjection(s, max_age=600.0)
        seen: list[Any] = []

        async def snapshot() -> None:
            graph = await projection.graph()
            seen.append((projection.builds, None if graph is None else graph.related("200000001", 2, 10, FUTURE)[0]))

        await snapshot()  # read once
        await snapshot()  # nothing changed: not read again
        # a delivery starts and adds a link: the live graph answers meanwhile
        await s.write("MATCH (d:Delivery) SET d.status = 'loading'")
        await s.write(
            "MATCH (b:Company {siren: '200000002'}), (c:Company {siren: '200000003'}) CREATE (b)-[:OWNS {percentage: 10.0}]->(c)"
        )
        await snapshot()
        # it finishes: read again, with the new link
        await s.write("MATCH (d:Delivery) SET d.status = 'loaded', d.loaded_at = datetime('2026-12-01T00:00:00Z')")
        await snapshot()
        # a property changed by hand, outside any delivery: seen once the links are older than the max age
        await s.write("MATCH ()-[r:OWNS]->() SET r.until = date('2001-01-01')")
        await snapshot()
        projection._max_age = 0.0
        await snapshot()
        # many requests at once after a change: the links are read once
        await s.write(
            "MATCH (a:Company {siren: '200000001'}), (c:Company {siren: '200000003'}) CREATE (a)-[:OWNS {percentage: 5.0}]->(c)"
        )
        projection._max_age = 600.0
        await asyncio.gather(*(snapshot() for _ in range(10)))
        return seen

    seen = _run(scenario)
    assert seen[:6] == [(1, 1), (1, 1), (1, None), (2, 2), (2, 2), (3, 1)]
    assert seen[6:] == [(4, 2)] * 10
