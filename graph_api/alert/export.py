"""The detection feedback for the model team: one row per agent and alert.

Agents are pseudonymised (a SHA-256 prefix of their subject): the
model team needs to tell answers apart, not to know who gave them. Free-text
comments are exported as written; agents are told so in the interface.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, LiteralString

from graphstore.store import GraphStore

COLUMNS = (
    "alert_id",
    "siren",
    "period",
    "level",
    "region",
    "p12",
    "rank",
    "first_alert",
    "agency",
    "agent",
    "useful",
    "comment",
    "answered_at",
    "revisions",
    "handling_status",
)
"""The CSV header, in order."""

FEEDBACK_ROWS: LiteralString = """
MATCH (f:DetectionFeedback)-[:ON]->(a:Alert)
WHERE $period IS NULL OR a.period = $period
OPTIONAL MATCH (:Agency {code: f.agency})-[h:HANDLES]->(a)
RETURN a.id AS alert_id, a.siren AS siren, a.period AS period, a.level AS level, a.region AS region,
       a.p12 AS p12, a.rank AS rank, a.first_alert AS first_alert, f.agency AS agency, f.sub AS sub,
       f.useful AS useful, f.comment AS comment, f.at AS answered_at, f.revisions AS revisions,
       h.status AS handling_status
ORDER BY period, siren, agency, sub
"""


def pseudonym(sub: str) -> str:
    """A stable pseudonym of an agent."""
    return hashlib.sha256(sub.encode()).hexdigest()[:12]


def shape(row: dict[str, Any]) -> dict[str, Any]:
    """One export row from a ``FEEDBACK_ROWS`` record (the subject replaced by its pseudonym)."""
    out = {k: row.get(k) for k in COLUMNS if k != "agent"}
    out["agent"] = pseudonym(str(row["sub"]))
    at: Any = out["answered_at"]
    native = at.to_native() if hasattr(at, "to_native") else at
    out["answered_at"] = native.isoformat() if native is not None else None
    return out


def rows(store: GraphStore, period: str | None = None) -> list[dict[str, Any]]:
    """Every feedback row (of one period when given), ordered by period, SIREN, agency."""
    return [shape(r) for r in store.read(FEEDBACK_ROWS, {"period": period})]


def write_csv(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Writes ``records`` as CSV with ``COLUMNS``; returns how many rows."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for r in records:
            writer.writerow(r)
            n += 1
    return n


def export_feedback(out: Path, period: str | None = None, store: GraphStore | None = None) -> int:
    """Writes the feedback export to ``out``; returns the number of rows."""
    return write_csv(out, rows(store or GraphStore(), period))
