"""The broken-file corpus: exact rejects and file-level errors (see tests/loaders/corpus/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from loaders.records import FileRejected, LienCapitalistique, OwnershipNature, Reject, UniteLegale
from loaders.sources import read_file, recognise

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
EXPECTED: dict[str, dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(p.name for p in CORPUS.iterdir() if p.name.endswith((".csv", ".csv.gz")))


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(EXPECTED) == FILES


@pytest.mark.parametrize("name", FILES)
def test_corpus_file(name: str) -> None:
    path = CORPUS / name
    spec = recognise(name)
    assert spec is not None, f"{name} is not recognised"
    expected = EXPECTED[name]
    items = read_file(path)
    if "file_rejected" in expected:
        # Rejected whole, before any record: nothing of the file is loaded.
        with pytest.raises(FileRejected) as err:
            next(items)
        assert err.value.file == name
        assert err.value.reason == expected["file_rejected"]
        assert name in str(err.value)
        return
    record_lines: list[int] = []
    rejects: list[list[Any]] = []
    for item in items:
        if isinstance(item, Reject):
            assert item.file == name
            rejects.append([item.line, item.column, item.value, item.reason])
        else:
            assert isinstance(item, spec.record_type)
            record_lines.append(item.line)
    assert record_lines == expected["record_lines"]
    assert rejects == expected["rejects"]


def test_valid_oddities_are_read_faithfully() -> None:
    companies = [r for r in read_file(CORPUS / "StockUniteLegale_bom_crlf.csv") if isinstance(r, UniteLegale)]
    assert [c.siren for c in companies] == ["552100554", "732829320"]
    assert companies[0].name == "ACME\r\nINDUSTRIE"  # a quoted value may span lines
    links = [r for r in read_file(CORPUS / "liens_capitalistiques_free_order.csv") if isinstance(r, LienCapitalistique)]
    assert [(lk.owner_siren, lk.owner_personne_id, lk.owned_siren, lk.percentage, lk.nature) for lk in links] == [
        ("552100554", None, "732829320", 75.5, OwnershipNature.DIRECTE),
        (None, "P1", "443061841", 30.0, OwnershipNature.INDIRECTE),
    ]


def test_a_rejected_file_does_not_stop_the_others() -> None:
    loaded: dict[str, int] = {}
    refused: list[str] = []
    for name in FILES:
        try:
            loaded[name] = sum(1 for item in read_file(CORPUS / name) if not isinstance(item, Reject))
        except FileRejected as exc:
            refused.append(exc.file)
    assert sorted(refused) == sorted(n for n, e in EXPECTED.items() if "file_rejected" in e)
    assert loaded["StockEtablissement_bad_ids.csv"] == 2
