"""Which neighbours drove a company's contagion features: the exact per-neighbour shares.

Each channel term is a sum of per-neighbour scalars (``gnn.models.contagion``), so
the shares below add up to the exported feature, channel by channel.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import torch
from torch import Tensor
from torch_geometric.data import HeteroData

from gnn.config import Channel
from gnn.data.snapshot import COMPANY, PERSON
from gnn.models.contagion import (
    CONTROL,
    MEMBER_OF,
    PERSON_LINKS,
    REV_SUPPLIES,
    SUPPLIES,
    ContagionEnsemble,
    ContagionGNN,
    unique_pairs,
)

DRIVER_COLUMNS = ["siren", "channel", "relation", "neighbour", "via", "contribution"]


def _direct(
    msg: Tensor, data: HeteroData, edge_type: tuple[str, str, str], targets: Tensor
) -> list[tuple[int, int, str, float]]:
    if edge_type not in data.edge_types:
        return []
    src, dst = data[edge_type].edge_index
    keep = torch.isin(dst, targets)
    w = data[edge_type].edge_weight[keep]
    return [
        (int(d), int(s), "", float(c))
        for s, d, c in zip(src[keep].tolist(), dst[keep].tolist(), (w * msg[src[keep]]).tolist(), strict=True)
    ]


def _through_hub(
    msg: Tensor, company: Tensor, hub: Tensor, keys: Sequence[str], targets: Tensor
) -> list[tuple[int, int, str, float]]:
    out: list[tuple[int, int, str, float]] = []
    members: dict[int, list[int]] = {}
    for c, h in zip(company.tolist(), hub.tolist(), strict=True):
        members.setdefault(h, []).append(c)
    wanted = set(targets.tolist())
    for h, cs in members.items():
        if len(cs) < 2:
            continue
        for i in cs:
            if i not in wanted:
                continue
            for j in cs:
                if j != i:
                    out.append((i, j, keys[h], float(msg[j]) / (len(cs) - 1)))
    return out


def ensemble_drivers(ensemble: ContagionEnsemble, data: HeteroData, sirens: Sequence[str]) -> pd.DataFrame:
    """``channel_drivers`` averaged over the members of an ensemble (same columns)."""
    parts = [channel_drivers(m, data, sirens) for m in ensemble.members]
    keys = [c for c in DRIVER_COLUMNS if c != "contribution"]
    both = pd.concat(parts, ignore_index=True)
    mean = both.groupby(keys, sort=False)["contribution"].sum() / len(parts)
    out: pd.DataFrame = mean.reset_index()[DRIVER_COLUMNS]
    return out


def channel_drivers(model: ContagionGNN, data: HeteroData, sirens: Sequence[str]) -> pd.DataFrame:
    """Per-neighbour shares of the three channel terms for some companies of a snapshot.

    Args:
        model: the model that scored these companies (the one of their fold).
        data: the snapshot.
        sirens: the companies to explain.

    Returns:
        Columns siren, channel (``Channel`` value), relation (supplier, client,
        group_member, parent, subsidiary, shared_person), neighbour (SIREN), via
        (the group or person id for relayed relations, else empty), contribution
        (logit units); per siren and channel the contributions sum to the feature.
    """
    index = {s: i for i, s in enumerate(data[COMPANY].siren)}
    targets = torch.tensor([index[s] for s in sirens if s in index], dtype=torch.long)
    with torch.no_grad():
        h = model.encoder(data[COMPANY].x)
        msg = {r: f(h).squeeze(-1) for r, f in model.message.items()}
    rows: list[tuple[Channel, str, list[tuple[int, int, str, float]]]] = [
        (Channel.SUPPLIER, "supplier", _direct(msg["supplier"], data, SUPPLIES, targets)),
        (Channel.CLIENT, "client", _direct(msg["client"], data, REV_SUPPLIES, targets)),
    ]
    for et in CONTROL:
        rows.append((Channel.GROUP, "parent", _direct(msg["parent"], data, et, targets)))
        rev = (COMPANY, f"rev_{et[1]}", COMPANY)
        rows.append((Channel.GROUP, "subsidiary", _direct(msg["subsidiary"], data, rev, targets)))
    if MEMBER_OF in data.edge_types:
        company, hub = data[MEMBER_OF].edge_index
        rows.append(
            (Channel.GROUP, "group_member", _through_hub(msg["group_member"], company, hub, data["group"].key, targets))
        )
    company, hub = unique_pairs(data, PERSON_LINKS)
    if company.numel():
        rows.append(
            (
                Channel.GROUP,
                "shared_person",
                _through_hub(msg["shared_person"], company, hub, data[PERSON].key, targets),
            )
        )
    names = data[COMPANY].siren
    records = [
        (names[i], channel.value, relation, names[j], via, c)
        for channel, relation, found in rows
        for i, j, via, c in found
    ]
    return pd.DataFrame(records, columns=DRIVER_COLUMNS)
