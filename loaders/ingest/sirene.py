"""Sirene stocks: Company and Establishment nodes, PART_OF, establishment closures.

A stock is the full picture. At the end of a delivery, the companies
(establishments) in stock that none of its stock files lists get
``in_stock = false`` and ``absent_since`` (``mark_absent``); they are never
deleted (history, notes and follow-ups stay) and come back to ``in_stock = true``
when a later stock lists them again.

Stocks are re-sent whole every few months and mostly unchanged, so each node
keeps ``row_hash`` (the hash of the row that last wrote it) and an unchanged row
still in stock is not written at all: its provenance stays that of the delivery
that last changed it, i.e. when the fact became known.

A stock older than the newest one already loaded (a late delivery) only adds
the entities the graph does not know yet: it never rolls a known one back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, LiteralString

from graphstore.geo import region_of
from loaders.ingest.context import IngestCounts, LoadContext
from loaders.records import Etablissement, UniteLegale

_COMPANIES = """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.first_known_on = $known_on
WITH c, row WHERE c.stock_known_on IS NULL OR c.stock_known_on <= $known_on
SET c.name = row.name, c.created_on = row.created_on, c.headcount_band = row.headcount_band,
    c.legal_form = row.legal_form, c.naf = row.naf, c.category = row.category, c.active = row.active,
    c.head_office_siret = row.head_office_siret, c.public_sector = row.public_sector,
    c.in_stock = true, c.absent_since = null, c.stock_known_on = $known_on,
    c.row_hash = row.row_hash, c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on
"""

# What the graph knows of a stock's entities: hash of the last row written, whether
# in stock, and the date of the stock that wrote it.
_KNOWN_COMPANIES = """
MATCH (c:Company) WHERE c.stock_known_on IS NOT NULL
RETURN c.siren AS key, c.row_hash AS hash, c.in_stock AS in_stock, c.stock_known_on AS stock_known_on
"""

_KNOWN_ESTABLISHMENTS = """
MATCH (e:Establishment) WHERE e.stock_known_on IS NOT NULL
RETURN e.siret AS key, e.row_hash AS hash, e.in_stock AS in_stock, e.stock_known_on AS stock_known_on
"""

_ESTABLISHMENTS = """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on, c.first_known_on = $known_on
MERGE (e:Establishment {siret: row.siret})
  ON CREATE SET e.first_known_on = $known_on
WITH c, e, row, e.active AS was_active
WHERE e.stock_known_on IS NULL OR e.stock_known_on <= $known_on
SET e.siren = row.siren, e.nic = row.nic, e.name = row.name, e.created_on = row.created_on,
    e.headcount_band = row.headcount_band, e.head_office = row.head_office, e.postal_code = row.postal_code,
    e.commune = row.commune, e.commune_code = row.commune_code, e.departement = row.departement,
    e.region = row.region, e.naf = row.naf, e.active = row.active, e.longitude = row.longitude,
    e.latitude = row.latitude, e.pseudo_siret = false,
    e.in_stock = true, e.absent_since = null, e.stock_known_on = $known_on,
    e.row_hash = row.row_hash, e.source_file = $source_file, e.delivery = $delivery, e.known_on = $known_on
MERGE (e)-[p:PART_OF]->(c)
  ON CREATE SET p.first_known_on = $known_on
SET p.source_file = $source_file, p.delivery = $delivery, p.known_on = $known_on
FOREACH (_ IN CASE WHEN row.head_office THEN [1] ELSE [] END |
  SET c.departement = row.departement, c.region = row.region)
WITH c, row, was_active WHERE was_active = true AND row.active = false
MERGE (t:TimelineEvent {id: 'establishment_closed:' + row.siret})
  ON CREATE SET t.known_on = $known_on, t.delivery = $delivery, t.source_file = $source_file, t.pinned = false,
    t.siren = row.siren, t.kind = 'establishment_closed', t.source = 'sirene', t.occurred_on = $known_on,
    t.summary = row.closure_summary, t.payload = row.closure_payload, t.first_known_on = $known_on
MERGE (t)-[a:ABOUT]->(c)
  ON CREATE SET a.source_file = $source_file, a.delivery = $delivery, a.known_on = $known_on, a.first_known_on = $known_on
"""

_ABSENT_COMPANIES = """
UNWIND $rows AS row
MATCH (c:Company {siren: row.key})
SET c.in_stock = false, c.absent_since = $known_on
"""

_ABSENT_ESTABLISHMENTS = """
UNWIND $rows AS row
MATCH (e:Establishment {siret: row.key})
SET e.in_stock = false, e.absent_since = $known_on
"""


@dataclass(frozen=True)
class StockKind:
    """The queries of one stock (companies or establishments)."""

    key: str
    known: LiteralString
    upsert: LiteralString
    absent: LiteralString


COMPANIES = StockKind("siren", _KNOWN_COMPANIES, _COMPANIES, _ABSENT_COMPANIES)
ESTABLISHMENTS = StockKind("siret", _KNOWN_ESTABLISHMENTS, _ESTABLISHMENTS, _ABSENT_ESTABLISHMENTS)


def _company_rows(records: Iterable[UniteLegale]) -> Iterator[dict[str, Any]]:
    for r in records:
        yield {
            "siren": r.siren,
            "name": r.name,
            "created_on": r.created_on,
            "headcount_band": r.headcount_band,
            "legal_form": r.legal_form,
            "naf": r.naf,
            "category": r.category,
            "active": r.active,
            "head_office_siret": r.head_office_siret,
            # Legal forms 7xxx are public-law persons (INSEE nomenclature).
            "public_sector": bool(r.legal_form and r.legal_form.startswith("7")),
        }


def _establishment_rows(records: Iterable[Etablissement]) -> Iterator[dict[str, Any]]:
    for r in records:
        yield {
            "siret": r.siret,
            "siren": r.siren,
            "nic": r.nic,
            "name": r.name,
            "created_on": r.created_on,
            "headcount_band": r.headcount_band,
            "head_office": r.head_office,
            "postal_code": r.postal_code,
            "commune": r.commune,
            "commune_code": r.commune_code,
            "departement": r.departement,
            "region": region_of(r.departement),
            "naf": r.naf,
            "active": r.active,
            "longitude": r.longitude,
            "latitude": r.latitude,
            "closure_summary": f"Fermeture de l'établissement {r.siret}" + (f" ({r.commune})" if r.commune else ""),
            "closure_payload": f'{{"siret": "{r.siret}"}}',
        }


def row_hash(row: dict[str, Any]) -> str:
    """A short, stable hash of a row's values (what decides whether it changed)."""
    return hashlib.blake2b(repr(sorted(row.items())).encode(), digest_size=12).hexdigest()


def _upsert_stock(ctx: LoadContext, rows: Iterable[dict[str, Any]], kind: StockKind) -> IngestCounts:
    # One entry per company (establishment) known: bounded by the region, not the file.
    known = {r["key"]: r for r in ctx.graph.read(kind.known)}
    newest = max((r["stock_known_on"].to_native() for r in known.values()), default=None)
    stale = newest is not None and newest > ctx.known_on
    # What the delivery's stocks list decides what is no longer in stock; an old
    # stock says nothing about that.
    seen: set[str] = set() if stale else ctx.listed.setdefault(kind.key, set())
    counts = IngestCounts()

    def changed() -> Iterator[dict[str, Any]]:
        for row in rows:
            key = row[kind.key]
            seen.add(key)
            prev = known.get(key)
            h = row_hash({k: v for k, v in row.items() if not k.startswith("closure_")})
            if prev is not None and stale:
                counts.skipped += 1  # older than what the graph holds
                continue
            if prev is not None and prev["hash"] == h and prev["in_stock"]:
                # Already in the graph as this row says: loaded (and counted so, which
                # keeps a resumed run's report equal to an uninterrupted one's).
                counts.loaded += 1
                continue
            row["row_hash"] = h
            yield row

    # A stock lists each key once: batches are independent and may run side by side.
    written = ctx.write_concurrently(kind.upsert, changed())  # counts the unchanged rows as it goes
    counts.loaded += written
    return counts


def load_companies(ctx: LoadContext, records: Iterable[UniteLegale]) -> IngestCounts:
    """Upserts the companies of a ``StockUniteLegale`` file that are new or changed.

    The SIRENs it lists are added to ``ctx.listed["siren"]`` (for ``mark_absent``).
    """
    return _upsert_stock(ctx, _company_rows(records), COMPANIES)


def load_establishments(ctx: LoadContext, records: Iterable[Etablissement]) -> IngestCounts:
    """Upserts the establishments of a ``StockEtablissement`` file that are new or changed (PART_OF, closures).

    The SIRETs it lists are added to ``ctx.listed["siret"]`` (for ``mark_absent``).
    """
    return _upsert_stock(ctx, _establishment_rows(records), ESTABLISHMENTS)


def mark_absent(ctx: LoadContext, kind: StockKind, listed: set[str]) -> int:
    """Flags the entities in stock that the delivery's stock files of that kind do not list.

    Args:
        ctx: the delivery (its ``source_file`` is unused).
        kind: ``COMPANIES`` or ``ESTABLISHMENTS``.
        listed: every key the delivery's stock files of that kind list (empty: no stock,
            or an old one: nothing is flagged).

    Returns:
        How many were flagged.
    """
    if not listed:
        return 0
    known = ctx.graph.read(kind.known)
    if any(r["stock_known_on"].to_native() > ctx.known_on for r in known):
        return 0  # a newer stock is loaded: this one is not the current picture
    gone = [{"key": r["key"]} for r in known if r["in_stock"] and r["key"] not in listed]
    return ctx.write(kind.absent, gone)
