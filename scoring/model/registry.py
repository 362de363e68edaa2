"""Versioned models under ``<data_dir>/models/<version>/``: booster and metadata."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lightgbm as lgb

from scoring.model.calibration import Platt
from scoring.model.predictor import HazardModel
from scoring.model.thresholds import Thresholds
from scoring.model.train import TrainingResult
from scoring.months import format_period, parse_period

BOOSTER_FILE = "booster.txt"
METADATA_FILE = "metadata.json"


def models_dir(data_dir: Path) -> Path:
    """Folder holding every saved model version."""
    return data_dir / "models"


def save(result: TrainingResult, data_dir: Path, extra: dict[str, Any] | None = None) -> str:
    """Saves a trained model as a new version.

    Args:
        result: the training result.
        data_dir: the run's data folder.
        extra: more metadata (e.g. the training configuration).

    Returns:
        The version id, ``<as_of>.<UTC timestamp>``.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    version = f"{format_period(result.as_of)}.{stamp}"
    folder = models_dir(data_dir) / version
    folder.mkdir(parents=True, exist_ok=False)
    m = result.model
    m.booster.save_model(str(folder / BOOSTER_FILE))
    meta = {
        "version": version,
        "as_of": format_period(result.as_of),
        "variant": result.variant.value,
        "created_at": datetime.now(UTC).isoformat(),
        "features": m.features,
        "categories": m.categories,
        "platt": {"slope": m.platt.slope, "intercept": m.platt.intercept},
        "max_horizon": m.max_horizon,
        "horizons": list(m.horizons),
        "thresholds": {"high": result.thresholds.high, "moderate": result.thresholds.moderate},
        "metrics": result.metrics,
        **(extra or {}),
    }
    (folder / METADATA_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
    return version


def versions(data_dir: Path) -> list[str]:
    """Saved versions, oldest first (versions sort by as_of then creation time)."""
    root = models_dir(data_dir)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / METADATA_FILE).is_file())


def latest_for(data_dir: Path, period: int) -> str:
    """The most recent version trained as of ``period`` or earlier.

    Raises:
        FileNotFoundError: no such model.
    """
    usable = [v for v in versions(data_dir) if parse_period(v.split(".")[0]) <= period]
    if not usable:
        raise FileNotFoundError(
            f"no model trained as of {format_period(period)} or earlier under {models_dir(data_dir)}"
        )
    return usable[-1]


def load(data_dir: Path, version: str) -> tuple[HazardModel, Thresholds, dict[str, Any]]:
    """Loads a saved version: the model, its thresholds and the full metadata."""
    folder = models_dir(data_dir) / version
    meta: dict[str, Any] = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    booster = lgb.Booster(model_file=str(folder / BOOSTER_FILE))
    model = HazardModel(
        booster=booster,
        features=list(meta["features"]),
        categories={k: list(v) for k, v in meta["categories"].items()},
        platt=Platt(float(meta["platt"]["slope"]), float(meta["platt"]["intercept"])),
        max_horizon=int(meta["max_horizon"]),
        horizons=tuple(int(h) for h in meta["horizons"]),
    )
    th = Thresholds(float(meta["thresholds"]["high"]), float(meta["thresholds"]["moderate"]))
    return model, th, meta
