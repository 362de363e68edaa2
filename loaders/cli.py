"""``signaux refresh``: load deliveries (once, or watching a folder)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Adds ``refresh`` to the ``signaux`` parser."""
    p = sub.add_parser(
        "refresh",
        help="load a delivery folder, or a folder of deliveries (oldest first), into the graph and measure store",
    )
    p.add_argument("--from", dest="source", type=Path, required=True, help="a delivery folder or a folder of them")
    p.add_argument("--watch", action="store_true", help="keep polling --from for new delivery folders")
    p.add_argument("--interval", type=float, default=60.0, help="seconds between polls in --watch mode (default 60)")
    p.add_argument("--batch-rows", type=int, default=5000, help="rows per Neo4j transaction (default 5000)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.set_defaults(handler=_refresh, timed=True)


def _stop_on_sigterm() -> None:
    # docker stop sends SIGTERM: leave like Ctrl-C, through the refresh's cleanup
    # (worker processes stopped; an interrupted delivery resumes at the next start).
    import signal

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def _refresh(args: argparse.Namespace) -> int:
    from loaders.refresh import Refresher, RefreshOptions
    from loaders.report import DeliveryStatus
    from loaders.watch import Watcher

    if not args.source.is_dir():
        print(f"signaux refresh: error: {args.source} is not a directory")
        return 2
    _stop_on_sigterm()
    refresher = Refresher(options=RefreshOptions(progress=not args.no_progress, batch_rows=args.batch_rows))
    if args.watch:
        print(f"watching {args.source} every {args.interval:g} s (Ctrl-C to stop)", flush=True)
        Watcher(args.source, refresher, args.interval).run()
        return 0
    reports = refresher.refresh(args.source)
    skipped = [r.delivery for r in reports if r.status == DeliveryStatus.SKIPPED]
    if skipped:
        print(f"already loaded, skipped: {', '.join(skipped)}")
    if not reports:
        print(f"no delivery folder found in {args.source}")
    return 1 if any(r.status == DeliveryStatus.INCOMPLETE for r in reports) else 0
