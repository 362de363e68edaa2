"""SUPPLIES relationships, recomputed from the supplier flows in the measure store.

The monthly detail stays in the measure store (``flux_facturation``); the graph
keeps one SUPPLIES per pair with ``since``, ``last_month``, ``amount_12m`` and the
two dependencies over the 12 months ending at the delivery's month, as known by
the delivery. Provenance: the refresh's delivery, and ``source_file`` the
flux file that last changed the pair; ``first_known_on`` is the date of the first
delivery whose flows showed the pair (SUPPLIES are only written after the last
delivery of a run, so their creation date would say little).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphstore.measures import supplier_dependencies_sql
from loaders.ingest.context import LoadContext

_SUPPLIES = """
UNWIND $rows AS row
MERGE (s:Company {siren: row.supplier})
  ON CREATE SET s.source_file = row.source_file, s.delivery = $delivery, s.known_on = $known_on, s.first_known_on = $known_on
MERGE (c:Company {siren: row.client})
  ON CREATE SET c.source_file = row.source_file, c.delivery = $delivery, c.known_on = $known_on, c.first_known_on = $known_on
MERGE (s)-[r:SUPPLIES]->(c)
  ON CREATE SET r.first_known_on = coalesce(row.first_known_on, $known_on)
SET r.since = row.since, r.last_month = row.last_month, r.amount_12m = row.amount_12m,
    r.supplier_dependency = row.supplier_dependency, r.client_dependency = row.client_dependency,
    r.source_file = row.source_file, r.delivery = $delivery, r.known_on = $known_on
"""


def recompute_supplies(ctx: LoadContext) -> int:
    """Rewrites every SUPPLIES from the flows known by the delivery; returns the pairs written."""
    ms = ctx.measures
    sql = supplier_dependencies_sql(ms, as_of=ctx.known_on, known_by=ctx.known_on)

    def rows() -> Iterator[dict[str, Any]]:
        # Streamed: the pairs grow with the region, the loader's memory must not.
        for batch in ms.batches(sql, rows=ctx.batch_rows):
            yield from batch.to_pylist()

    return ctx.write(_SUPPLIES, rows())
