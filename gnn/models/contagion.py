"""The contagion GNN: one company-state encoder, three separate message channels.

The logit of "a procédure collective opens within 12 months after t" is

    own(h_i) + supplier_i + client_i + group_i,     h = encoder(x)

where each channel term is a sum over that channel's neighbours j of
``weight_ji * message_channel(h_j)``, a scalar per neighbour. The three channel
terms are the exported features (docs/gnn.md): they are additive parts of the
logit, exactly zero for a company without neighbours in that channel, and each
neighbour's share of them is exact (``edge_contributions``).

Why not ``HeteroConv``: it sums every relation that ends at the same node type,
so supplier and client messages (both company -> company) would be merged before
any head could tell them apart. Each relation here has its own ``SimpleConv`` or
leave-one-out relay, and only relations of the same channel are added together.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch_geometric.data import HeteroData
from torch_geometric.nn import SimpleConv
from torch_geometric.utils import scatter

from gnn.config import Channel
from gnn.data.snapshot import COMPANY, GROUP, PERSON

SUPPLIES = (COMPANY, "supplies", COMPANY)
REV_SUPPLIES = (COMPANY, "rev_supplies", COMPANY)
MEMBER_OF = (COMPANY, "member_of", GROUP)
# Control links between companies: owner or director company -> controlled company.
CONTROL = ((COMPANY, "owns", COMPANY), (COMPANY, "directs", COMPANY))
PERSON_LINKS = ((PERSON, "owns", COMPANY), (PERSON, "directs", COMPANY))
LINKED_TO = (PERSON, "linked_to", COMPANY)

# Message functions, one per relation; supplier and client are channels on their own,
# the four others make up the group channel.
_RELATIONS = ("supplier", "client", "group_member", "parent", "subsidiary", "shared_person")


def _leave_one_out(values: Tensor, company: Tensor, hub: Tensor, n_hubs: int, n_companies: int) -> Tensor:
    """Mean of the other companies' values around each hub (group or person), summed per company.

    A company's own value is taken out of its hub's sum, so its own state never
    comes back to it through the group channel; a hub with one member gives 0.
    """
    if company.numel() == 0:
        return values.new_zeros(n_companies)
    total = scatter(values[company], hub, dim=0, dim_size=n_hubs, reduce="sum")
    count = scatter(torch.ones_like(values[company]), hub, dim=0, dim_size=n_hubs, reduce="sum")
    others = (total[hub] - values[company]) / (count[hub] - 1.0).clamp(min=1.0)
    return scatter(others, company, dim=0, dim_size=n_companies, reduce="sum")


def unique_pairs(data: HeteroData, edge_types: tuple[tuple[str, str, str], ...]) -> tuple[Tensor, Tensor]:
    """(company, hub) pairs over several hub -> company relations, each pair once."""
    if LINKED_TO in data.edge_types:
        # Deduplicated once when the snapshot was built.
        pairs = data[LINKED_TO].edge_index
        return pairs[1], pairs[0]
    parts = [data[et].edge_index for et in edge_types if et in data.edge_types]
    if not parts:
        empty = torch.zeros(0, dtype=torch.long)
        return empty, empty
    pairs = torch.unique(torch.cat(parts, dim=1), dim=1)
    return pairs[1], pairs[0]


class ContagionGNN(nn.Module):  # type: ignore[misc]  # torch is not followed by mypy (pyproject)
    """Heterogeneous GNN with three relation-specific contagion channels.

    Args:
        in_channels: number of company features.
        hidden: width of the company state ``h``.
        dropout: dropout inside the encoder while training.
    """

    def __init__(self, in_channels: int, hidden: int = 32, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(in_channels, hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
        )
        self.own = nn.Linear(hidden, 1)
        self.message = nn.ModuleDict(
            {r: nn.Sequential(nn.Linear(hidden, hidden // 2), nn.ReLU(), nn.Linear(hidden // 2, 1)) for r in _RELATIONS}
        )
        for head in self.message.values():
            # Every channel starts at exactly 0: a random initial message would give every
            # company with neighbours a random term that the few training steps never undo
            # (the exported features were then noise, AUC 0.50 on the default region).
            nn.init.zeros_(head[-1].weight)
            nn.init.zeros_(head[-1].bias)
        self.relay = SimpleConv(aggr="sum")

    def set_base_rate(self, rate: float) -> None:
        """Starts the own term at the logit of ``rate`` so that training does not spend its steps on the bias."""
        rate = min(max(rate, 1e-4), 0.5)
        with torch.no_grad():
            self.own.weight.zero_()
            self.own.bias.fill_(float(torch.logit(torch.tensor(rate))))

    def _weighted(self, values: Tensor, data: HeteroData, edge_types: tuple[tuple[str, str, str], ...]) -> Tensor:
        n = values.size(0)
        out = values.new_zeros(n)
        for et in edge_types:
            if et not in data.edge_types or data[et].edge_index.size(1) == 0:
                continue
            store = data[et]
            out = out + self.relay(values.unsqueeze(-1), store.edge_index, store.edge_weight, size=(n, n)).squeeze(-1)
        return out

    def channels(self, data: HeteroData) -> tuple[Tensor, dict[Channel, Tensor]]:
        """The own logit term and the three channel terms, one value per company.

        Args:
            data: a snapshot (``gnn.data.build_snapshot``).

        Returns:
            (own, {Channel: term}); the logit is own + the sum of the terms.
        """
        h = self.encoder(data[COMPANY].x)
        n = h.size(0)
        msg = {r: f(h).squeeze(-1) for r, f in self.message.items()}
        supplier = self._weighted(msg["supplier"], data, (SUPPLIES,))
        client = self._weighted(msg["client"], data, (REV_SUPPLIES,))
        reverse_control = tuple((COMPANY, f"rev_{rel}", COMPANY) for _, rel, _ in CONTROL)
        group = self._weighted(msg["parent"], data, CONTROL) + self._weighted(msg["subsidiary"], data, reverse_control)
        if MEMBER_OF in data.edge_types:
            company, hub = data[MEMBER_OF].edge_index
            group = group + _leave_one_out(msg["group_member"], company, hub, data[GROUP].num_nodes or 0, n)
        company, hub = unique_pairs(data, PERSON_LINKS)
        group = group + _leave_one_out(msg["shared_person"], company, hub, data[PERSON].num_nodes or 0, n)
        own = self.own(h).squeeze(-1)
        return own, {Channel.SUPPLIER: supplier, Channel.CLIENT: client, Channel.GROUP: group}

    def forward(self, data: HeteroData) -> Tensor:
        """The failure logit of every company of the snapshot."""
        own, terms = self.channels(data)
        return own + terms[Channel.SUPPLIER] + terms[Channel.CLIENT] + terms[Channel.GROUP]


class ContagionEnsemble:
    """Models of one (origin, fold) that differ only by seed; their terms are averaged.

    The average of the members' logits is again own + supplier + client + group,
    so the averaged terms keep their meaning and stay exactly 0 without neighbours.

    Args:
        members: the fitted models.
    """

    def __init__(self, members: list[ContagionGNN]) -> None:
        self.members = members

    def channels(self, data: HeteroData) -> tuple[Tensor, dict[Channel, Tensor]]:
        """The averaged own term and channel terms (see ``ContagionGNN.channels``)."""
        outs = [m.channels(data) for m in self.members]
        own = torch.stack([o for o, _ in outs]).mean(dim=0)
        terms = {c: torch.stack([t[c] for _, t in outs]).mean(dim=0) for c in Channel}
        return own, terms
