"""The heterogeneous contagion GNN."""

from gnn.models.contagion import ContagionGNN

__all__ = ["ContagionGNN"]
