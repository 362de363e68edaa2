"""Watch mode: a delivery folder dropped into the watched folder gets loaded, once it is stable."""

from __future__ import annotations

import threading
from pathlib import Path

from ingest_world import siren, sirene_files, write_delivery

from graphstore.store import GraphStore
from loaders.refresh import Refresher
from loaders.report import DeliveryStatus
from loaders.watch import Watcher

A, B = siren(21), siren(22)


def _companies(store: GraphStore) -> list[str]:
    return [r["s"] for r in store.read("MATCH (c:Company) RETURN c.siren AS s ORDER BY s")]


def test_a_new_folder_is_loaded_once_stable(refresher: Refresher, store: GraphStore, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    write_delivery(drop, "2024-01", sirene_files([(A, "ALPHA")]))
    watcher = Watcher(drop, refresher, interval=0.01)
    assert watcher.poll() == []  # first sight: wait one interval to be sure it is complete
    [first] = watcher.poll()
    assert (first.delivery, first.status) == ("2024-01", DeliveryStatus.LOADED)
    assert watcher.poll() == []  # nothing new

    write_delivery(drop, "2024-02", sirene_files([(A, "ALPHA"), (B, "BETA")]))
    (drop / "2024-02" / "notes").mkdir()  # sub-folders are not files: ignored
    assert watcher.poll() == []
    [second] = watcher.poll()
    assert second.delivery == "2024-02"
    assert _companies(store) == [A, B]
    assert watcher.poll() == []


def test_the_watch_loop_picks_up_a_folder_dropped_while_it_runs(
    refresher: Refresher, store: GraphStore, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    watcher = Watcher(drop, refresher, interval=0.05)
    stop = threading.Event()
    loaded = threading.Event()

    def done() -> bool:
        if store.read("MATCH (d:Delivery {status: 'loaded'}) RETURN count(d) AS n")[0]["n"]:
            loaded.set()
        return stop.is_set() or loaded.is_set()

    thread = threading.Thread(target=watcher.run, kwargs={"stop": done, "max_polls": 2000}, daemon=True)
    thread.start()
    write_delivery(drop, "2024-03", sirene_files([(A, "ALPHA")]))
    assert loaded.wait(timeout=120)
    stop.set()
    thread.join(timeout=30)
    assert _companies(store) == [A]
