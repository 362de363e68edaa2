"""A refresh killed half-way and started again ends with the same graph and measures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ingest_world import clean_graph, graph_snapshot, measures_snapshot, two_deliveries

from graphstore.connection import resolve_connection
from graphstore.measures import MeasureStore
from graphstore.settings import get_settings
from graphstore.store import GraphStore
from loaders.refresh import Refresher, RefreshOptions
from loaders.report import DeliveryStatus


class Killed(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the loader catches it."""


def _comparable(snap: dict[str, Any]) -> dict[str, Any]:
    # Delivery.report says which files a resumed run found already loaded: it is
    # about the run, not the data. Everything else must be identical.
    nodes = [n for n in snap["nodes"] if '"Delivery"' not in n]
    return {"nodes": nodes, "rels": snap["rels"]}


def _assert_same(got: dict[str, Any], want: dict[str, Any]) -> None:
    for part in ("nodes", "rels"):
        extra = sorted(set(got[part]) - set(want[part]))
        missing = sorted(set(want[part]) - set(got[part]))
        assert (extra, missing) == ([], []), f"{part}: unexpected {extra[:3]}, missing {missing[:3]}"
        assert got[part] == want[part]  # and no duplicates


def _quiet(ms: MeasureStore, tmp: Path, **kw: Any) -> Refresher:
    return Refresher(GraphStore(), ms, tmp / "rejects", RefreshOptions(progress=False, print_reports=False, **kw))


@pytest.fixture
def reference(store: GraphStore, tmp_path: Path) -> tuple[Path, int, dict[str, Any], dict[str, list[str]]]:
    """The two deliveries loaded without interruption: (drop, batches, graph snapshot, measures snapshot)."""
    drop = tmp_path / "drop"
    two_deliveries(drop)
    ms = MeasureStore(tmp_path / "ref-measures")
    batches: list[int] = []
    # Sequential here, measure files in worker processes in the runs compared to it.
    reports = _quiet(ms, tmp_path, batch_rows=1, on_batch=batches.append, workers=0).refresh(drop)
    assert [r.status for r in reports] == [DeliveryStatus.LOADED, DeliveryStatus.LOADED]
    snap = graph_snapshot(store), measures_snapshot(ms)
    clean_graph(store)
    return drop, len(batches), *snap


@pytest.mark.parametrize("when", [0.0, 0.25, 0.5, 0.75, 0.99])
def test_injected_crash_then_resume(
    reference: tuple[Path, int, dict[str, Any], dict[str, list[str]]], store: GraphStore, tmp_path: Path, when: float
) -> None:
    drop, total, ref_graph, ref_measures = reference
    kill_after = 1 + int(when * (total - 1))
    ms = MeasureStore(tmp_path / "measures")
    batches = 0

    def crash(_: int) -> None:
        nonlocal batches
        batches += 1
        if batches == kill_after:
            raise Killed

    with pytest.raises(Killed):
        _quiet(ms, tmp_path, batch_rows=1, on_batch=crash).refresh(drop)
    assert store.read("MATCH (d:Delivery {status: 'loaded'}) RETURN count(d) AS n")[0]["n"] < 2
    _quiet(ms, tmp_path, batch_rows=1).refresh(drop)
    _assert_same(_comparable(graph_snapshot(store)), _comparable(ref_graph))
    assert measures_snapshot(ms) == ref_measures


def test_sigkill_then_resume(
    reference: tuple[Path, int, dict[str, Any], dict[str, list[str]]], store: GraphStore, tmp_path: Path
) -> None:
    drop, total, ref_graph, ref_measures = reference
    info = resolve_connection(get_settings())
    env = {**os.environ, "NEO4J_URI": info.uri, "NEO4J_USER": info.user, "NEO4J_PASSWORD": info.password}
    measures_dir = tmp_path / "measures"
    driver = Path(__file__).with_name("kill_driver.py")
    proc = subprocess.run(
        [sys.executable, str(driver), str(drop), str(measures_dir), str(tmp_path / "rejects"), str(total // 2)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    loaded = store.read("MATCH (f:SourceFile) RETURN count(f) AS n")[0]["n"]
    assert 0 < loaded < 19  # it died in the middle: some of the 19 files done, not all
    ms = MeasureStore(measures_dir)
    _quiet(ms, tmp_path, batch_rows=1).refresh(drop)
    _assert_same(_comparable(graph_snapshot(store)), _comparable(ref_graph))
    assert measures_snapshot(ms) == ref_measures
