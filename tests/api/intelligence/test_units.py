"""Pure parts of search, timeline and exposure (no Neo4j)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from graph_api.exposure import paths
from graph_api.search import service as search
from graph_api.timeline import kinds
from graph_api.timeline import service as timeline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Écl", "(ecl OR ecl*)"),
        ("Boulangerie  ÉCLAIR", "boulangerie AND (eclair OR eclair*)"),
        ('x" OR *:y', "x AND or AND (y OR y*)"),
        ("AND NOT", "and AND (not OR not*)"),
        ("()[]{}^~*?\\/", None),
        ("", None),
    ],
)
def test_lucene_query(text: str, expected: str | None) -> None:
    assert search.lucene_query(text) == expected


def test_search_cursor_round_trip() -> None:
    assert search.decode_offset(search.encode_offset(41)) == 41
    assert search.decode_offset("garbage!") is None
    assert search.decode_offset(timeline.encode(timeline.Key(date(2025, 1, 1), "x"))) is None


def test_timeline_cursor_round_trip() -> None:
    key = timeline.Key(date(2025, 1, 31), "debt_appears:1:2025-01")
    assert timeline.decode(timeline.encode(key)) == key
    assert timeline.decode(search.encode_offset(3)) is None


def test_kinds_default_deny() -> None:
    assert kinds.block_of("unknown") is None
    assert "unknown" not in kinds.visible_kinds(set(kinds.BLOCK_KINDS))
    assert "debt_appears" not in kinds.visible_kinds(set())
    assert "insolvency_judgment" in kinds.visible_kinds(set())


def test_hops_through_person_and_supplies() -> None:
    person = [{"kind": "COMPANY", "key": "a"}, {"kind": "PERSON", "key": None}, {"kind": "COMPANY", "key": "b"}]
    directs = [{"type": "DIRECTS", "out": False, "role": "gérant"}, {"type": "DIRECTS", "out": True, "role": "pdg"}]
    (first,) = paths.hops_of(person, directs)
    assert (first.from_siren, first.to_siren, first.via) == ("a", "b", "PERSON")
    assert first.weight == paths.SHARED_PERSON_WEIGHT
    supplies = {"type": "SUPPLIES", "out": False, "supplier_dependency": 0.9, "client_dependency": 0.25}
    (second,) = paths.hops_of([{"kind": "COMPANY", "key": "b"}, {"kind": "COMPANY", "key": "c"}], [supplies])
    assert second.links[0].dependency_share == 0.25  # c supplies b: c's share of b's purchases
    assert second.weight == 0.25


def _best_first(
    candidates: list[tuple[str, int, float]], p12: dict[str, float | None], limit: int, batch: int
) -> list[paths.Ranked]:
    """What ``resolvers._top`` does, on candidates already sorted by dependency."""
    first = batch
    while True:
        read = candidates[:first]
        ranking = paths.ranked(read, {s: p12[s] for s, *_ in read if s in p12})
        if len(read) >= len(candidates) or paths.settled(ranking, read[-1], limit):
            return ranking[:limit]
        first *= 2


@pytest.mark.parametrize("seed", range(40))
def test_best_first_page_is_the_head_of_the_full_ranking(seed: int) -> None:
    rng = random.Random(seed)
    deps = [0.5, 0.25, 0.125, 0.3, 0.9, 0.0, 1.0]
    rows = [(f"{i:09d}", rng.randint(1, 3), rng.choice(deps) * rng.choice([1.0, 0.5, rng.random()])) for i in range(80)]
    rows.sort(key=lambda r: (-r[2], r[1], r[0]))
    granted = {s: (rng.choice([None, 0.0, 1.0, rng.random()])) for s, *_ in rows if rng.random() < 0.6}
    for limit in (1, 5, 20):
        expected = paths.ranked(rows, granted)[:limit]
        for batch in (1, 3, 10, 100):
            assert _best_first(rows, granted, limit, batch) == expected


def test_settled_needs_a_full_page() -> None:
    ranking = paths.ranked([("a", 1, 0.5)], {})
    assert not paths.settled(ranking, ("a", 1, 0.5), 2)
    assert paths.settled(ranking, ("a", 1, 0.5), 1)
