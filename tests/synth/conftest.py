"""Small synthetic worlds shared by the synth tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth.config import SynthConfig, SynthResult
from synth.generate import generate


def small_config(out: Path, **kw: object) -> SynthConfig:
    """A few hundred companies over three years: enough structure, little CPU."""
    args: dict[str, object] = {"companies": 300, "months": 36, "seed": 11, "out": out, "progress": False}
    args.update(kw)
    return SynthConfig(**args)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """A generated world with contagion."""
    return generate(small_config(tmp_path_factory.mktemp("synth-small")))
