"""Reads a detection list from the graph: one query for the page, the total and the counts.

Every filter is a parameter; the départements are always bound (the caller's
zones within the region), so no row outside them is ever read. Items are ordered
as published (the list's rank, then SIREN), so offsets are stable while handling
statuses change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, LiteralString

from graph_api.detection.scope import HandlingStatus, ListScope
from graph_api.pagination import OffsetCursor
from graphstore.store import AsyncGraphStore

_LIST: LiteralString = """
MATCH (a:Alert)
WHERE a.region = $region AND a.period = $period AND a.listed = true
  AND ($levels IS NULL OR a.level IN $levels)
  AND (NOT $first_only OR a.first_alert = true)
MATCH (a)-[:FOR]->(c:Company)
WHERE c.departement IN $deps
  AND ($naf IS NULL OR replace(coalesce(c.naf, ''), '.', '') STARTS WITH $naf)
  AND ($bands IS NULL OR c.headcount_band IN $bands)
OPTIONAL CALL (a) {
  MATCH (:Agency {code: $agency})-[h:HANDLES]->(a)
  RETURN h ORDER BY h.at DESC LIMIT 1
}
WITH a, c, h, coalesce(h.status, 'new') AS status,
     EXISTS { MATCH (:Agency {code: $agency})-[f:FOLLOWS]->(c) WHERE f.until IS NULL } AS followed
WHERE ($followed IS NULL OR followed = $followed) AND ($statuses IS NULL OR status IN $statuses)
WITH a, c, h, status, followed ORDER BY coalesce(a.rank, 2147483647), c.siren
WITH collect({
  alert_id: a.id, siren: c.siren, period: a.period, level: a.level, region: a.region,
  first_alert: a.first_alert, rank: a.rank, listed_at: a.created_at, followed: followed,
  status: status, reason: h.reason, at: h.at, by: h.by, intervention_id: h.intervention_id
}) AS rows
RETURN size(rows) AS total, rows[$skip..$skip + $limit] AS page,
       [r IN rows | r.level] AS levels, [r IN rows | r.status] AS statuses
"""

_LATEST: LiteralString = """
MATCH (a:Alert)
WHERE a.region = $region AND a.listed = true
RETURN max(a.period) AS period
"""

MAX_ITEMS = 10_000
"""The most items a list read returns at once (exports); lists are a few per month."""


@dataclass(frozen=True)
class ListPage:
    """One page of a detection list.

    Attributes:
        period: the list's month (None when the region has no list yet).
        total: items matching the filters.
        items: the page's rows (alert, handling and SIREN).
        by_level: items matching the filters, per alert level.
        by_status: items matching the filters, per handling status.
    """

    period: str | None
    total: int
    items: list[dict[str, Any]]
    by_level: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


CURSOR = OffsetCursor("detection")
"""Cursors of this list's positions."""
encode_offset = CURSOR.encode
decode_offset = CURSOR.decode


async def latest_period(store: AsyncGraphStore, region: str) -> str | None:
    """The month of the region's latest published list; None when it has none."""
    rows = await store.read(_LATEST, {"region": region})
    return rows[0]["period"] if rows else None


async def read_list(store: AsyncGraphStore, scope: ListScope, agency: str, skip: int, limit: int) -> ListPage:
    """A page of the list described by ``scope``, seen by ``agency``.

    Args:
        store: the graph store.
        scope: the checked request (region, period, départements, filters).
        agency: the caller's agency (its follows and handling statuses).
        skip: items to skip.
        limit: items to return (at most ``MAX_ITEMS``).
    """
    period = scope.period or await latest_period(store, scope.region)
    if period is None:
        return ListPage(None, 0, [])
    f = scope.filters
    params: dict[str, Any] = {
        "region": scope.region,
        "period": period,
        "deps": list(scope.departements),
        "naf": f.naf_prefix,
        "bands": list(f.size_bands) if f.size_bands else None,
        "levels": list(f.levels) if f.levels else None,
        "first_only": f.first_alert_only,
        "followed": f.followed,
        "statuses": [s.value for s in f.statuses] if f.statuses else None,
        "agency": agency,
        "skip": skip,
        "limit": min(limit, MAX_ITEMS),
    }
    rows = await store.read(_LIST, params)
    if not rows:
        return ListPage(period, 0, [])
    row = rows[0]
    items = [{k: _native(v) for k, v in item.items()} for item in row["page"]]
    for item in items:
        item["status"] = HandlingStatus(item["status"]) if item["status"] in _STATUSES else HandlingStatus.NEW
    return ListPage(
        period,
        int(row["total"]),
        items,
        dict(Counter(str(v) for v in row["levels"] if v is not None)),
        dict(Counter(str(v) for v in row["statuses"])),
    )


_STATUSES = {s.value for s in HandlingStatus}
