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
from scoring.evaluation.truth import ACTS_LAG_MONTHS, CONTAGION_ACTS_LOG_HAZARD
from scoring.months import format_period


def _auc(h: int, f: pd.DataFrame) -> float:
    return safe_auc(f[f"y{h}"].to_numpy(), f[f"p{h}"].to_numpy())


def _ap(h: int, f: pd.DataFrame) -> float:
    return safe_ap(f[f"y{h}"].to_numpy(), f[f"p{h}"].to_numpy())


def _brier(h: int, f: pd.DataFrame) -> float:
    return brier(f[f"y{h}"].to_numpy(), f[f"p{h}"].to_numpy())


def _pak(k: int, f: pd.DataFrame) -> float:
    return precision_at_k(f, "p12", "y12", k, ("origin", "region"))


SUBSETS: dict[str, str] = {
    "all": "All companies",
    "exposed": "Exposed companies",
    "contagion_acts": "Companies where contagion acts (ground truth)",
}
# Gains reported for each pair of variants (baseline, challenger) run side by side.
PAIRS: tuple[tuple[Variant, Variant], ...] = (
    (Variant.TABULAR, Variant.TABULAR_GRAPH),
    (Variant.TABULAR_GRAPH, Variant.TABULAR_GRAPH_GNN),
    (Variant.TABULAR, Variant.TABULAR_GRAPH_GNN),
)


def _subset(result: EvaluationResult, v: Variant, h: int, subset: str | bool = "all") -> pd.DataFrame:
    """Predictions of one variant whose ``h``-month outcome is observed, restricted to a subset.

    ``subset`` is ``all``, ``exposed`` or ``contagion_acts`` (``True`` means ``exposed``);
    a subset whose column is missing is empty.
    """
    name = "exposed" if subset is True else ("all" if subset is False else subset)
    f = result.variant(v)
    f = f[f[f"observed{h}"]]
    if name != "all":
        f = f[f[name].astype(bool)] if name in f.columns else f.iloc[0:0]
    out: pd.DataFrame = f.reset_index(drop=True)
    return out


def subsets(result: EvaluationResult) -> list[str]:
    """The subsets this evaluation can report on (``contagion_acts`` only with a ground truth)."""
    cols = set(result.predictions.columns)
    return [s for s in SUBSETS if s == "all" or s in cols]


def metrics_table(result: EvaluationResult, ecfg: EvaluationConfig, exposed: bool | str = False) -> pd.DataFrame:
    """Per horizon and variant: size, events, base rate, AUC and AUC-PR with clustered CIs, Brier.

    ``exposed`` is a subset name (``all``, ``exposed``, ``contagion_acts``) or a boolean.
    """
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
    """Precision at k per region and month (P12), on every subset available, with CIs."""
    rows = []
    for k in (ecfg.top_k, 4 * ecfg.top_k):
        for subset in subsets(result):
            frames = {v.value: _subset(result, v, 12, subset) for v in result.variants}
            frames = {n: f for n, f in frames.items() if len(f)}
            cis = clustered_bootstrap(frames, partial(_pak, k), n_boot=ecfg.n_boot, seed=ecfg.seed)
            for name, ci in cis.items():
                rows.append({"k": k, "companies": subset, "variant": name, "precision": ci.fmt()})
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


def variant_gains(
    result: EvaluationResult, ecfg: EvaluationConfig, base_variant: Variant, challenger: Variant
) -> dict[str, Interval]:
    """Paired clustered-bootstrap gains of ``challenger`` over ``base_variant`` (P12).

    Returns:
        ``auc_all``, ``auc_pr_all``, ``precision_at_k`` (top ``4 * top_k`` of each
        region and month), the same AUC and AUC-PR on ``exposed`` companies and, when
        the predictions carry ``contagion_acts`` (``truth.mark_contagion_acts``),
        ``auc_contagion``, ``auc_pr_contagion`` and ``precision_at_k_contagion``
        (the list restricted to that subset). Each is the interval of the difference.
    """
    nb, sd, k = ecfg.n_boot, ecfg.seed, 4 * ecfg.top_k
    out: dict[str, Interval] = {}
    for subset in subsets(result):
        cols = ["siren", "origin", "region", "y12", "p12"]
        base = _subset(result, base_variant, 12, subset)[cols]
        other = _subset(result, challenger, 12, subset)[cols]
        if base.empty or len(base) != len(other):
            continue
        suffix = {"all": "all", "exposed": "exposed", "contagion_acts": "contagion"}[subset]
        out[f"auc_{suffix}"] = paired_difference(base, other, partial(_auc, 12), n_boot=nb, seed=sd)
        out[f"auc_pr_{suffix}"] = paired_difference(base, other, partial(_ap, 12), n_boot=nb, seed=sd)
        if subset != "exposed":
            name = "precision_at_k" if subset == "all" else f"precision_at_k_{suffix}"
            out[name] = paired_difference(base, other, partial(_pak, k), n_boot=nb, seed=sd)
    return out


def contagion_gain(result: EvaluationResult, ecfg: EvaluationConfig) -> dict[str, Interval]:
    """Paired gains of tabular + graph over tabular only (``variant_gains``)."""
    return variant_gains(result, ecfg, Variant.TABULAR, Variant.TABULAR_GRAPH)


def gains_table(result: EvaluationResult, ecfg: EvaluationConfig) -> pd.DataFrame:
    """Every pair of ``PAIRS`` that was run: metric, gain with its interval, significant."""
    rows = []
    for base, challenger in PAIRS:
        if not {base, challenger} <= set(result.variants):
            continue
        for metric, ci in variant_gains(result, ecfg, base, challenger).items():
            rows.append(
                {
                    "pair": f"{challenger.value} vs {base.value}",
                    "metric": metric,
                    "gain": ci.fmt(),
                    "significant": ci.significant_gain,
                }
            )
    return pd.DataFrame(rows)


def _md(df: pd.DataFrame) -> str:
    if df.empty:
        return "_(nothing to show)_\n"
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in df.itertuples(index=False):
        cells = [f"{x:.4f}" if isinstance(x, float) else str(x) for x in r]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _training_rows_note(ecfg: EvaluationConfig) -> str:
    if ecfg.aligned_training:
        return (
            "aligned (`--aligned-training`): every variant trains on the same company-months, "
            "those where every compared variant has its features."
        )
    return (
        "each variant trains on the company-months where it has its features (the GNN variants on fewer, later months)."
    )


def training_table(result: EvaluationResult) -> pd.DataFrame:
    """Hazard rows and events the variants were fitted on, averaged over the test origins."""
    if not result.training:
        return pd.DataFrame()
    t = pd.DataFrame(result.training)
    cols = [c for c in ("fit_rows", "fit_events", "calibration_rows", "calibration_events") if c in t.columns]
    order = [v.value for v in result.variants]
    out = t.groupby("variant")[cols].mean().reindex([v for v in order if v in set(t["variant"])])
    return out.round(0).astype("int64").reset_index()


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
    p = result.predictions
    first = p[p["variant"] == result.variants[0].value] if len(p) else p
    exposed_share = float(first["exposed"].mean()) if len(p) else float("nan")
    acts = ""
    if "contagion_acts" in p.columns and len(first):
        acts = (
            f"; contagion acts (ground truth: true contagion log-hazard >= {CONTAGION_ACTS_LOG_HAZARD} "
            f"{ACTS_LAG_MONTHS} month after the origin, used only to pick this subset): {float(first['contagion_acts'].mean()):.1%}"
        )
    parts = [
        f"# {title}\n",
        notes + "\n" if notes else "",
        f"- Test origins: {', '.join(format_period(o) for o in result.origins)}; data up to "
        f"{format_period(result.last_month)}. Each variant is retrained at each origin on labels known by it.",
        f"- Companies per origin: {len(p) // max(1, len(result.variants) * len(result.origins))} on average; "
        f"exposed (a client or supplier worth >= 5 % of sales or purchases, or a group member, failed in the "
        f"12 months before the origin): {exposed_share:.1%}{acts}.",
        f"- Intervals: 95 % bootstrap clustered by company ({ecfg.n_boot} resamples, paired across variants).",
        f"- Training rows: {_training_rows_note(ecfg)}",
        f"- Variants not run: {result.skipped or 'none'}\n",
    ]
    for subset in subsets(result):
        parts += [f"## {SUBSETS[subset]}\n", _md(metrics_table(result, ecfg, subset)), ""]
    parts += [
        f"## Precision at k per region and month (P12, k = {ecfg.top_k} and {4 * ecfg.top_k})\n",
        _md(precision_table(result, ecfg)),
        f"\nPer test month and region (k = {4 * ecfg.top_k}, events among the top k / k):\n",
        _md(precision_by_month(result, 4 * ecfg.top_k)),
        "\n## Reliability of P12 (deciles of the prediction)\n",
        _md(reliability_table(result)),
        "\n## Paired gains between variants (P12; significant: the interval lies above 0)\n",
        _md(gains_table(result, ecfg)),
        "\n## Training rows (mean over the test origins)\n",
        _md(training_table(result)),
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
