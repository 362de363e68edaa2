"""The ``signaux`` command: one entry point, sub-commands contributed by each package.

Each package that offers commands has a light ``<package>/cli.py`` with
``register(subparsers)``; heavy imports (torch, the API) happen inside the handlers
so that ``signaux neo4j status`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import time
from collections.abc import Sequence

from graphstore.errors import StoreError

# Order is the order of the data flow; a package without commands yet is skipped.
_COMMAND_PACKAGES = ("graphstore", "synth", "loaders", "gnn", "scoring", "graph_api")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every package's sub-commands."""
    parser = argparse.ArgumentParser(prog="signaux", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for pkg in _COMMAND_PACKAGES:
        if importlib.util.find_spec(f"{pkg}.cli") is not None:
            importlib.import_module(f"{pkg}.cli").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        code = args.handler(args)
    except StoreError as exc:
        print(f"signaux: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("signaux: interrupted", file=sys.stderr)
        return 130
    if getattr(args, "timed", False):
        print(f"done in {time.monotonic() - started:.1f} s")
    return int(code or 0)


if __name__ == "__main__":
    sys.exit(main())
