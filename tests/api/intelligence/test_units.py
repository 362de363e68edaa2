"""Pure parts of search, timeline and exposure (no Neo4j)."""

from __future__ import annotations

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
    nodes = [
        {"kind": "COMPANY", "key": "a"},
        {"kind": "PERSON", "key": None},
        {"kind": "COMPANY", "key": "b"},
        {"kind": "COMPANY", "key": "c"},
    ]
    rels = [
        {"type": "DIRECTS", "out": False, "role": "gérant"},
        {"type": "DIRECTS", "out": True, "role": "président"},
        {"type": "SUPPLIES", "out": False, "supplier_dependency": 0.9, "client_dependency": 0.25},
    ]
    best = paths.best_paths([{"siren": "c", "nodes": nodes, "rels": rels}])["c"]
    assert [(h.from_siren, h.to_siren, h.via) for h in best.hops] == [("a", "b", "PERSON"), ("b", "c", None)]
    assert best.hops[1].links[0].dependency_share == 0.25  # c supplies b: c's share of b's purchases
    assert best.dependency == pytest.approx(paths.SHARED_PERSON_WEIGHT * 0.25)
