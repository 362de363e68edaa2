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
    p.add_argument("--origins", type=int, default=4, help="number of test origins")
    p.add_argument("--origin-step", type=int, default=3, help="months between test origins")
    p.add_argument("--top-k", type=int, default=5, help="list size per region and month")
    p.add_argument("--boot", type=int, default=200, help="bootstrap resamples")
    p.add_argument("--no-gnn", action="store_true", help="skip the GNN variants")
    p.add_argument("--calibration-months", type=int, default=6, help="held-out months for calibration")
    p.add_argument("--gnn-file", type=Path, default=None, help="GNN features from `signaux gnn features --out`")
    p.add_argument(
        "--aligned-training",
        action="store_true",
        help="every variant trains on the same company-months: those where all variants have their features",
    )
    p.add_argument(
        "--truth",
        type=Path,
        default=None,
        help="synthetic region folder: its ground truth defines the 'contagion acts' subset (never a feature)",
    )
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
    import time

    from graphstore.measures import MeasureStore
    from graphstore.store import GraphStore
    from scoring.evaluation.report import write_report
    from scoring.evaluation.rolling import EvaluationConfig, evaluate
    from scoring.features.sources import data_months
    from scoring.gnn_bridge import gnn_features, read_file
    from scoring.months import format_period
    from scoring.pipeline import load_facts

    store, ms = GraphStore(), MeasureStore()
    seconds: dict[str, float] = {}
    t0 = time.monotonic()
    first, last = data_months(ms)
    facts = load_facts(store, ms, first, last)
    seconds["read Neo4j and the measure store"] = time.monotonic() - t0
    ecfg = EvaluationConfig(
        n_origins=args.origins,
        origin_step=args.origin_step,
        top_k=args.top_k,
        n_boot=args.boot,
        aligned_training=args.aligned_training,
    )
    t0 = time.monotonic()
    if args.no_gnn:
        gnn, gnn_note = None, "not used (`--no-gnn`)"
    elif args.gnn_file is not None:
        gnn, gnn_note = read_file(args.gnn_file), f"read from `{args.gnn_file.name}` (`signaux gnn features`)"
    else:
        gnn, gnn_note = gnn_features(store, list(range(first, last + 1))), "computed from Neo4j (`gnn.export`)"
    seconds["GNN features"] = time.monotonic() - t0
    t0 = time.monotonic()
    result = evaluate(facts, _config(args), ecfg, gnn)
    seconds["features, training and prediction"] = time.monotonic() - t0
    if args.truth is not None:
        from scoring.evaluation.truth import mark_contagion_acts, read_truth

        mark_contagion_acts(result, read_truth(args.truth))
    perimeter = result.predictions.drop_duplicates(["siren", "origin"]).groupby("origin").size()
    notes = "\n".join(
        [
            f"Produced by `{_evaluate_command(args)}` on the data loaded in Neo4j and the "
            f"measure store: {len(facts.companies):,} companies, months {format_period(first)} to "
            f"{format_period(last)}, {facts.procedures['siren'].nunique():,} companies with a judgment; features as of each month "
            f"(vintages of the measure store). GNN features {gnn_note}.",
            f"Perimeter per test origin: {', '.join(f'{format_period(int(str(o)))} {n:,}' for o, n in perimeter.items())}.",
            "Wall time: " + "; ".join(f"{k} {v:.0f} s" for k, v in seconds.items()) + ".",
        ]
    )
    path = write_report(result, ecfg, args.out, args.title, notes)
    print(f"report written to {path} ({', '.join(f'{k} {v:.0f} s' for k, v in seconds.items())})")
    return 0


def _evaluate_command(args: argparse.Namespace) -> str:
    """The command line that reproduces this evaluation (written in the report)."""
    parts = ["signaux evaluate", f"--origins {args.origins}", f"--origin-step {args.origin_step}"]
    parts += [f"--top-k {args.top_k}", f"--boot {args.boot}", f"--calibration-months {args.calibration_months}"]
    if args.no_gnn:
        parts.append("--no-gnn")
    elif args.gnn_file is not None:
        parts.append(f"--gnn-file {args.gnn_file.name}")
    if args.truth is not None:
        parts.append(f"--truth {args.truth.name}")
    if args.aligned_training:
        parts.append("--aligned-training")
    return " ".join(parts)
