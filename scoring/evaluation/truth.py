"""The "contagion acts" evaluation subset, read from a synthetic world's ground truth.

The synthetic region writes the true log-hazard components of every company and
month (``ground_truth/panel.parquet``: ``log_client``, ``log_supplier``,
``log_group``). The evaluation may read them **only to choose which test rows to
report on separately**: companies on which partner failures already dated by
the origin are raising the hazard. They are never a feature, never a label and
never reach training (``mark_contagion_acts`` touches the pooled out-of-time
predictions only). The loaders never read the ground truth.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scoring.evaluation.rolling import EvaluationResult
from scoring.months import parse_period

# True contagion log-hazard at which a company counts as one where contagion acts:
# 0.3 multiplies its monthly hazard by at least 1.35.
CONTAGION_ACTS_LOG_HAZARD = 0.3
# The contagion is read the month after the origin: in the synthetic world a partner's
# failure raises the hazard from two months after it, so the term of month o + 1 comes
# from failures dated by o - 1, which the features at o can see.
ACTS_LAG_MONTHS = 1
TRUTH_COLUMNS = ("log_client", "log_supplier", "log_group")


def read_truth(folder: Path) -> pd.DataFrame:
    """The true contagion term per company and month of a synthetic world.

    Args:
        folder: the synthetic region (its ``ground_truth/``) or the ground truth folder.

    Returns:
        siren, month (ordinal), contagion (sum of the three true log-hazard terms).
    """
    path = folder / "panel.parquet"
    if not path.is_file():
        path = folder / "ground_truth" / "panel.parquet"
    panel = pd.read_parquet(path, columns=["siren", "month", *TRUTH_COLUMNS])
    labels = panel["month"].astype(str)
    ordinal = {m: parse_period(m) for m in labels.unique()}
    out = pd.DataFrame(
        {
            "siren": panel["siren"].astype(str),
            "month": labels.map(ordinal).astype(np.int64),
            "contagion": panel[list(TRUTH_COLUMNS)].sum(axis=1).astype(np.float64),
        }
    )
    return out


def mark_contagion_acts(
    result: EvaluationResult,
    truth: pd.DataFrame,
    threshold: float = CONTAGION_ACTS_LOG_HAZARD,
    lag: int = ACTS_LAG_MONTHS,
) -> None:
    """Adds the boolean column ``contagion_acts`` to the predictions (in place).

    A test row (company, origin o) is in the subset when its true contagion
    log-hazard in month ``o + lag`` is at least ``threshold``.

    Args:
        result: the evaluation.
        truth: siren, month (ordinal), contagion (``read_truth`` or a test world's).
        threshold: log-hazard threshold.
        lag: months after the origin at which the true term is read.
    """
    p = result.predictions
    if p.empty:
        return
    key = truth.assign(origin=truth["month"] - lag).set_index(["siren", "origin"])["contagion"]
    key = key[~key.index.duplicated(keep="last")]
    index = pd.MultiIndex.from_arrays([p["siren"].astype(str), p["origin"].astype(np.int64)])
    values = key.reindex(index).to_numpy(dtype=np.float64)
    p["contagion_acts"] = np.nan_to_num(values, nan=0.0) >= threshold
