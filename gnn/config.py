"""Configuration of the contagion GNN: one frozen dataclass, enums for the choices."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Channel(StrEnum):
    """The three contagion channels, each exported as one feature column."""

    SUPPLIER = "gnn_supplier_contagion"
    CLIENT = "gnn_client_contagion"
    GROUP = "gnn_group_contagion"


class ResentPolicy(StrEnum):
    """How to date facts that the sources deliver again (docs/gnn.md, "Known by t").

    The loaders keep only the latest ``known_on`` of a fact that is re-sent: a
    Sirene stock rewrites every company's, a yearly group picture every
    membership's, a link re-sent with its end date the link's. Read literally,
    such facts would vanish from every past month.

    ``KNOWN_ON`` applies ``known_on`` to everything (``first_known_on`` when a
    loader keeps it): strictly what was delivered by t, at the price of losing
    re-sent facts in the past. ``VALID_TIME`` dates exactly those three kinds of
    facts by their validity instead: a company exists from ``created_on``, a group
    membership as last delivered, an ended ownership or directorship from its
    ``since``. Procedures, supplier flows and open links always need ``known_on``.
    """

    VALID_TIME = "valid_time"
    KNOWN_ON = "known_on"


@dataclass(frozen=True)
class GnnConfig:
    """Everything that shapes the snapshots, the model and its out-of-fold training.

    Attributes:
        horizon_months: the label is a procedure opened within this many months after t.
        min_label_months: shortest label window of a training snapshot. A window is cut
            at the month before the training origin (a censored label: only failures
            judged by then count), so an origin with less than ``horizon_months + 1``
            months of history still trains on snapshots down to this window; without it
            the first 13 months of any history have no model and no feature.
        folds: number of company folds (K) of the out-of-fold scheme.
        retrain_every: months between two training origins; the models of origin o
            serve the months o .. o + retrain_every - 1 (origins sit on a fixed
            calendar grid so a month's features do not depend on the request).
        train_months: at most this many snapshot months per training origin.
        train_stride: months between two sampled training snapshots.
        history_start: first month usable for training (``None``: the earliest
            month anything in the graph is known).
        hidden: width of the company state encoder.
        epochs: full passes over the training snapshots per model.
        learning_rate: Adam step size.
        weight_decay: Adam L2 penalty.
        dropout: dropout in the state encoder during training.
        seed: base seed; each (origin, fold, member) model derives its own from it.
        ensemble: models per (origin, fold), differing only by seed; their channel
            terms are averaged (single fits vary a lot on a few thousand failures).
        threads: torch intra-op threads (the machine is shared: keep it small).
        use_measures: read distress signals and supplier flows from the measure store.
        resent_facts: see ``ResentPolicy``.
        progress: show tqdm progress bars.
    """

    horizon_months: int = 12
    min_label_months: int = 6
    folds: int = 5
    retrain_every: int = 6
    train_months: int = 6
    train_stride: int = 3
    history_start: str | None = None
    hidden: int = 32
    epochs: int = 30
    learning_rate: float = 0.01
    weight_decay: float = 1e-4
    dropout: float = 0.1
    seed: int = 20240501
    ensemble: int = 3
    threads: int = 1
    use_measures: bool = True
    resent_facts: ResentPolicy = ResentPolicy.VALID_TIME
    progress: bool = True
