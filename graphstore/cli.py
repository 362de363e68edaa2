"""``signaux neo4j …`` and ``signaux db …``."""

from __future__ import annotations

import argparse
import time
from typing import Any

from graphstore import local
from graphstore.connection import resolve_connection
from graphstore.settings import get_settings


def register(sub: Any) -> None:
    """Adds the store's sub-commands to the ``signaux`` parser."""
    neo = sub.add_parser("neo4j", help="the local embedded Neo4j").add_subparsers(dest="action", required=True)
    p = neo.add_parser("start", help="start it in the background; returns once Bolt answers")
    p.add_argument("--port", type=int, default=None, help="Bolt port on 127.0.0.1 (default SIGNAUX_NEO4J_PORT or 7687)")
    p.set_defaults(handler=_start)
    neo.add_parser("status", help="is it running, where").set_defaults(handler=_status)
    neo.add_parser("stop", help="clean shutdown").set_defaults(handler=_stop)

    db = sub.add_parser("db", help="graph schema").add_subparsers(dest="action", required=True)
    db.add_parser("migrate", help="apply the graph-model migrations (idempotent)").set_defaults(handler=_migrate)


def _start(args: argparse.Namespace) -> int:
    settings = get_settings()
    if settings.uri:
        print(f"NEO4J_URI is set ({settings.uri}): the local Neo4j is not used")
        return 0
    t0 = time.monotonic()
    st = local.start(settings, port=args.port)
    print(f"{st.describe()} — up in {time.monotonic() - t0:.1f} s")
    return 0


def _status(_: argparse.Namespace) -> int:
    from graphstore.store import GraphStore

    settings = get_settings()
    if settings.uri:
        ok = GraphStore().ping()
        print(f"Neo4j at {settings.uri}: {'answers' if ok else 'does not answer'}")
        return 0 if ok else 1
    st = local.status(settings)
    print(st.describe())
    if st.bolt_answers:
        info = resolve_connection(settings)
        store = GraphStore()
        rows = store.read(
            "OPTIONAL MATCH (m:Migration) WITH count(m) AS migrations "
            "CALL () { MATCH (n) RETURN count(n) AS nodes } RETURN migrations, nodes"
        )
        print(
            f"  {info.uri} database {info.database}: {rows[0]['nodes']} nodes, {rows[0]['migrations']} migrations applied"
        )
    return 0 if st.running else 3


def _stop(_: argparse.Namespace) -> int:
    settings = get_settings()
    print("local Neo4j stopped" if local.stop(settings) else "local Neo4j was not running")
    return 0


def _migrate(_: argparse.Namespace) -> int:
    from graphstore.migrate import migrate

    done = migrate()
    print(f"applied {len(done)} migration(s): {', '.join(done)}" if done else "graph model up to date")
    return 0
