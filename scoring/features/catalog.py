"""Which feature belongs to which family (variants) and which group (explanations)."""

from __future__ import annotations

from enum import StrEnum

from scoring.config import FeatureGroup, Variant

GNN_FEATURES: tuple[str, ...] = ("gnn_supplier_contagion", "gnn_client_contagion", "gnn_group_contagion")
HORIZON_FEATURE = "horizon"


class Family(StrEnum):
    """Where a feature comes from."""

    TABULAR = "tabular"
    GRAPH = "graph"
    GNN = "gnn"
    HORIZON = "horizon"


_GRAPH_PREFIXES = ("client_fail", "supplier_fail", "group_", "n_clients", "n_suppliers", "sales_12m", "purchases_12m")
_GRAPH_PREFIXES_HHI = ("client_hhi", "supplier_hhi")


def family(name: str) -> Family:
    """The family of a feature column."""
    if name == HORIZON_FEATURE:
        return Family.HORIZON
    if name in GNN_FEATURES:
        return Family.GNN
    if name.startswith(_GRAPH_PREFIXES + _GRAPH_PREFIXES_HHI):
        return Family.GRAPH
    return Family.TABULAR


def group(name: str) -> FeatureGroup:
    """The explanation group of a feature column."""
    rules: tuple[tuple[tuple[str, ...], FeatureGroup], ...] = (
        ((HORIZON_FEATURE,), FeatureGroup.HORIZON),
        (("debt", "contributions", "plan", "ccsf"), FeatureGroup.URSSAF_DEBT),
        (("ap_",), FeatureGroup.SHORT_TIME_WORK),
        (("headcount",), FeatureGroup.HEADCOUNT),
        (("bdf_",), FeatureGroup.FINANCIAL_HEALTH),
        (("supplier_fail", "gnn_supplier"), FeatureGroup.SUPPLIER_CONTAGION),
        (("client_fail", "gnn_client"), FeatureGroup.CLIENT_CONTAGION),
        (("group_", "gnn_group"), FeatureGroup.GROUP),
        (
            ("n_clients", "n_suppliers", "sales_12m", "purchases_12m", "client_hhi", "supplier_hhi"),
            FeatureGroup.NETWORK,
        ),
    )
    for prefixes, grp in rules:
        if name.startswith(prefixes):
            return grp
    return FeatureGroup.PROFILE


def variant_features(columns: list[str], variant: Variant) -> list[str]:
    """The feature columns a variant trains on (the horizon is always added by the model).

    Args:
        columns: every available feature column.
        variant: which set.
    """
    allowed = {
        Variant.TABULAR: {Family.TABULAR},
        Variant.TABULAR_GRAPH: {Family.TABULAR, Family.GRAPH},
        Variant.TABULAR_GRAPH_GNN: {Family.TABULAR, Family.GRAPH, Family.GNN},
        Variant.GNN_ONLY: {Family.GNN},
    }[variant]
    return [c for c in columns if family(c) in allowed]
