"""Time-respecting HeteroData snapshots built from Neo4j (and the measure store)."""

from gnn.data.extract import TemporalGraph, read_temporal_graph
from gnn.data.snapshot import EDGE_TYPES, attach_labels, build_snapshot

__all__ = ["EDGE_TYPES", "TemporalGraph", "attach_labels", "build_snapshot", "read_temporal_graph"]
