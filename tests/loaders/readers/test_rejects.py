"""The reject file: streamed CSV, read back identical, appendable for resumed runs."""

from __future__ import annotations

from pathlib import Path

from loaders.records import Reject, TeteDeGroupe
from loaders.rejects import REJECT_COLUMNS, RejectWriter, read_rejects, rejects_path_for
from loaders.sources import read_file

from .helpers import BAD_SIREN, SIREN_A, SIREN_B, write


def test_rejects_are_written_and_read_back(tmp_path: Path) -> None:
    rejects = [
        Reject("a.csv", 3, "siren", "12", "SIREN must be 9 digits"),
        Reject("a.csv", 7, None, None, "truncated line: 2 fields, the header has 5"),
        Reject("b.csv", 2, "nom", 'with "quotes", commas\nand a newline', "weird"),
    ]
    path = rejects_path_for(tmp_path / "reports" / "2025-03.json")
    assert path == tmp_path / "reports" / "2025-03.rejects.csv"
    with RejectWriter(path) as writer:
        assert writer.write_all(rejects) == 3
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(REJECT_COLUMNS)
    assert list(read_rejects(path)) == rejects


def test_keep_records_streams_rejects_aside(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "tetes_de_groupe.csv",
        [
            "siren;siren_tete_de_groupe;nom_groupe;date_reference",
            f"{SIREN_B};{SIREN_A};G;",
            f"{BAD_SIREN};{SIREN_A};G;",
        ],
    )
    path = tmp_path / "run.rejects.csv"
    with RejectWriter(path) as writer:
        records = list(writer.keep_records(read_file(source)))
        assert writer.count == 1
    assert [r.siren for r in records if isinstance(r, TeteDeGroupe)] == [SIREN_B]
    assert len(records) == 1
    assert [(r.file, r.line, r.column, r.value) for r in read_rejects(path)] == [
        ("tetes_de_groupe.csv", 3, "siren", BAD_SIREN)
    ]


def test_append_keeps_earlier_rejects_and_a_single_header(tmp_path: Path) -> None:
    path = tmp_path / "run.rejects.csv"
    first, second = Reject("a.csv", 2, None, None, "one"), Reject("a.csv", 3, None, None, "two")
    with RejectWriter(path) as writer:
        writer.write(first)
    with RejectWriter(path, append=True) as writer:
        writer.write(second)
    assert list(read_rejects(path)) == [first, second]
    with RejectWriter(path) as writer:  # a new run starts afresh
        pass
    assert list(read_rejects(path)) == []
