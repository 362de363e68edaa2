"""Tiny hand-written deliveries and graph snapshots for the ingest tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphstore.measures import MeasureStore, Table
from graphstore.store import GraphStore

# Volatile by nature: wall-clock times and machine paths.
VOLATILE = {"loaded_at", "folder", "reject_file", "seconds"}


def luhn_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass the Luhn check."""
    for d in "0123456789":
        digits = body + d
        total = 0
        for i, ch in enumerate(reversed(digits)):
            v = int(ch) * (2 if i % 2 else 1)
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return d
    raise AssertionError("unreachable")


def siren(n: int) -> str:
    """A Luhn-valid SIREN built from a small number."""
    body = f"{n:08d}"
    return body + luhn_digit(body)


def siret(siren_: str, k: int = 1) -> str:
    """A Luhn-valid SIRET of ``siren_`` (NIC starting with 0)."""
    body = siren_ + f"{k:03d}0"
    return body + luhn_digit(body)


UL_HEADER = (
    "siren,denominationUniteLegale,dateCreationUniteLegale,trancheEffectifsUniteLegale,"
    "categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,categorieEntreprise,"
    "etatAdministratifUniteLegale,nicSiegeUniteLegale"
)
ET_HEADER = (
    "siren,nic,siret,dateCreationEtablissement,trancheEffectifsEtablissement,etablissementSiege,"
    "codePostalEtablissement,libelleCommuneEtablissement,codeCommuneEtablissement,"
    "activitePrincipaleEtablissement,etatAdministratifEtablissement"
)


def ul_line(s: str, name: str, state: str = "A", legal_form: str = "5710") -> str:
    """One StockUniteLegale row; the head office is the SIRET ``siret(s, 1)``."""
    return f"{s},{name},2010-05-01,11,{legal_form},62.01Z,PME,{state},{siret(s, 1)[9:]}"


def et_line(s: str, k: int = 1, commune: str = "21231", state: str = "A") -> str:
    """One StockEtablissement row."""
    st = siret(s, k)
    head = "true" if k == 1 else "false"
    return f"{s},{st[9:]},{st},2010-05-01,11,{head},21000,DIJON,{commune},62.01Z,{state}"


def write_delivery(root: Path, name: str, files: dict[str, list[str]]) -> Path:
    """Writes a delivery folder: file name -> lines (header included)."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for fname, lines in files.items():
        (folder / fname).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def sirene_files(companies: list[tuple[str, str]], closed: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """A company and an establishment stock for (siren, name) pairs; two establishments each."""
    ul = [UL_HEADER] + [ul_line(s, n) for s, n in companies]
    et = [ET_HEADER]
    for s, _ in companies:
        et.append(et_line(s, 1))
        et.append(et_line(s, 2, commune="25056", state="F" if s in closed else "A"))
    return {"StockUniteLegale_utf8.csv": ul, "StockEtablissement_utf8.csv": et}


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.iso_format() if hasattr(v, "iso_format") else v) for k, v in props.items() if k not in VOLATILE}


def graph_snapshot(store: GraphStore) -> dict[str, Any]:
    """Every node and relationship (but migrations) with its properties, volatile ones left out."""
    nodes = store.read("MATCH (n) WHERE NOT n:Migration RETURN labels(n) AS labels, properties(n) AS props")
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, "
        "coalesce(a.siren, a.siret, a.id) AS src, coalesce(b.siren, b.siret, b.id) AS dst"
    )
    snap_nodes = sorted(
        json.dumps([sorted(n["labels"]), _clean(n["props"])], sort_keys=True, default=str) for n in nodes
    )
    snap_rels = sorted(
        json.dumps([r["type"], r["src"], r["dst"], _clean(r["props"])], sort_keys=True, default=str) for r in rels
    )
    # Delivery reports hold timings; compare their files only.
    cleaned = []
    for n in snap_nodes:
        labels, props = json.loads(n)
        if props.get("report"):
            props["report"] = json.loads(props["report"])["files"]
        cleaned.append(json.dumps([labels, props], sort_keys=True))
    return {"nodes": sorted(cleaned), "rels": snap_rels}


def measures_snapshot(ms: MeasureStore) -> dict[str, list[str]]:
    """Every row of every measure table, sorted."""
    out = {}
    for t in Table:
        df = ms.query(f"SELECT * FROM {ms.raw_sql(t)}")
        out[t.value] = sorted(json.dumps(r, sort_keys=True, default=str) for r in df.to_dict("records"))
    return out


def counts(store: GraphStore) -> tuple[int, int]:
    """(nodes, relationships) but migrations."""
    n = store.read("MATCH (n) WHERE NOT n:Migration RETURN count(n) AS n")[0]["n"]
    r = store.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return int(n), int(r)
