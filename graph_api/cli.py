"""``signaux serve``, ``signaux api export-schema`` and ``signaux api seed-demo``."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    """Adds the API's sub-commands to the ``signaux`` parser."""
    p = sub.add_parser("serve", help="run the GraphQL API (uvicorn)")
    p.add_argument("--host", default=None, help="interface to bind (default SIGNAUX_API_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default SIGNAUX_API_PORT or 8000)")
    p.set_defaults(handler=_serve)

    api = sub.add_parser("api", help="the GraphQL API").add_subparsers(dest="action", required=True)
    e = api.add_parser("export-schema", help="write schema.graphql at the repository root")
    e.add_argument("--output", default=None, help="another path to write to")
    e.add_argument("--check", action="store_true", help="exit 1 if the file is stale instead of writing it")
    e.set_defaults(handler=_export_schema)
    d = api.add_parser("seed-demo", help="create the demo agencies, agents and clients; print how to get a token")
    d.set_defaults(handler=_seed_demo)
    n = api.add_parser("notify", help="deliver detection-list notifications (webhook, e-mail) with retries")
    n.add_argument("--once", action="store_true", help="one round (find lists, deliver what is due), then exit")
    n.set_defaults(handler=_notify)
    c = api.add_parser("notify-channel", help="set where an agency receives detection-list notifications")
    c.add_argument("agency", help="the agency code")
    c.add_argument("--webhook", default=None, help="webhook URL ('' removes it)")
    c.add_argument("--webhook-secret", default=None, help="HMAC secret signing the webhook body ('' removes it)")
    c.add_argument("--email", default=None, help="e-mail address ('' removes it); needs SIGNAUX_SMTP_HOST")
    c.set_defaults(handler=_notify_channel)
    s = api.add_parser("demo-scenario", help="play the collaboration scenario against a running API, step by step")
    s.add_argument("--url", default=None, help="the API's base URL (default SIGNAUX_PUBLIC_URL)")
    s.set_defaults(handler=_demo_scenario)
    f = api.add_parser(
        "export-feedback", help="write the detection feedback (was it useful?) as CSV for the model team"
    )
    f.add_argument("--out", required=True, help="the CSV file to write")
    f.add_argument("--period", default=None, help="only the alerts of this month (YYYY-MM)")
    f.set_defaults(handler=_export_feedback)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from graph_api.app import create_app
    from graph_api.settings import get_api_settings

    settings = get_api_settings()
    common: dict[str, Any] = {
        "host": args.host or settings.host,
        "port": args.port or settings.port,
        "log_config": None,  # our JSON logging (graph_api.ops.logging) is configured by create_app
        "proxy_headers": True,
        "server_header": False,
    }
    if settings.workers > 1:
        # Each worker process builds its own app (driver, caches) from the same environment;
        # everything shared between requests lives in Neo4j or the data dir (docs/access.md).
        uvicorn.run("graph_api.app:create_app", factory=True, workers=settings.workers, **common)
    else:
        uvicorn.run(create_app(settings), **common)
    return 0


def _export_schema(args: argparse.Namespace) -> int:
    from pathlib import Path

    from graph_api.schema import SCHEMA_FILE, export_schema, schema_sdl

    path = Path(args.output) if args.output else SCHEMA_FILE
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != schema_sdl():
            print(f"{path} is stale: run `signaux api export-schema`")
            return 1
        print(f"{path} is up to date")
        return 0
    print(f"wrote {export_schema(path)}")
    return 0


def _seed_demo(_: argparse.Namespace) -> int:
    from graph_api.auth.seed import seed_and_explain
    from graphstore.migrate import migrate

    migrate()
    seed_and_explain()
    return 0


def _export_feedback(args: argparse.Namespace) -> int:
    from pathlib import Path

    from graph_api.alert.export import export_feedback

    n = export_feedback(Path(args.out), args.period)
    print(f"wrote {n} feedback rows to {args.out}")
    return 0


def _notify(args: argparse.Namespace) -> int:
    from graph_api.notifications.cli import notify

    return notify(once=args.once)


def _notify_channel(args: argparse.Namespace) -> int:
    from graph_api.notifications.cli import set_channel

    return set_channel(args.agency, args.webhook, args.webhook_secret, args.email)


def _demo_scenario(args: argparse.Namespace) -> int:
    from graph_api.demo.scenario import main

    return main(args.url)
