"""Synthetic Bourgogne-Franche-Comté: monthly deliveries in the SOURCES.md layouts plus a ground truth.

Public interface: ``generate(SynthConfig(...)) -> SynthResult`` and ``signaux synth``.
"""

from __future__ import annotations

from synth.config import HazardParams, MessParams, SynthConfig, SynthResult


def generate(config: SynthConfig) -> SynthResult:
    """Generates the region described by ``config`` (see ``synth.generate.generate``)."""
    from synth.generate import generate as _generate

    return _generate(config)


__all__ = ["HazardParams", "MessParams", "SynthConfig", "SynthResult", "generate"]
