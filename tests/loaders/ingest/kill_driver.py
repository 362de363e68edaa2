"""Runs a refresh in a child process and SIGKILLs itself after N committed batches.

Usage: ``python kill_driver.py DROP_DIR MEASURES_DIR REJECTS_DIR N``. The Neo4j
connection comes from the environment (``NEO4J_URI``, ``NEO4J_PASSWORD``).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from graphstore.measures import MeasureStore
from graphstore.store import GraphStore
from loaders.refresh import Refresher, RefreshOptions


def main() -> None:
    drop, measures, rejects, n = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    batches = 0

    def hook(_: int) -> None:
        nonlocal batches
        batches += 1
        if batches >= n:
            os.kill(os.getpid(), signal.SIGKILL)  # no cleanup, no finally: a real crash

    # No worker processes: they would outlive the killed parent.
    options = RefreshOptions(progress=False, batch_rows=1, on_batch=hook, print_reports=False, workers=0)
    Refresher(GraphStore(), MeasureStore(measures), rejects, options).refresh(drop)


if __name__ == "__main__":
    main()
