"""Small synthetic worlds shared by the synth tests (generated once per session)."""

from __future__ import annotations

import pytest
from synth_support import small_config

from synth.config import SynthResult
from synth.generate import generate


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """A generated world with contagion."""
    return generate(small_config(tmp_path_factory.mktemp("synth-small")))
