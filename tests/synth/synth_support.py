"""The small synthetic world's configuration, shared by the synth tests.

Imported as ``synth_support`` rather than from ``conftest``: several test
directories have a ``conftest`` module, and which one that name resolves to
depends on the collection order.
"""

from __future__ import annotations

from pathlib import Path

from synth.config import SynthConfig


def small_config(out: Path, **kw: object) -> SynthConfig:
    """A few hundred companies over three years: enough structure, little CPU."""
    args: dict[str, object] = {"companies": 300, "months": 36, "seed": 11, "out": out, "progress": False}
    args.update(kw)
    return SynthConfig(**args)  # type: ignore[arg-type]
