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
from loaders.ingest import sirene_queries as q
from loaders.ingest.context import IngestCounts, LoadContext
from loaders.records import Etablissement, UniteLegale


@dataclass(frozen=True)
class StockKind:
    """The queries of one stock (companies or establishments).

    Attributes:
        key: the key field (``siren``, ``siret``).
        known: what the graph holds of every entity of that label, and the newest stock date.
        newest: the date of the newest stock loaded.
        upsert: MERGE of rows of known entities.
        create: CREATE of rows of entities the graph does not hold.
        fields: the order of a row's values.
        absent: flags entities no longer in stock.
    """

    key: str
    known: LiteralString
    newest: LiteralString
    upsert: LiteralString
    create: LiteralString
    fields: tuple[str, ...]
    absent: LiteralString


COMPANIES = StockKind("siren", q.KNOWN_COMPANIES, q.NEWEST_COMPANIES, q.COMPANIES_UPSERT, q.COMPANIES_NEW, q.COMPANY_FIELDS,
                      q.ABSENT_COMPANIES)  # fmt: skip
ESTABLISHMENTS = StockKind("siret", q.KNOWN_ESTABLISHMENTS, q.NEWEST_ESTABLISHMENTS, q.ESTABLISHMENTS_UPSERT, q.ESTABLISHMENTS_NEW,
                           q.ESTABLISHMENT_FIELDS, q.ABSENT_ESTABLISHMENTS)  # fmt: skip


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


# Key of ``ctx.listed`` holding, per stock kind, the keys in stock before the delivery's
# stocks were loaded (entities in stock then and listed by none of them are now absent).
_BEFORE = "in_stock_before:"


def _hash_of(row: dict[str, Any], hashed: list[str]) -> str:
    # Same value as row_hash of the row without its closure_ fields, without building
    # and sorting a dict per row: the hashed fields are sorted once per file.
    if not hashed:
        hashed.extend(sorted(k for k in row if not k.startswith("closure_")))
    items = [(k, row[k]) for k in hashed]
    return hashlib.blake2b(repr(items).encode(), digest_size=12).hexdigest()


def _upsert_stock(ctx: LoadContext, rows: Iterable[dict[str, Any]], kind: StockKind) -> IngestCounts:
    # One entry per company (establishment) in the graph: bounded by the region, not the file.
    # An entry is [key, row hash, in stock, written by a stock].
    state = ctx.graph.read(kind.known)[0]
    known: dict[str, list[Any]] = {r[0]: r for r in state["known"]}
    stale = _is_newer(state["newest"], ctx)
    if not stale:
        # What was in stock before this delivery's stocks: mark_absent needs no second read.
        ctx.listed.setdefault(_BEFORE + kind.key, set()).update(k for k, r in known.items() if r[2])
    # What the delivery's stocks list decides what is no longer in stock; an old
    # stock says nothing about that.
    seen: set[str] = set() if stale else ctx.listed.setdefault(kind.key, set())
    created: set[str] = set()
    again: list[list[Any]] = []
    counts = IngestCounts()
    hashed: list[str] = []

    def routed() -> Iterator[tuple[int, list[Any]]]:
        for row in rows:
            key = row[kind.key]
            seen.add(key)
            prev = known.get(key)
            h = _hash_of(row, hashed)
            if prev is not None and stale and prev[3]:
                counts.skipped += 1  # older than what the graph holds
                continue
            if prev is not None and prev[1] == h and prev[2]:
                # Already in the graph as this row says: loaded (and counted so, which
                # keeps a resumed run's report equal to an uninterrupted one's).
                counts.loaded += 1
                continue
            row["row_hash"] = h
            values = [row.get(f) for f in kind.fields]
            if prev is None and key in created:
                # Listed twice in one file: merged once the file's batches are in, since
                # a MERGE racing the batch that CREATEs the key could create it first.
                again.append(values)
                continue
            if prev is None:
                created.add(key)
            yield (0 if prev is not None else 1), values

    # A stock lists each key once: batches are independent and may run side by side.
    written = ctx.write_routed((kind.upsert, kind.create), routed())  # counts the unchanged rows as it goes
    counts.loaded += written + ctx.write(kind.upsert, again)
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
    before = ctx.listed.get(_BEFORE + kind.key)
    # Set by this run's load of a stock found current then; no stock since has a later
    # date (a stock writes its own delivery's date): no need to ask the graph again.
    if before is None and _newer_stock_loaded(ctx, kind):
        return 0  # a newer stock is loaded: this one is not the current picture
    if before is None:  # the stocks were loaded by an earlier, interrupted run
        before = {r[0] for r in ctx.graph.read(kind.known)[0]["known"] if r[2]}
    return ctx.write(kind.absent, ({"key": k} for k in sorted(before - listed)))


def _newer_stock_loaded(ctx: LoadContext, kind: StockKind) -> bool:
    return _is_newer(ctx.graph.read(kind.newest)[0]["newest"], ctx)


def _is_newer(newest: Any, ctx: LoadContext) -> bool:
    return newest is not None and newest.to_native() > ctx.known_on
