"""Fixtures of the ingest tests: a refresher on the session's Neo4j with a per-test measure store."""

from __future__ import annotations

import sys
from pathlib import Path

# pytest puts tests/ on sys.path (no package init there), where the folder
# tests/loaders shadows the loaders package as a namespace package, and this
# folder shadows loaders.ingest. Put the project first and drop the namespace
# stand-ins (real modules already imported stay, so classes stay the same objects).
_ROOT = str(Path(__file__).resolve().parents[3])
if _ROOT not in sys.path[:1]:
    sys.path.insert(0, _ROOT)
for _name in [m for m in sys.modules if m.split(".")[0] in ("loaders", "graphstore")]:
    if getattr(sys.modules[_name], "__file__", None) is None:
        del sys.modules[_name]

import pytest  # noqa: E402

from graphstore.measures import MeasureStore  # noqa: E402
from graphstore.store import GraphStore  # noqa: E402
from loaders.refresh import Refresher, RefreshOptions  # noqa: E402


@pytest.fixture
def measures(tmp_path: Path) -> MeasureStore:
    """An empty measure store of this test."""
    return MeasureStore(tmp_path / "measures")


@pytest.fixture
def refresher(store: GraphStore, measures: MeasureStore, tmp_path: Path) -> Refresher:
    """Loads into the clean graph and this test's measure store, quietly."""
    return Refresher(store, measures, tmp_path / "rejects", RefreshOptions(progress=False, print_reports=False))
