"""Benchmark of the failure model on a loaded region: training, scoring a month, peak memory.

Runs against the configured Neo4j and measure store (``SIGNAUX_DATA_DIR``,
``SIGNAUX_NEO4J_PORT`` or ``NEO4J_URI``) after ``signaux refresh``. Prints times,
peak memory and a linear projection to the national perimeter (about 350,000
companies). Not a test: figures only.

    .venv/bin/python bench/bench_scoring.py --as-of 2025-06 --period 2025-07 --months 6

``--months N`` scores N consecutive months from ``--period`` with the same model,
so that the detection lists are lists of *new* alerts (a company alerted in the
previous six months is not listed again), as in production.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from graphstore.measures import MeasureStore
from graphstore.settings import get_settings
from graphstore.store import GraphStore
from scoring.config import ScoringConfig
from scoring.months import format_period, parse_period
from scoring.pipeline import FEATURE_HISTORY, load_facts, score, train

NATIONAL = 350_000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> None:
    """Runs the benchmark and prints the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--as-of", required=True)
    ap.add_argument("--period", required=True)
    ap.add_argument("--no-gnn", action="store_true")
    ap.add_argument("--months", type=int, default=1, help="consecutive months scored from --period")
    args = ap.parse_args()
    store, ms = GraphStore(), MeasureStore()
    cfg = ScoringConfig()
    t = parse_period(args.as_of)
    models = Path(tempfile.mkdtemp(prefix="bench-models-"))

    t0 = time.monotonic()
    first = t - cfg.model.calibration_months - cfg.model.history_months - FEATURE_HISTORY
    facts = load_facts(store, ms, first, t)
    load_s = time.monotonic() - t0
    t0 = time.monotonic()
    trained = train(args.as_of, store, ms, models, cfg, inputs=facts, use_gnn=not args.no_gnn)
    train_s = time.monotonic() - t0
    peak_train = _peak_mb()

    times: list[float] = []
    lists: list[str] = []
    n = 0
    for k in range(args.months):
        period = format_period(parse_period(args.period) + k)
        t0 = time.monotonic()
        scored = score(period, store, ms, models, cfg, version=trained.version, out=models / f"scores-{period}.csv")
        times.append(time.monotonic() - t0)
        n = int((~scored.scores["in_procedure"]).sum())
        levels = scored.scores["alert"].value_counts().to_dict()
        per_region = scored.listed.groupby("region").size().to_dict() if len(scored.listed) else {}
        lists.append(f"{period}: {len(scored.listed)} new")
        print(
            f"scoring {period}: {times[-1]:.1f} s {scored.seconds}; {n} companies; alerts {levels}; list {per_region}"
        )
    factor = NATIONAL / max(n, 1)
    score_s = max(times)
    print(f"region: {n} companies scored, settings {get_settings().data_dir}")
    print(f"training as of {args.as_of}: load measures {load_s:.1f} s + train {train_s:.1f} s {trained.seconds}")
    print(f"  = {load_s + train_s:.1f} s in all (target < 600 s); peak RSS {peak_train:.0f} MB")
    print(f"scoring a month: {min(times):.1f} to {score_s:.1f} s (target < 60 s); peak RSS {_peak_mb():.0f} MB")
    print(f"detection lists: {'; '.join(lists)}")
    print(
        f"national projection (x{factor:.0f}, linear in companies): training {(load_s + train_s) * factor / 60:.0f} min, "
        f"scoring {score_s * factor / 60:.1f} min, peak memory ~{peak_train * factor / 1024:.1f} GB "
        "(panel held in memory; chunking by département would bound it)"
    )


if __name__ == "__main__":
    main()
