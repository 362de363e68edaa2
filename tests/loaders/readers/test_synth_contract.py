"""The synthetic region against the readers: every malformed row it plants is rejected, and only those.

``synth`` writes deliveries in the SOURCES.md layouts plus a ground truth listing
the rows it corrupted on purpose (``malformed_rows.csv``: file, line, kind,
column). Reading every delivery must reject exactly those lines: a clean row
rejected is a reader bug, a planted fault loaded is a lost check.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from loaders.records import Reject
from loaders.sources import read_file, recognise


@pytest.mark.slow
def test_readers_reject_exactly_the_planted_faults(tmp_path: Path) -> None:
    # Submodules, not the package: under pytest's rootdir imports ``synth`` alone
    # resolves to the tests/synth folder (a namespace package).
    from synth.config import SynthConfig
    from synth.generate import generate

    result = generate(SynthConfig(companies=150, months=4, seed=7, out=tmp_path, progress=False))
    deliveries = sorted(p for p in (tmp_path / "deliveries").iterdir() if p.is_dir())
    assert deliveries
    rejected: set[tuple[str, int]] = set()
    records = 0
    for folder in deliveries:
        for path in sorted(folder.iterdir()):
            assert recognise(path.name) is not None, f"{path.name}: synth wrote a file no reader recognises"
            for item in read_file(path):  # a FileRejected here fails the test: synth files are well-formed
                if isinstance(item, Reject):
                    rejected.add((item.file, item.line))
                else:
                    records += 1
    with (tmp_path / "ground_truth" / "malformed_rows.csv").open(encoding="utf-8", newline="") as f:
        planted = {(row["file"], int(row["line"])) for row in csv.DictReader(f)}
    assert result.malformed_rows == len(planted) > 0
    assert sorted(rejected - planted) == [], "clean rows rejected"
    assert sorted(planted - rejected) == [], "planted faults not rejected"
    assert records > 1000
