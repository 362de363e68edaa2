"""The source registry: recognition by file name and dispatch to the readers."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from loaders.records import FileRejected, Personne, Record
from loaders.sources import SOURCES, read_file, recognise

from .helpers import split


@pytest.mark.parametrize(
    ("filename", "source"),
    [
        ("StockUniteLegale_utf8.csv", "sirene_unites_legales"),
        ("StockEtablissement_utf8.csv.gz", "sirene_etablissements"),
        ("sigfaible_effectif_siren_2024.csv", "urssaf_effectif_entreprises"),
        ("sigfaible_effectif_2024.csv", "urssaf_effectif"),
        ("sigfaible_effectif.csv", "urssaf_effectif"),
        ("SIGFAIBLE_EFFECTIF_SIREN.CSV.GZ", "urssaf_effectif_entreprises"),
        ("sigfaible_cotisdues.csv", "urssaf_cotisations"),
        ("sigfaible_debits_2025-03.csv", "urssaf_debits"),
        ("sigfaible_delais.csv", "urssaf_delais"),
        ("sigfaible_ccsf.csv", "urssaf_ccsf"),
        ("sigfaible_pcoll.csv", "urssaf_pcoll"),
        ("demande_ap_2025.csv", "ap_demandes"),
        ("consommation_ap.csv", "ap_consommations"),
        ("bdf_ratios.csv", "bdf_ratios"),
        ("bodacc_pcl_2025.csv", "bodacc_pcl"),
        ("personnes.csv", "personnes"),
        ("liens_capitalistiques.csv", "liens_capitalistiques"),
        ("dirigeants.csv", "dirigeants"),
        ("tetes_de_groupe.csv", "tetes_de_groupe"),
        ("flux_facturation_2025-03.csv", "flux_facturation"),
        ("drop/2025-03/sigfaible_debits.csv", "urssaf_debits"),
    ],
)
def test_recognise(filename: str, source: str) -> None:
    spec = recognise(filename)
    assert spec is not None and spec.name == source


@pytest.mark.parametrize(
    "filename", ["ground_truth.csv", "sigfaible_debits.txt", "sigfaible_debits.csv.zip", "README.md", "personnes"]
)
def test_unknown_files_are_not_recognised(filename: str) -> None:
    assert recognise(filename) is None


def test_every_source_of_the_contract_is_registered_once() -> None:
    names = [s.name for s in SOURCES]
    assert len(names) == len(set(names)) == 18  # the files of SOURCES.md
    assert len({s.record_type for s in SOURCES}) == 17  # both headcount files yield EffectifMonth
    assert {s.family for s in SOURCES} == {
        "sirene",
        "urssaf",
        "activite_partielle",
        "bdf",
        "bodacc",
        "ownership",
        "flows",
    }
    stocks = {s.name for s in SOURCES if s.kind == "stock"}
    assert stocks == {
        "sirene_unites_legales",
        "sirene_etablissements",
        "urssaf_effectif",
        "urssaf_effectif_entreprises",
    }
    assert {s.delimiter for s in SOURCES if s.family in ("sirene", "activite_partielle")} == {","}
    assert {s.delimiter for s in SOURCES if s.family not in ("sirene", "activite_partielle")} == {";"}


def test_read_file_refuses_an_unknown_name(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a;b\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"notes\.csv: not a recognised source file name"):
        read_file(path)


def test_gzip_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    path = tmp_path / "personnes.csv"  # compressed although not named .gz
    path.write_bytes(gzip.compress(b"personne_id;nom;prenoms;annee_naissance\nP1;A;B;1970\n"))
    records, rejects = split(read_file(path))
    assert rejects == []
    assert records == [Personne(line=2, personne_id="P1", last_name="A", first_names="B", birth_year=1970)]


def test_file_rejected_is_raised_lazily_but_before_any_record(tmp_path: Path) -> None:
    path = tmp_path / "personnes.csv"
    path.write_bytes(b"personne_id;nom;prenoms;annee_naissance\nP1;Andr\xe9;B;1970\n")
    items = read_file(path)  # nothing is read yet: the caller may open its transaction first
    got: list[Record] = []
    with pytest.raises(FileRejected, match="not UTF-8: invalid byte 0xe9 on line 2"):
        got.extend(r for r in items if isinstance(r, Personne))
    assert got == []
