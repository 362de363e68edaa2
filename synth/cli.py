"""``signaux synth``: writes a synthetic region as monthly deliveries plus a ground truth."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Adds ``synth`` to the ``signaux`` parser."""
    p = sub.add_parser("synth", help="generate a synthetic Bourgogne-Franche-Comté (deliveries + ground truth)")
    p.add_argument("--companies", type=int, default=14000, help="companies with >= 10 employees (default 14000)")
    p.add_argument("--months", type=int, default=48, help="delivered months (default 48)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--start", default="2022-01", help="first delivered month YYYY-MM (default 2022-01)")
    p.add_argument("--no-contagion", action="store_true", help="zero every contagion term (and nothing else)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(handler=_synth, timed=True)


def _synth(args: argparse.Namespace) -> int:
    from synth.config import SynthConfig
    from synth.generate import generate

    try:
        config = SynthConfig(
            companies=args.companies, months=args.months, seed=args.seed, out=args.out,
            contagion=not args.no_contagion, start=args.start, progress=not args.quiet,
        )  # fmt: skip
    except ValueError as exc:
        print(f"signaux synth: error: {exc}")
        return 2
    result = generate(config)
    print(
        f"{result.companies} companies ({result.perimeter} with >= 10 employees), {result.failures} failures "
        f"({result.yearly_failure_rate:.1%} a year in the perimeter), {len(result.deliveries)} deliveries, "
        f"{result.files} files, {sum(result.rows.values())} rows ({result.malformed_rows} malformed) "
        f"in {result.out}"
    )
    return 0
