"""``signaux train``, ``signaux score`` and ``signaux evaluate``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Adds the scoring sub-commands to the ``signaux`` parser."""
    p = sub.add_parser("train", help="train the failure model on what was known at a month")
    p.add_argument("--as-of", required=True, metavar="YYYY-MM", help="labels and features known by this month's end")
    p.add_argument("--variant", default=None, help="feature set: tabular, tabular+graph, tabular+graph+gnn, gnn")
    p.add_argument("--no-gnn", action="store_true", help="do not ask the GNN package for its features")
    p.add_argument("--calibration-months", type=int, default=None, help="held-out months for calibration")
    p.set_defaults(handler=_train, timed=True)

    p = sub.add_parser("score", help="score every company of a month, publish the detection list")
    p.add_argument("--period", required=True, metavar="YYYY-MM")
    p.add_argument("--out", type=Path, default=None, help="also write siren,period,p12,p18,p24,alert to this CSV")
    p.add_argument("--model", default=None, help="model version (default: latest trained as of the period)")
    p.set_defaults(handler=_score, timed=True)

    p = sub.add_parser("evaluate", help="rolling-origin evaluation of the four variants, markdown report")
    p.add_argument("--out", type=Path, default=Path("docs/evaluation/default"), help="report folder")
    p.add_argument("--title", default="Evaluation of the failure model")
    p.add_argument("--origins", type=int, default=3, help="number of test origins")
    p.add_argument("--origin-step", type=int, default=3, help="months between test origins")
    p.add_argument("--top-k", type=int, default=5, help="list size per region and month")
    p.add_argument("--boot", type=int, default=200, help="bootstrap resamples")
    p.add_argument("--no-gnn", action="store_true", help="skip the GNN variants")
    p.add_argument("--calibration-months", type=int, default=6, help="held-out months for calibration")
    p.add_argument("--gnn-file", type=Path, default=None, help="GNN features from `signaux gnn features --out`")
    p.set_defaults(handler=_evaluate, timed=True)


def _config(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from scoring.config import ScoringConfig

    cfg = ScoringConfig()
    if getattr(args, "calibration_months", None):
        cfg = replace(cfg, model=replace(cfg.model, calibration_months=args.calibration_months))
    return cfg


def _train(args: argparse.Namespace) -> int:
    from graphstore.measures import MeasureStore
    from graphstore.settings import get_settings
    from graphstore.store import GraphStore
    from scoring.config import Variant
    from scoring.pipeline import train

    summary = train(
        args.as_of,
        GraphStore(),
        MeasureStore(),
        get_settings().data_dir,
        _config(args),
        Variant(args.variant) if args.variant else None,
        use_gnn=not args.no_gnn,
    )
    print(f"model {summary.version} saved")
    print(json.dumps({"seconds": summary.seconds, "metrics": summary.metrics}, indent=2))
    return 0


def _score(args: argparse.Namespace) -> int:
    from graphstore.measures import MeasureStore
    from graphstore.settings import get_settings
    from graphstore.store import GraphStore
    from scoring.pipeline import score

    s = score(args.period, GraphStore(), MeasureStore(), get_settings().data_dir, _config(args), args.model, args.out)
    levels = s.scores["alert"].value_counts().to_dict()
    print(f"{len(s.scores)} companies scored with model {s.version}: {levels}")
    per_region = s.listed.groupby("region").size().to_dict() if not s.listed.empty else {}
    print(f"detection list {args.period}: {len(s.listed)} new alerts, per region {per_region}")
    if args.out:
        print(f"CSV written to {args.out}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from graphstore.measures import MeasureStore
    from graphstore.store import GraphStore
    from scoring.evaluation.report import write_report
    from scoring.evaluation.rolling import EvaluationConfig, evaluate
    from scoring.features.sources import data_months
    from scoring.gnn_bridge import gnn_features, read_file
    from scoring.pipeline import load_facts

    store, ms = GraphStore(), MeasureStore()
    first, last = data_months(ms)
    facts = load_facts(store, ms, first, last)
    ecfg = EvaluationConfig(n_origins=args.origins, origin_step=args.origin_step, top_k=args.top_k, n_boot=args.boot)
    if args.no_gnn:
        gnn = None
    elif args.gnn_file is not None:
        gnn = read_file(args.gnn_file)
    else:
        gnn = gnn_features(store, list(range(first, last + 1)))
    result = evaluate(facts, _config(args), ecfg, gnn)
    path = write_report(result, ecfg, args.out, args.title)
    print(f"report written to {path}")
    return 0
