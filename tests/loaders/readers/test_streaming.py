"""Reading streams: peak memory does not grow with the file size."""

from __future__ import annotations

import gzip
import tracemalloc
from pathlib import Path

import pytest

from loaders.parsing.ids import luhn_ok
from loaders.records import DebitLine
from loaders.sources import read_file

HEADER = (
    "Urssaf_gestion;Dep;num_cpte;Siren;Siret;Dt_immat;Etat_cpte;Cd_pro_col;Periode;Num_Ecn;"
    "Num_Hist_Ecn;Dt_trt_ecn;Mt_PO;Mt_PP;Cd_op_ecn;Motif_ecn;Recours_en_cours"
)


def _sirets(count: int) -> list[str]:
    """Luhn-valid SIRETs, more of them than the parsers' caches hold."""
    out: list[str] = []
    base = 100000000
    while len(out) < count:
        stem = str(base)[:8]
        siren = next(stem + d for d in "0123456789" if luhn_ok(stem + d))
        for nic in range(10, 100, 10):
            prefix = f"{siren}{nic:04d}"
            out.append(next(prefix + d for d in "0123456789" if luhn_ok(prefix + d)))
        base += 10
    return out[:count]


def _write_debits(path: Path, lines: int, sirets: list[str]) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        for i in range(lines):
            siret = sirets[i % len(sirets)]
            month = i % 3 + 1
            out.write(
                f"217;21;{i};{siret[:9]};{siret};990401;1;;2024{(i % 4) + 1}{month};{i};{i % 5};"
                f"12{i % 10}0{month}15;{i % 100000};{i % 7777};1;;false\n"
            )


def _peak_while_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        count = sum(1 for item in read_file(path) if isinstance(item, DebitLine))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    sirets = _sirets(6000)
    warm, small, large = (tmp_path / name / "sigfaible_debits.csv.gz" for name in ("warm", "small", "large"))
    for path, lines in ((warm, 6_000), (small, 50_000), (large, 200_000)):
        path.parent.mkdir()
        _write_debits(path, lines, sirets)
    # Fill the parsers' bounded caches first, so that both measures see them full.
    _peak_while_reading(warm)
    small_count, small_peak = _peak_while_reading(small)
    large_count, large_peak = _peak_while_reading(large)
    assert (small_count, large_count) == (50_000, 200_000)  # every line read, none rejected
    assert large_peak < 1.25 * small_peak + 256 * 1024, (small_peak, large_peak)
    # Four times the input, yet a few megabytes at most, far below the file's size.
    assert large_peak < 8 * 1024 * 1024, large_peak
