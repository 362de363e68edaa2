"""Tables of the evaluation, the contagion-gain test and the markdown report."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from scoring.config import Variant
from scoring.evaluation.bootstrap import Interval, clustered_bootstrap, paired_difference
from scoring.evaluation.metrics import brier, precision_at_k, reliability, safe_ap, safe_auc
from scoring.evaluation.plots import write_plots
from scoring.evaluation.rolling import HORIZONS, EvaluationConfig, EvaluationResult
from scoring.months import format_period


def _auc(h: int, f: pd.DataFrame) -> float:
    return safe_auc(f[f"y{h}"].to_numpy(), f[f"p{h}"].to_numpy())


def _ap(h: int, f: pd.DataFrame) -> float:
    return safe_ap(f[f"y{h}"].to_numpy(), f[f"p{h}"].to_numpy())


def _brier(h: int, f: pd.DataFrame) -> float:
    return brier(f[f"y{h}"].to_numpy(), f[f"p{h}"].to_numpy())


def _pak(k: int, f: pd.DataFrame) -> float:
    return precision_at_k(f, "p12", "y12", k, ("origin", "region"))


def _subset(result: EvaluationResult, v: Variant, h: int, exposed: bool = False) -> pd.DataFrame:
    f = result.variant(v)
    f = f[f[f"observed{h}"]]
    if exposed:
        f = f[f["exposed"]]
    out: pd.DataFrame = f.reset_index(drop=True)
    return out


def metrics_table(result: EvaluationResult, ecfg: EvaluationConfig, exposed: bool = False) -> pd.DataFrame:
    """Per horizon and variant: size, events, base rate, AUC and AUC-PR with clustered CIs, Brier."""
    rows = []
    for h in HORIZONS:
        frames = {v.value: _subset(result, v, h, exposed) for v in result.variants}
        frames = {k: f for k, f in frames.items() if len(f)}
        if not frames:
            continue
        aucs = clustered_bootstrap(frames, partial(_auc, h), n_boot=ecfg.n_boot, seed=ecfg.seed)
        aps = clustered_bootstrap(frames, partial(_ap, h), n_boot=ecfg.n_boot, seed=ecfg.seed)
        for name, f in frames.items():
            rows.append(
                {
                    "horizon": h,
                    "variant": name,
                    "rows": len(f),
                    "events": int(f[f"y{h}"].sum()),
                    "base_rate": float(f[f"y{h}"].mean()),
                    "mean_p": float(f[f"p{h}"].mean()),
                    "auc": aucs[name].fmt(),
                    "auc_pr": aps[name].fmt(),
                    "brier": round(_brier(h, f), 4),
                }
            )
    return pd.DataFrame(rows)


def precision_table(result: EvaluationResult, ecfg: EvaluationConfig) -> pd.DataFrame:
    """Precision at k per region and month (P12), all companies and exposed ones, with CIs."""
    rows = []
    for k in (ecfg.top_k, 4 * ecfg.top_k):
        for exposed in (False, True):
            frames = {v.value: _subset(result, v, 12, exposed) for v in result.variants}
            frames = {n: f for n, f in frames.items() if len(f)}
            cis = clustered_bootstrap(frames, partial(_pak, k), n_boot=ecfg.n_boot, seed=ecfg.seed)
            for name, ci in cis.items():
                rows.append(
                    {"k": k, "companies": "exposed" if exposed else "all", "variant": name, "precision": ci.fmt()}
                )
    return pd.DataFrame(rows)


def precision_by_month(result: EvaluationResult, k: int) -> pd.DataFrame:
    """Precision at ``k`` of P12 for each test month and region (one column per variant, no interval)."""
    cells: dict[tuple[str, str], dict[str, float]] = {}
    for v in result.variants:
        f = _subset(result, v, 12)
        for (origin, region), g in f.groupby(["origin", "region"]):
            top = g.sort_values("p12", ascending=False, kind="stable").head(k)
            row = cells.setdefault((format_period(int(str(origin))), str(region)), {})
            row[v.value] = float(top["y12"].mean())
            row["companies"] = float(len(g))
    rows = [{"month": m, "region": r, **vals} for (m, r), vals in sorted(cells.items())]
    out = pd.DataFrame(rows, columns=["month", "region", "companies", *(v.value for v in result.variants)])
    out["companies"] = out["companies"].astype(int)
    return out


def reliability_table(result: EvaluationResult) -> pd.DataFrame:
    """Mean predicted P12 against the observed 12-month rate per decile, for every variant."""
    parts = []
    for v in result.variants:
        f = _subset(result, v, 12)
        rel = reliability(f["y12"].to_numpy(), f["p12"].to_numpy())
        parts.append(
            rel.assign(variant=v.value).rename(columns={"mean_predicted": "predicted", "observed_rate": "observed"})
        )
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts)
    wide = table.pivot_table(index="bin", columns="variant", values=["predicted", "observed"])
    wide.columns = [" ".join(map(str, c)) for c in wide.columns]
    out: pd.DataFrame = wide.reset_index().round(4)
    return out


def contagion_gain(result: EvaluationResult, ecfg: EvaluationConfig) -> dict[str, Interval]:
    """Paired gains of tabular + graph over tabular where contagion acts.

    Returns:
        ``auc_exposed``, ``auc_pr_exposed`` (P12 among exposed companies) and
        ``precision_at_k`` (top of the list per region and month), each a paired
        clustered-bootstrap interval of the difference.
    """
    base = _subset(result, Variant.TABULAR, 12)
    graph = _subset(result, Variant.TABULAR_GRAPH, 12)
    be, ge = base[base["exposed"]].reset_index(drop=True), graph[graph["exposed"]].reset_index(drop=True)
    nb, sd = ecfg.n_boot, ecfg.seed
    return {
        "auc_exposed": paired_difference(be, ge, partial(_auc, 12), n_boot=nb, seed=sd),
        "auc_pr_exposed": paired_difference(be, ge, partial(_ap, 12), n_boot=nb, seed=sd),
        "precision_at_k": paired_difference(base, graph, partial(_pak, 4 * ecfg.top_k), n_boot=nb, seed=sd),
        "auc_all": paired_difference(base, graph, partial(_auc, 12), n_boot=nb, seed=sd),
    }


def _md(df: pd.DataFrame) -> str:
    if df.empty:
        return "_(nothing to show)_\n"
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in df.itertuples(index=False):
        cells = [f"{x:.4f}" if isinstance(x, float) else str(x) for x in r]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_report(result: EvaluationResult, ecfg: EvaluationConfig, folder: Path, title: str, notes: str = "") -> Path:
    """Writes ``report.md`` and the PNG plots into ``folder``.

    Args:
        result: the evaluation.
        ecfg: its configuration (bootstrap, k).
        folder: output folder.
        title: report title (the scenario).
        notes: free text put under the title (data, command line).
    """
    folder.mkdir(parents=True, exist_ok=True)
    plots = write_plots(result, folder)
    gain = contagion_gain(result, ecfg) if {Variant.TABULAR, Variant.TABULAR_GRAPH} <= set(result.variants) else {}
    p = result.predictions
    exposed_share = float(p[p["variant"] == result.variants[0].value]["exposed"].mean()) if len(p) else float("nan")
    parts = [
        f"# {title}\n",
        notes + "\n" if notes else "",
        f"- Test origins: {', '.join(format_period(o) for o in result.origins)}; data up to "
        f"{format_period(result.last_month)}. Each variant is retrained at each origin on labels known by it.",
        f"- Companies per origin: {len(p) // max(1, len(result.variants) * len(result.origins))} on average; "
        f"exposed (a client, supplier or group member failed in the 12 months before the origin): {exposed_share:.1%}.",
        f"- Intervals: 95 % bootstrap clustered by company ({ecfg.n_boot} resamples, paired across variants).",
        f"- Variants not run: {result.skipped or 'none'}\n",
        "## All companies\n",
        _md(metrics_table(result, ecfg)),
        "\n## Exposed companies\n",
        _md(metrics_table(result, ecfg, exposed=True)),
        f"\n## Precision at k per region and month (P12, k = {ecfg.top_k} and {4 * ecfg.top_k})\n",
        _md(precision_table(result, ecfg)),
        f"\nPer test month and region (k = {4 * ecfg.top_k}, events among the top k / k):\n",
        _md(precision_by_month(result, 4 * ecfg.top_k)),
        "\n## Reliability of P12 (deciles of the prediction)\n",
        _md(reliability_table(result)),
        "\n## Gain of the hand-built graph features over tabular only (paired)\n",
        _md(pd.DataFrame([{"metric": k, "gain": v.fmt(), "significant": v.significant_gain} for k, v in gain.items()])),
        "\n## Plots\n",
        "\n".join(f"![{q.stem}]({q.name})" for q in plots),
        "",
    ]
    out = folder / "report.md"
    out.write_text("\n".join(parts), encoding="utf-8")
    result.predictions.to_csv(folder / "predictions.csv.gz", index=False, float_format="%.6g")
    return out


def gains_as_dict(gain: dict[str, Interval]) -> dict[str, list[float]]:
    """Intervals as plain lists (for JSON)."""
    return {k: [v.estimate, v.low, v.high] for k, v in gain.items() if not np.isnan(v.estimate)}
