"""Fits one contagion GNN on labelled snapshots, restricted to some companies."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor
from torch_geometric.data import HeteroData

from gnn.config import GnnConfig
from gnn.data.features import FEATURE_NAMES
from gnn.data.snapshot import COMPANY
from gnn.models.contagion import ContagionGNN


def fit_model(snapshots: Sequence[HeteroData], masks: Sequence[Tensor], config: GnnConfig, seed: int) -> ContagionGNN:
    """Trains a model by full-batch steps, one snapshot per step, shuffled each epoch.

    Args:
        snapshots: labelled snapshots (``attach_labels`` done).
        masks: per snapshot, the companies whose labels may be used (already
            restricted to the training folds and to ``label_mask``).
        config: the GNN configuration.
        seed: the seed of this model (initialisation, dropout, order).

    Returns:
        The model in evaluation mode.
    """
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = ContagionGNN(len(FEATURE_NAMES), config.hidden, config.dropout)
    optimiser = torch.optim.Adam(model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    usable = [i for i, m in enumerate(masks) if bool(m.any())]
    if usable:
        labels = torch.cat([snapshots[i][COMPANY].y[masks[i]] for i in usable])
        model.set_base_rate(float(labels.mean()))
    model.train()
    for _ in range(config.epochs if usable else 0):
        for i in torch.randperm(len(usable), generator=gen).tolist():
            data, mask = snapshots[usable[i]], masks[usable[i]]
            optimiser.zero_grad()
            logit = model(data)
            loss = loss_fn(logit[mask], data[COMPANY].y[mask])
            loss.backward()
            optimiser.step()
    model.eval()
    return model
