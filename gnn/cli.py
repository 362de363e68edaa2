"""``signaux gnn``: contagion features for a range of months, and snapshot statistics.

Heavy imports (torch, PyG) happen inside the handlers so ``signaux --help`` stays fast.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Adds ``gnn`` and its sub-commands to the ``signaux`` parser."""
    p = sub.add_parser("gnn", help="graph neural network: out-of-fold contagion features")
    gsub = p.add_subparsers(dest="gnn_command", required=True, metavar="COMMAND")

    f = gsub.add_parser("features", help="train out of fold and write the three contagion features per company-month")
    f.add_argument("--from", dest="first", required=True, help="first month YYYY-MM")
    f.add_argument("--to", dest="last", required=True, help="last month YYYY-MM (included)")
    f.add_argument("--out", type=Path, required=True, help="output file, .parquet or .csv")
    f.add_argument("--folds", type=int, default=None, help="company folds K (default 5)")
    f.add_argument("--epochs", type=int, default=None, help="epochs per model (default 30)")
    f.add_argument("--threads", type=int, default=None, help="torch threads (default 1)")
    f.add_argument("--ensemble", type=int, default=None, help="models per (origin, fold), by seed (default 3)")
    f.add_argument("--no-measures", action="store_true", help="ignore the measure store (graph only)")
    f.add_argument("--known-on", action="store_true", help="date re-sent facts by known_on too (ResentPolicy.KNOWN_ON)")
    f.add_argument("--quiet", action="store_true", help="no progress bars")
    f.set_defaults(handler=_features, timed=True)

    s = gsub.add_parser("snapshot", help="node and edge counts of the HeteroData of a month")
    s.add_argument("--month", required=True, help="month YYYY-MM")
    s.set_defaults(handler=_snapshot, timed=True)


def _peak_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _features(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from gnn.config import GnnConfig, ResentPolicy
    from gnn.data.months import add_months, month_index, parse_month
    from gnn.export import contagion_run
    from graphstore.store import GraphStore

    first, last = parse_month(args.first), parse_month(args.last)
    months = [add_months(first, k) for k in range(month_index(last) - month_index(first) + 1)]
    config = GnnConfig(progress=not args.quiet, use_measures=not args.no_measures)
    overrides = {"folds": args.folds, "epochs": args.epochs, "threads": args.threads, "ensemble": args.ensemble}
    config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
    if args.known_on:
        config = replace(config, resent_facts=ResentPolicy.KNOWN_ON)
    started = time.perf_counter()
    run = contagion_run(GraphStore(), months, config)
    total = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.out.suffix == ".csv":
        run.features.to_csv(args.out, index=False)
    else:
        run.features.to_parquet(args.out, index=False)
    print(
        f"{len(run.features)} rows ({run.features['siren'].nunique()} companies x {len(months)} months) "
        f"-> {args.out}; {run.models} models; snapshots {run.seconds_snapshots:.1f} s, "
        f"training {run.seconds_training:.1f} s, total {total:.1f} s; peak memory {_peak_mib():.0f} MiB"
    )
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    from gnn.config import GnnConfig
    from gnn.data import build_snapshot, read_temporal_graph
    from gnn.data.distress import MeasureReader
    from gnn.data.months import parse_month
    from graphstore.store import GraphStore

    graph = read_temporal_graph(GraphStore())
    data = build_snapshot(graph, parse_month(args.month), GnnConfig(), MeasureReader())
    for node_type in data.node_types:
        print(f"{node_type}: {data[node_type].num_nodes} nodes")
    for edge_type in data.edge_types:
        print(f"{'-'.join(edge_type)}: {data[edge_type].edge_index.size(1)} edges")
    print(f"companies in procedure: {int(data['company'].in_procedure.sum())}")
    return 0
