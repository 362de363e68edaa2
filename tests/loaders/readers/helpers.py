"""Writing small source files inline and splitting what a reader yields."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from loaders.records import Reject

# Luhn-valid ids used across the reader tests.
SIREN_A = "552100554"
SIREN_B = "732829320"
SIREN_C = "443061841"
SIRET_A1 = "55210055400013"
SIRET_A2 = "55210055400021"
SIRET_B1 = "73282932000017"
PSEUDO_SIRET_A = "55210055450001"  # NIC 50001, fails Luhn: an URSSAF pseudo-SIRET
BAD_SIREN = "552100555"
BAD_SIRET = "55210055400012"


def write(folder: Path, name: str, lines: Iterable[str], *, gz: bool = False, encoding: str = "utf-8") -> Path:
    """Writes lines (joined with newlines, final newline added) as a source file."""
    data = ("\n".join(lines) + "\n").encode(encoding)
    path = folder / name
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def split(items: Iterable[Any]) -> tuple[list[Any], list[Reject]]:
    """Records and rejects, in order."""
    records: list[Any] = []
    rejects: list[Reject] = []
    for item in items:
        (rejects if isinstance(item, Reject) else records).append(item)
    return records, rejects
