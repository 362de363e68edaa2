"""The columnar measure store: monthly and periodic measures as Parquet, read with DuckDB.

The graph holds entities, relationships, events and deliveries; the measures live
here only (one source of truth per fact). See ``docs/measures.md``.
"""

from graphstore.measures.readers import (
    FTE_HOURS,
    bdf_panel,
    bdf_ratios,
    ccsf_history,
    contributions_panel,
    contributions_series,
    debt_panel,
    debt_series,
    default_store,
    headcount_panel,
    headcount_series,
    payment_plans,
    short_time_work,
    short_time_work_panel,
    supplier_dependencies,
    supplier_dependencies_sql,
    supplier_flows,
)
from graphstore.measures.store import MeasureStore, Provenance
from graphstore.measures.tables import SPECS, Table, TableSpec, full_schema

__all__ = [
    "FTE_HOURS",
    "SPECS",
    "MeasureStore",
    "Provenance",
    "Table",
    "TableSpec",
    "bdf_panel",
    "bdf_ratios",
    "ccsf_history",
    "contributions_panel",
    "contributions_series",
    "debt_panel",
    "debt_series",
    "default_store",
    "full_schema",
    "headcount_panel",
    "headcount_series",
    "payment_plans",
    "short_time_work",
    "short_time_work_panel",
    "supplier_dependencies",
    "supplier_dependencies_sql",
    "supplier_flows",
]
