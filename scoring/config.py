"""Configuration of the scoring pipeline: dataclasses and enums, no logic."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class AlertLevel(StrEnum):
    """Alert level of a scored company (the CSV's ``alert`` column)."""

    NONE = "none"
    MODERATE = "moderate"
    HIGH = "high"


class FeatureGroup(StrEnum):
    """Families of features; explanations are summed per group."""

    URSSAF_DEBT = "urssaf_debt"
    SHORT_TIME_WORK = "short_time_work"
    HEADCOUNT = "headcount"
    FINANCIAL_HEALTH = "financial_health"
    SUPPLIER_CONTAGION = "supplier_contagion"
    CLIENT_CONTAGION = "client_contagion"
    GROUP = "group"
    NETWORK = "network"
    PROFILE = "profile"
    GNN = "gnn"
    HORIZON = "horizon"


class Variant(StrEnum):
    """Feature sets compared by the evaluation."""

    TABULAR = "tabular"
    TABULAR_GRAPH = "tabular+graph"
    TABULAR_GRAPH_GNN = "tabular+graph+gnn"
    GNN_ONLY = "gnn"


@dataclass(frozen=True)
class PerimeterConfig:
    """Who is scored.

    Attributes:
        min_headcount: employees needed now or within the look-back.
        lookback_months: how far back the headcount threshold may have been met.
        public_prefixes: legal-form (catégorie juridique) prefixes excluded as public
            sector; see docs/model.md for the meaning of each.
    """

    min_headcount: int = 10
    lookback_months: int = 36
    public_prefixes: tuple[str, ...] = ("4", "7", "81")


@dataclass(frozen=True)
class ModelConfig:
    """The discrete-time hazard model and its training.

    Attributes:
        horizons: the cumulative probabilities reported, in months.
        max_horizon: months of hazard expanded per origin (>= max(horizons)).
        origin_stride: months between two training origins; a stride > 1 thins
            highly correlated neighbouring origins.
        history_months: how many months of origins to train on (before the
            calibration slice).
        calibration_months: the most recent months before ``as_of`` held out for
            calibration and threshold choice.
        negative_rate: share of non-event hazard rows kept (re-weighted), as events
            are rare.
        label_lag_months: judgments reach us up to about two months late (BODACC and
            URSSAF deliveries): the last months before ``as_of`` would look
            event-free and bias the calibration down, so labels stop this many
            months before ``as_of``.
        num_boost_round: boosting rounds.
        learning_rate: LightGBM learning rate.
        num_leaves: LightGBM leaves per tree.
        min_data_in_leaf: LightGBM minimum rows per leaf.
        seed: seeds sampling and LightGBM.
        threads: LightGBM threads; 1 by default: on a shared 2-core machine OpenMP
            threads spin against other processes and made training 15 times slower.
    """

    horizons: tuple[int, ...] = (12, 18, 24)
    max_horizon: int = 24
    origin_stride: int = 2
    history_months: int = 36
    calibration_months: int = 14
    negative_rate: float = 0.25
    label_lag_months: int = 2
    num_boost_round: int = 300
    learning_rate: float = 0.03
    num_leaves: int = 15
    min_data_in_leaf: int = 50
    seed: int = 7
    threads: int = 1


@dataclass(frozen=True)
class AlertConfig:
    """Detection lists.

    Attributes:
        list_per_10k: detection-list size per region and month per 10,000 companies
            of the region's perimeter (rounded, at least ``min_list``): tuned so that
            Bourgogne-Franche-Comté (about 14,000 companies) gets a handful.
        min_list: smallest list for a region with at least one new alert.
        new_alert_lookback: months without any alert for an alert to count as new.
    """

    list_per_10k: float = 2.5
    min_list: int = 1
    new_alert_lookback: int = 6


@dataclass(frozen=True)
class ScoringConfig:
    """Everything the pipeline is configured with."""

    perimeter: PerimeterConfig = field(default_factory=PerimeterConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    alerts: AlertConfig = field(default_factory=AlertConfig)
