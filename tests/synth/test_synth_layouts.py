"""Every delivered file honours SOURCES.md; exactly the recorded rows are malformed."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
from synth_contract import FAMILIES, check_row, family_of, luhn, open_text, rows

from synth.config import SynthResult


def _malformed(world: SynthResult) -> dict[tuple[str, int], str]:
    frame = pd.read_csv(world.ground_truth_dir / "malformed_rows.csv", dtype=str, keep_default_na=False)
    manifest = pd.read_csv(world.ground_truth_dir / "deliveries.csv", dtype=str, keep_default_na=False)
    assert not frame.empty
    # File names are unique across deliveries except for late duplicates, which do not exist.
    assert manifest["file"].is_unique
    return {(r.file, int(r.line)): r.kind for r in frame.itertuples()}


def _files(world: SynthResult) -> list[Path]:
    return sorted(p for p in world.deliveries_dir.rglob("*") if p.is_file())


def test_every_family_is_delivered_with_its_exact_columns(small_world: SynthResult) -> None:
    seen: Counter[str] = Counter()
    for path in _files(small_world):
        fam_key = family_of(path.name)
        assert fam_key is not None, f"unrecognised file {path.name}"
        fam = FAMILIES[fam_key]
        header_line = open_text(path)[0]
        header = next(csv.reader([header_line], delimiter=fam.sep))
        assert set(fam.columns) <= set(header), f"{path.name}: missing {set(fam.columns) - set(header)}"
        if fam.quoted:
            assert header_line.startswith('"'), path.name
        seen[fam_key] += 1
    assert set(seen) == set(FAMILIES), f"never delivered: {set(FAMILIES) - set(seen)}"


def test_rows_parse_except_exactly_the_recorded_malformed_ones(small_world: SynthResult) -> None:
    malformed = _malformed(small_world)
    total = bad = 0
    found: set[tuple[str, int]] = set()
    for path in _files(small_world):
        fam = FAMILIES[family_of(path.name) or ""]
        for line, header, fields in rows(path, fam.sep):
            total += 1
            reason = check_row(fam, header, fields)
            if (path.name, line) in malformed:
                assert reason is not None, f"{path.name}:{line} should be malformed ({malformed[path.name, line]})"
                found.add((path.name, line))
                bad += 1
            else:
                assert reason is None, f"{path.name}:{line}: {reason}"
    assert found == set(malformed)
    assert 0.002 < bad / total < 0.01, bad / total
    assert set(malformed.values()) == {"truncated", "bad_id", "bad_date"}


def test_urssaf_files_carry_pseudo_sirets_and_sirene_does_not(small_world: SynthResult) -> None:
    pseudo_urssaf = 0
    for path in _files(small_world):
        key = family_of(path.name) or ""
        fam = FAMILIES[key]
        for _, header, fields in rows(path, fam.sep):
            if len(fields) != len(header):
                continue
            values = dict(zip(header, fields, strict=True))
            for col in ("siret", "Siret", "ETAB_SIRET"):
                v = values.get(col, "")
                if len(v) == 14 and v.isdigit() and v[9] in "5679" and not luhn(v):
                    assert key.startswith("sigfaible"), f"pseudo-SIRET {v} in {path.name}"
                    pseudo_urssaf += 1
    assert pseudo_urssaf > 0


def test_formats_of_the_quirky_columns(small_world: SynthResult) -> None:
    first = small_world.deliveries_dir / small_world.deliveries[3]
    debits = next(first.glob("sigfaible_debits*.csv"))
    text = debits.read_text(encoding="utf-8").splitlines()
    header = text[0].split(";")
    row = dict(zip(header, text[1].split(";"), strict=False))
    assert len(row["Dt_trt_ecn"]) == 7 and row["Dt_trt_ecn"].startswith("12")  # 2022 -> 122
    assert int(row["Mt_PO"]) >= 0 and "." not in row["Mt_PP"]  # centimes
    eff = next((small_world.deliveries_dir / small_world.deliveries[0]).glob("sigfaible_effectif*.csv"))
    cols = eff.read_text(encoding="utf-8").splitlines()[0].split(";")
    assert cols[:5] == ["compte", "siret", "rais_soc", "ape_ins", "dep"]
    assert all(c.startswith("eff") and len(c) == 9 for c in cols[5:])
    names = [p.name for p in small_world.deliveries_dir.rglob("flux_facturation*")]
    assert any(n.endswith(".csv.gz") for n in names)
