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
    person = [{"kind": "COMPANY", "key": "a"}, {"kind": "PERSON", "key": None}, {"kind": "COMPANY", "key": "b"}]
    directs = [{"type": "DIRECTS", "out": False, "role": "gérant"}, {"type": "DIRECTS", "out": True, "role": "pdg"}]
    first = paths.extend({}, "a", [{"origin": "a", "siren": "b", "nodes": person, "rels": directs}])
    supplies = {"type": "SUPPLIES", "out": False, "supplier_dependency": 0.9, "client_dependency": 0.25}
    row = {
        "origin": "b",
        "siren": "c",
        "nodes": [{"kind": "COMPANY", "key": "b"}, {"kind": "COMPANY", "key": "c"}],
        "rels": [supplies],
    }
    best = paths.extend(first, "a", [row])["c"]
    assert [(h.from_siren, h.to_siren, h.via) for h in best.hops] == [("a", "b", "PERSON"), ("b", "c", None)]
    assert best.hops[1].links[0].dependency_share == 0.25  # c supplies b: c's share of b's purchases
    assert best.dependency == pytest.approx(paths.SHARED_PERSON_WEIGHT * 0.25)


def test_extend_keeps_the_highest_dependency() -> None:
    def owns(origin: str, pct: float) -> dict[str, object]:
        nodes = [{"kind": "COMPANY", "key": origin}, {"kind": "COMPANY", "key": "z"}]
        return {
            "origin": origin,
            "siren": "z",
            "nodes": nodes,
            "rels": [{"type": "OWNS", "out": True, "percentage": pct}],
        }

    level1 = {
        "x": paths.RelatedPath("x", (), 0.5),
        "y": paths.RelatedPath("y", (), 0.9),
    }
    found = paths.extend(level1, "a", [owns("x", 100.0), owns("y", 60.0)])
    assert found["z"].dependency == pytest.approx(0.54)
