"""File-level rules shared by every reader: header, delimiter, widths, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.records import FileRejected, Personne
from loaders.sources import read_file

from .helpers import split, write

PERSONNES = "personne_id;nom;prenoms;annee_naissance"


def _reason(path: Path) -> str:
    with pytest.raises(FileRejected) as err:
        next(read_file(path))
    return err.value.reason


def test_wrong_delimiter_is_named_even_for_a_one_column_layout(tmp_path: Path) -> None:
    path = write(tmp_path, "sigfaible_effectif_siren.csv", ["siren,eff202411", "552100554,3"])
    assert _reason(path) == "wrong delimiter: expected ';' but the header is separated by ','"


def test_tab_separated_file_is_a_wrong_delimiter(tmp_path: Path) -> None:
    path = write(tmp_path, "personnes.csv", [PERSONNES.replace(";", "\t"), "P1\tA\tB\t1970"])
    assert _reason(path) == "wrong delimiter: expected ';' but the header is separated by tab"


def test_blank_lines_only_make_an_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "personnes.csv", ["", "   ", ""])
    assert _reason(path) == "empty file: no header and no data"


def test_leading_blank_lines_keep_true_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "personnes.csv", ["", PERSONNES, "P1;A;B;1970", "", "P2;C;D;x"])
    records, rejects = split(read_file(path))
    assert [r.line for r in records] == [3]
    assert [(r.line, r.column, r.value) for r in rejects] == [(5, "annee_naissance", "x")]


def test_trailing_delimiter_missing_from_the_header_is_tolerated(tmp_path: Path) -> None:
    path = write(tmp_path, "personnes.csv", [PERSONNES, "P1;A;B;1970;", "P2;A;B;1970;extra"])
    records, rejects = split(read_file(path))
    assert records == [Personne(line=2, personne_id="P1", last_name="A", first_names="B", birth_year=1970)]
    assert [(r.line, r.reason) for r in rejects] == [(3, "too many fields: 5, the header has 4")]


def test_values_are_stripped_and_empty_means_none(tmp_path: Path) -> None:
    path = write(tmp_path, "personnes.csv", [" PERSONNE_ID ; Nom ;prenoms;annee_naissance", "  P1 ;  ; B ;"])
    records, rejects = split(read_file(path))
    assert rejects == []
    assert records == [Personne(line=2, personne_id="P1", last_name=None, first_names="B", birth_year=None)]


def test_invalid_utf8_at_the_very_end_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "personnes.csv"
    path.write_bytes((PERSONNES + "\nP1;A;B;1970\nP2;Andr").encode() + b"\xc3")
    assert _reason(path) == "not UTF-8: the file ends inside a multi-byte character"


def test_missing_columns_are_named_as_in_the_contract(tmp_path: Path) -> None:
    header = "SIRET;siren;Dt_effet"  # case differs from SOURCES.md, Lib_actx_stdx absent
    path = write(tmp_path, "sigfaible_pcoll.csv", [header, "55210055400013;552100554;26MAY2014"])
    assert _reason(path) == "missing required column(s): Lib_actx_stdx"


def test_a_malformed_line_keeps_its_text_capped_in_the_reject(tmp_path: Path) -> None:
    path = write(tmp_path, "personnes.csv", [PERSONNES, "P1;" + "x" * 1000])
    _, rejects = split(read_file(path))
    assert len(rejects) == 1
    value = rejects[0].value
    assert value is not None and value.startswith("P1;xxx") and value.endswith("…") and len(value) == 501
