"""PNG plots of the evaluation: ROC, precision-recall, reliability per horizon, lift."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import precision_recall_curve, roc_curve

from scoring.evaluation.metrics import lift_curve, reliability
from scoring.evaluation.rolling import HORIZONS, EvaluationResult


def _observed(result: EvaluationResult, variant: str, h: int) -> tuple[np.ndarray, np.ndarray]:
    p = result.predictions
    rows = p[(p["variant"] == variant) & p[f"observed{h}"]]
    return rows[f"y{h}"].to_numpy(), rows[f"p{h}"].to_numpy()


def write_plots(result: EvaluationResult, folder: Path) -> list[Path]:
    """Writes every plot into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    variants = [v.value for v in result.variants]
    for h in HORIZONS:
        if not any(len(_observed(result, v, h)[0]) for v in variants):
            continue
        fig_roc, ax_roc = plt.subplots(figsize=(5, 5))
        fig_pr, ax_pr = plt.subplots(figsize=(5, 5))
        fig_rel, ax_rel = plt.subplots(figsize=(5, 5))
        for v in variants:
            y, p = _observed(result, v, h)
            if len(np.unique(y)) < 2:
                continue
            fpr, tpr, _ = roc_curve(y, p)
            ax_roc.plot(fpr, tpr, label=v)
            prec, rec, _ = precision_recall_curve(y, p)
            ax_pr.plot(rec, prec, label=v)
            rel = reliability(y, p)
            ax_rel.plot(rel["mean_predicted"], rel["observed_rate"], marker="o", label=v)
        y_any, _ = _observed(result, variants[0], h)
        ax_roc.plot([0, 1], [0, 1], "k:", lw=0.8)
        ax_pr.axhline(float(y_any.mean()) if len(y_any) else 0.0, color="k", ls=":", lw=0.8, label="base rate")
        top = max(ax_rel.get_xlim()[1], ax_rel.get_ylim()[1])
        ax_rel.plot([0, top], [0, top], "k:", lw=0.8)
        for ax, title, xl, yl in (
            (ax_roc, f"ROC, failure within {h} months", "false positive rate", "true positive rate"),
            (ax_pr, f"Precision-recall, {h} months", "recall", "precision"),
            (ax_rel, f"Reliability, P{h}", "mean predicted", "observed rate"),
        ):
            ax.set_title(title)
            ax.set_xlabel(xl)
            ax.set_ylabel(yl)
            ax.legend(fontsize=8)
        for fig, name in ((fig_roc, f"roc_p{h}.png"), (fig_pr, f"pr_p{h}.png"), (fig_rel, f"reliability_p{h}.png")):
            fig.tight_layout()
            fig.savefig(folder / name, dpi=90)
            plt.close(fig)
            written.append(folder / name)
    fig, ax = plt.subplots(figsize=(5, 5))
    for v in variants:
        y, p = _observed(result, v, 12)
        if len(y) and y.sum() > 0:
            lc = lift_curve(y, p)
            ax.plot(lc["fraction"], lc["lift"], label=v)
    ax.set_xscale("log")
    ax.set_title("Cumulative lift, 12 months")
    ax.set_xlabel("fraction of companies (ranked by P12)")
    ax.set_ylabel("lift over base rate")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(folder / "lift_p12.png", dpi=90)
    plt.close(fig)
    written.append(folder / "lift_p12.png")
    return written
