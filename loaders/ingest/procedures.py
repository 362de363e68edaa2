"""Insolvency proceedings (ProcedureCollective + SUBJECT_OF) from BODACC and URSSAF pcoll.

The same judgment seen by both sources is one node: its id is
``<siren>:<kind>:<date>`` (the kind, or the stage when BODACC names no kind, e.g.
a plan de continuation). BODACC's wording wins for ``stage`` and ``nature``;
``sources`` lists every source that reported it, ``source`` the first one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from loaders.ingest.context import IngestCounts, LoadContext
from loaders.records import BodaccJudgment, PcollUrssaf, ProcedureKind, ProcedureStage

_PROCEDURES = """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on, c.first_known_on = $known_on
MERGE (p:ProcedureCollective {id: row.id})
  ON CREATE SET p.source = row.source, p.sources = [], p.first_known_on = $known_on
SET p.siren = row.siren, p.kind = row.kind, p.judgment_date = row.judgment_date,
    p.stage = CASE WHEN row.source = 'bodacc' OR p.stage IS NULL THEN row.stage ELSE p.stage END,
    p.nature = CASE WHEN row.source = 'bodacc' OR p.nature IS NULL THEN row.nature ELSE p.nature END,
    p.sources = CASE WHEN row.source IN p.sources THEN p.sources ELSE p.sources + row.source END,
    p.source_file = $source_file, p.delivery = $delivery, p.known_on = $known_on
MERGE (c)-[s:SUBJECT_OF]->(p)
  ON CREATE SET s.first_known_on = $known_on
SET s.source_file = $source_file, s.delivery = $delivery, s.known_on = $known_on
MERGE (t:TimelineEvent {id: 'insolvency_judgment:' + row.id})
  ON CREATE SET t.known_on = $known_on, t.delivery = $delivery, t.source_file = $source_file, t.pinned = false, t.first_known_on = $known_on
SET t.siren = row.siren, t.kind = 'insolvency_judgment', t.source = coalesce(t.source, row.source),
    t.occurred_on = row.judgment_date, t.summary = row.summary, t.payload = row.payload
MERGE (t)-[a:ABOUT]->(c)
  ON CREATE SET a.source_file = $source_file, a.delivery = $delivery, a.known_on = $known_on, a.first_known_on = $known_on
"""

_STAGE_FR = {
    ProcedureStage.OUVERTURE: "Ouverture",
    ProcedureStage.PLAN: "Plan",
    ProcedureStage.CONVERSION: "Conversion",
    ProcedureStage.EXTENSION: "Extension",
    ProcedureStage.CLOTURE: "Clôture",
    ProcedureStage.AUTRE: "Jugement",
}


def procedure_id(siren: str, kind: ProcedureKind | None, stage: ProcedureStage, on: date) -> str:
    """The natural key of a judgment: SIREN, kind (or stage when no kind), date."""
    return f"{siren}:{kind.value if kind else stage.value}:{on.isoformat()}"


def _row(
    siren: str, kind: ProcedureKind | None, stage: ProcedureStage, on: date, nature: str, source: str
) -> dict[str, Any]:
    label = f"{_STAGE_FR[stage]}" + (f" de {kind.value}" if kind else "")
    return {
        "id": procedure_id(siren, kind, stage, on),
        "siren": siren,
        "kind": kind.value if kind else None,
        "stage": stage.value,
        "judgment_date": on,
        "nature": nature,
        "source": source,
        "summary": f"{label} ({source.upper()}) : {nature}",
        "payload": f'{{"kind": "{kind.value if kind else ""}", "stage": "{stage.value}", "source": "{source}"}}',
    }


def _bodacc_rows(records: Iterable[BodaccJudgment]) -> Iterator[dict[str, Any]]:
    for r in records:
        yield _row(r.siren, r.kind, r.stage, r.judgment_date or r.published_on, r.nature, "bodacc")


def _pcoll_rows(records: Iterable[PcollUrssaf]) -> Iterator[dict[str, Any]]:
    for r in records:
        yield _row(r.siren, r.kind, r.stage, r.effective_on, r.label, "urssaf")


def load_bodacc(ctx: LoadContext, records: Iterable[BodaccJudgment]) -> IngestCounts:
    """Merges the judgments of a ``bodacc_pcl`` file (one record per SIREN named)."""
    return IngestCounts(loaded=ctx.write(_PROCEDURES, _bodacc_rows(records)))


def load_pcoll(ctx: LoadContext, records: Iterable[PcollUrssaf]) -> IngestCounts:
    """Merges the proceedings of a ``sigfaible_pcoll`` file."""
    return IngestCounts(loaded=ctx.write(_PROCEDURES, _pcoll_rows(records)))
