"""Persons, ownership (OWNS), directorships (DIRECTS) and groups (MEMBER_OF).

SOURCES.md §6: an ownership link is identified by (owner, owned, ``date_debut``),
a directorship by (company, director, ``qualite``, ``date_debut``); the
relationship carries that identity as ``link_id`` and is merged on it, so a later
row with the same identity replaces the earlier one (a row re-sent with
``date_fin`` ends the link). A later ``tetes_de_groupe`` row for a company moves
it to the new group (the old MEMBER_OF is deleted) and records a group change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, LiteralString

from loaders.ingest.context import IngestCounts, LoadContext
from loaders.records import Dirigeant, LienCapitalistique, Personne, TeteDeGroupe
from loaders.timeline.events import EventKind, event_id

_PERSONS = """
UNWIND $rows AS row
MERGE (p:Person {id: row.id})
  ON CREATE SET p.first_known_on = $known_on
SET p.last_name = row.last_name, p.first_names = row.first_names, p.birth_year = row.birth_year,
    p.source_file = $source_file, p.delivery = $delivery, p.known_on = $known_on
"""

# The owner is matched by label in two near-identical statements (labels cannot be
# parameters); everything else is shared.
_OWNS_TAIL = """
MERGE (o)-[r:OWNS {link_id: row.link_id}]->(c)
  ON CREATE SET r.first_known_on = $known_on
SET r.percentage = row.percentage, r.nature = row.nature, r.since = row.since, r.until = row.until,
    r.source_file = $source_file, r.delivery = $delivery, r.known_on = $known_on
WITH c, row
UNWIND row.events AS ev
MERGE (t:TimelineEvent {id: ev.id})
  ON CREATE SET t.known_on = $known_on, t.delivery = $delivery, t.source_file = $source_file, t.pinned = false, t.first_known_on = $known_on
SET t.siren = row.owned, t.kind = 'ownership_change', t.source = 'liens_capitalistiques',
    t.occurred_on = ev.occurred_on, t.summary = ev.summary, t.payload = ev.payload
MERGE (t)-[a:ABOUT]->(c)
  ON CREATE SET a.source_file = $source_file, a.delivery = $delivery, a.known_on = $known_on, a.first_known_on = $known_on
"""

_OWNS_BY_COMPANY: LiteralString = (
    """
UNWIND $rows AS row
MERGE (c:Company {siren: row.owned})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on, c.first_known_on = $known_on
MERGE (o:Company {siren: row.owner})
  ON CREATE SET o.source_file = $source_file, o.delivery = $delivery, o.known_on = $known_on, o.first_known_on = $known_on
"""
    + _OWNS_TAIL
)

_OWNS_BY_PERSON: LiteralString = (
    """
UNWIND $rows AS row
MERGE (c:Company {siren: row.owned})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on, c.first_known_on = $known_on
MERGE (o:Person {id: row.owner})
  ON CREATE SET o.source_file = $source_file, o.delivery = $delivery, o.known_on = $known_on, o.first_known_on = $known_on
"""
    + _OWNS_TAIL
)

_DIRECTS_TAIL = """
MERGE (d)-[r:DIRECTS {link_id: row.link_id}]->(c)
  ON CREATE SET r.first_known_on = $known_on
SET r.role = row.role, r.since = row.since, r.until = row.until,
    r.source_file = $source_file, r.delivery = $delivery, r.known_on = $known_on
"""

_DIRECTS_BY_COMPANY: LiteralString = (
    """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on, c.first_known_on = $known_on
MERGE (d:Company {siren: row.director})
  ON CREATE SET d.source_file = $source_file, d.delivery = $delivery, d.known_on = $known_on, d.first_known_on = $known_on
"""
    + _DIRECTS_TAIL
)

_DIRECTS_BY_PERSON: LiteralString = (
    """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on, c.first_known_on = $known_on
MERGE (d:Person {id: row.director})
  ON CREATE SET d.source_file = $source_file, d.delivery = $delivery, d.known_on = $known_on, d.first_known_on = $known_on
"""
    + _DIRECTS_TAIL
)

_GROUPS = """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on, c.first_known_on = $known_on
MERGE (g:Group {id: row.head})
  ON CREATE SET g.first_known_on = $known_on
SET g.name = coalesce(row.name, g.name), g.reference_date = row.reference_date,
    g.source_file = $source_file, g.delivery = $delivery, g.known_on = $known_on
WITH c, g, row
OPTIONAL MATCH (c)-[old:MEMBER_OF]->(prev:Group) WHERE prev.id <> row.head
WITH c, g, row, collect(prev.id) AS previous, collect(old) AS olds
FOREACH (r IN olds | DELETE r)
MERGE (c)-[m:MEMBER_OF]->(g)
  ON CREATE SET m.first_known_on = $known_on
SET m.reference_date = row.reference_date,
    m.source_file = $source_file, m.delivery = $delivery, m.known_on = $known_on
WITH c, row, previous WHERE size(previous) > 0
MERGE (t:TimelineEvent {id: 'group_change:' + row.siren + ':' + row.head + ':' + row.ref})
  ON CREATE SET t.known_on = $known_on, t.delivery = $delivery, t.source_file = $source_file, t.pinned = false, t.first_known_on = $known_on
SET t.siren = row.siren, t.kind = 'group_change', t.source = 'tetes_de_groupe',
    t.occurred_on = coalesce(row.reference_date, $known_on),
    t.summary = 'Changement de groupe : ' + previous[0] + ' → ' + row.head + coalesce(' (' + row.name + ')', ''),
    t.payload = '{"from": "' + previous[0] + '", "to": "' + row.head + '"}'
MERGE (t)-[a:ABOUT]->(c)
  ON CREATE SET a.source_file = $source_file, a.delivery = $delivery, a.known_on = $known_on, a.first_known_on = $known_on
"""


def _key(*parts: object) -> str:
    return "|".join("" if p is None else str(p) for p in parts)


def load_persons(ctx: LoadContext, records: Iterable[Personne]) -> IngestCounts:
    """Upserts the persons of a ``personnes`` file."""
    rows = (
        {"id": r.personne_id, "last_name": r.last_name, "first_names": r.first_names, "birth_year": r.birth_year}
        for r in records
    )
    return IngestCounts(loaded=ctx.write(_PERSONS, rows))


def _ownership_events(r: LienCapitalistique, owner: str, link_id: str) -> list[dict[str, Any]]:
    pct = "" if r.percentage is None else f" {r.percentage:g} %"
    events = []
    payload = {"owner": owner, "owned": r.owned_siren, "percentage": r.percentage, "nature": r.nature.value}
    if r.since is not None:
        events.append({
            "id": event_id(EventKind.OWNERSHIP_CHANGE, link_id, "start"),
            "occurred_on": r.since,
            "summary": f"Prise de participation de {owner}{pct} ({r.nature.value})",
            "payload": json.dumps({**payload, "change": "start"}, default=str),
        })  # fmt: skip
    if r.until is not None:
        events.append({
            "id": event_id(EventKind.OWNERSHIP_CHANGE, link_id, "end"),
            "occurred_on": r.until,
            "summary": f"Fin de la participation de {owner}{pct}",
            "payload": json.dumps({**payload, "change": "end"}, default=str),
        })  # fmt: skip
    return events


def load_ownership(ctx: LoadContext, records: Iterable[LienCapitalistique]) -> IngestCounts:
    """Merges the OWNS links of a ``liens_capitalistiques`` file, with ownership-change events.

    Rows are written in file order, each batch by owner kind; a row and a later one
    with the same identity in one file land in order, so the later one wins.
    """
    by_company: list[dict[str, Any]] = []
    by_person: list[dict[str, Any]] = []
    loaded = 0

    def flush() -> None:
        nonlocal loaded
        loaded += ctx.write(_OWNS_BY_COMPANY, by_company) + ctx.write(_OWNS_BY_PERSON, by_person)
        by_company.clear()
        by_person.clear()

    for r in records:
        kind, owner, owned, since = r.identity
        link_id = _key(kind, owner, owned, since)
        row = {
            "owner": owner, "owned": owned, "link_id": link_id, "percentage": r.percentage,
            "nature": r.nature.value, "since": r.since, "until": r.until,
            "events": _ownership_events(r, owner, link_id),
        }  # fmt: skip
        (by_company if kind == "siren" else by_person).append(row)
        if len(by_company) + len(by_person) >= ctx.batch_rows:
            flush()
    flush()
    return IngestCounts(loaded=loaded)


def _directorship_rows(records: Iterable[Dirigeant], kind: str) -> Iterator[dict[str, Any]]:
    for r in records:
        siren, dkind, director, role, since = r.identity
        if dkind == kind:
            yield {
                "siren": siren, "director": director, "role": role, "since": r.since, "until": r.until,
                "link_id": _key(siren, dkind, director, role, since),
            }  # fmt: skip


def load_directors(ctx: LoadContext, records: Iterable[Dirigeant]) -> IngestCounts:
    """Merges the DIRECTS links of a ``dirigeants`` file (persons and companies as directors)."""
    by_company: list[Dirigeant] = []
    loaded = 0

    def persons_then_keep_companies() -> Iterator[Dirigeant]:
        for r in records:
            if r.director_siren is not None:
                by_company.append(r)
            else:
                yield r

    # Persons stream straight through; company directors are rare and kept aside.
    loaded += ctx.write(_DIRECTS_BY_PERSON, _directorship_rows(persons_then_keep_companies(), "personne"))
    loaded += ctx.write(_DIRECTS_BY_COMPANY, _directorship_rows(by_company, "siren"))
    return IngestCounts(loaded=loaded)


def load_groups(ctx: LoadContext, records: Iterable[TeteDeGroupe]) -> IngestCounts:
    """Moves each company of a ``tetes_de_groupe`` file into its group (latest row wins)."""
    rows = (
        {
            "siren": r.siren, "head": r.head_siren, "name": r.group_name, "reference_date": r.reference_date,
            "ref": "" if r.reference_date is None else r.reference_date.isoformat(),
        }
        for r in records
    )  # fmt: skip
    return IngestCounts(loaded=ctx.write(_GROUPS, rows))
