"""Sirene stocks: Company and Establishment nodes, PART_OF, establishment closures.

A stock is the full picture: every company (establishment) it lists gets
``in_stock = true`` and ``stock_delivery`` = this delivery; at the end of the
delivery the ones a stock no longer lists get ``in_stock = false`` and
``absent_since`` (``mark_absent``). They are never deleted: their history,
notes and follow-ups stay. A stock never overwrites the picture of a more
recent one (``stock_known_on``), so a late old delivery cannot roll a company back.

Stocks are re-sent whole every few months and mostly unchanged: each node keeps
``row_hash``, the hash of the row that last wrote it, and a row whose hash is
unchanged (and still in stock) only gets ``stock_delivery``/``stock_known_on``
touched, a much lighter write. Its provenance stays that of the delivery that
last changed it: when the fact became known.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any, LiteralString

from graphstore.geo import region_of
from loaders.ingest.context import IngestCounts, LoadContext
from loaders.records import Etablissement, UniteLegale

_COMPANIES = """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
WITH c, row WHERE c.stock_known_on IS NULL OR c.stock_known_on <= $known_on
SET c.name = row.name, c.created_on = row.created_on, c.headcount_band = row.headcount_band,
    c.legal_form = row.legal_form, c.naf = row.naf, c.category = row.category, c.active = row.active,
    c.head_office_siret = row.head_office_siret, c.public_sector = row.public_sector,
    c.in_stock = true, c.absent_since = null, c.stock_delivery = $delivery, c.stock_known_on = $known_on,
    c.row_hash = row.row_hash, c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on
"""

_TOUCH_COMPANIES = """
UNWIND $rows AS row
MATCH (c:Company {siren: row.key}) WHERE c.stock_known_on <= $known_on
SET c.stock_delivery = $delivery, c.stock_known_on = $known_on
"""

_TOUCH_ESTABLISHMENTS = """
UNWIND $rows AS row
MATCH (e:Establishment {siret: row.key}) WHERE e.stock_known_on <= $known_on
SET e.stock_delivery = $delivery, e.stock_known_on = $known_on
"""

_HASHES_COMPANIES = """
MATCH (c:Company) WHERE c.row_hash IS NOT NULL AND c.in_stock = true RETURN c.siren AS key, c.row_hash AS hash
"""

_HASHES_ESTABLISHMENTS = """
MATCH (e:Establishment) WHERE e.row_hash IS NOT NULL AND e.in_stock = true RETURN e.siret AS key, e.row_hash AS hash
"""

_ESTABLISHMENTS = """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on
MERGE (e:Establishment {siret: row.siret})
WITH c, e, row, e.active AS was_active
WHERE e.stock_known_on IS NULL OR e.stock_known_on <= $known_on
SET e.siren = row.siren, e.nic = row.nic, e.name = row.name, e.created_on = row.created_on,
    e.headcount_band = row.headcount_band, e.head_office = row.head_office, e.postal_code = row.postal_code,
    e.commune = row.commune, e.commune_code = row.commune_code, e.departement = row.departement,
    e.region = row.region, e.naf = row.naf, e.active = row.active, e.longitude = row.longitude,
    e.latitude = row.latitude, e.pseudo_siret = false,
    e.in_stock = true, e.absent_since = null, e.stock_delivery = $delivery, e.stock_known_on = $known_on,
    e.row_hash = row.row_hash, e.source_file = $source_file, e.delivery = $delivery, e.known_on = $known_on
MERGE (e)-[p:PART_OF]->(c)
SET p.source_file = $source_file, p.delivery = $delivery, p.known_on = $known_on
FOREACH (_ IN CASE WHEN row.head_office THEN [1] ELSE [] END |
  SET c.departement = row.departement, c.region = row.region)
WITH c, row, was_active WHERE was_active = true AND row.active = false
MERGE (t:TimelineEvent {id: 'establishment_closed:' + row.siret})
  ON CREATE SET t.known_on = $known_on, t.delivery = $delivery, t.source_file = $source_file, t.pinned = false,
    t.siren = row.siren, t.kind = 'establishment_closed', t.source = 'sirene', t.occurred_on = $known_on,
    t.summary = row.closure_summary, t.payload = row.closure_payload
MERGE (t)-[a:ABOUT]->(c)
  ON CREATE SET a.source_file = $source_file, a.delivery = $delivery, a.known_on = $known_on
"""

_ABSENT_COMPANIES = """
MATCH (c:Company) WHERE c.in_stock = true AND c.stock_delivery <> $delivery AND c.stock_known_on <= $known_on
SET c.in_stock = false, c.absent_since = $known_on
RETURN count(c) AS n
"""

_ABSENT_ESTABLISHMENTS = """
MATCH (e:Establishment) WHERE e.in_stock = true AND e.stock_delivery <> $delivery AND e.stock_known_on <= $known_on
SET e.in_stock = false, e.absent_since = $known_on
RETURN count(e) AS n
"""


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


def _upsert_changed(
    ctx: LoadContext,
    rows: Iterable[dict[str, Any]],
    key: str,
    hashes_query: LiteralString,
    full_query: LiteralString,
    touch_query: LiteralString,
) -> int:
    # Known hashes of what is in stock now: one entry per company (establishment),
    # bounded by the region, not by the file.
    known = {r["key"]: r["hash"] for r in ctx.graph.read(hashes_query)}
    full: list[dict[str, Any]] = []
    touch: list[dict[str, Any]] = []
    written = 0

    def flush(force: bool) -> None:
        nonlocal written
        for batch, query in ((full, full_query), (touch, touch_query)):
            if batch and (force or len(batch) >= ctx.batch_rows):
                written += ctx.write(query, batch)
                batch.clear()

    for row in rows:
        h = row_hash({k: v for k, v in row.items() if not k.startswith("closure_")})
        if known.get(row[key]) == h:
            touch.append({"key": row[key]})
        else:
            row["row_hash"] = h
            full.append(row)
        flush(False)
    flush(True)
    return written


def load_companies(ctx: LoadContext, records: Iterable[UniteLegale]) -> IngestCounts:
    """Upserts the companies of a ``StockUniteLegale`` file (unchanged ones are only touched)."""
    n = _upsert_changed(ctx, _company_rows(records), "siren", _HASHES_COMPANIES, _COMPANIES, _TOUCH_COMPANIES)
    return IngestCounts(loaded=n)


def load_establishments(ctx: LoadContext, records: Iterable[Etablissement]) -> IngestCounts:
    """Upserts the establishments of a ``StockEtablissement`` file, with PART_OF and closures."""
    n = _upsert_changed(
        ctx, _establishment_rows(records), "siret", _HASHES_ESTABLISHMENTS, _ESTABLISHMENTS, _TOUCH_ESTABLISHMENTS
    )
    return IngestCounts(loaded=n)


def mark_absent(ctx: LoadContext, companies: bool, establishments: bool) -> tuple[int, int]:
    """Flags what the delivery's stocks no longer list; returns (companies, establishments) flagged.

    Args:
        ctx: the delivery (its ``source_file`` is unused).
        companies: the delivery had a company stock.
        establishments: the delivery had an establishment stock.
    """
    params = ctx.params()
    nc = ctx.graph.write(_ABSENT_COMPANIES, params)[0]["n"] if companies else 0
    ne = ctx.graph.write(_ABSENT_ESTABLISHMENTS, params)[0]["n"] if establishments else 0
    return int(nc), int(ne)
