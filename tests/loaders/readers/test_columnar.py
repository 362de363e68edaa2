"""The columnar readers give exactly what the row readers give: same rows, same rejects, same order.

Every case is read both ways: row by row (``read_file`` then the measure mapper)
and column-wise (``loaders.columnar``); the partition rows (as sorted multisets)
and the reject lists (in order) must be equal, whatever mix of plain cells and
odd-but-valid or invalid cells the file holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from loaders.columnar.chunks import chunks
from loaders.columnar.sources import COLUMNAR
from loaders.ingest.to_measures import MAPPERS, headcount_company_row, headcount_establishment_row
from loaders.parsing.table import Table
from loaders.records import EffectifMonth, FileRejected, Reject
from loaders.sources import read_file, recognise
from loaders.sources.flows import FLUX

from .helpers import PSEUDO_SIRET_A, SIREN_A, SIREN_B, SIREN_C, SIRET_A1, SIRET_B1, write

LA_POSTE_SIRET = "35600000000001"  # SIREN 356000000; digit sum 15, a multiple of 5
LA_POSTE_BAD = "35600000000002"


def _key(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(f"{k}={row[k]!r}" for k in sorted(row))


def _row_way(path: Path) -> tuple[list[dict[str, Any]], list[Reject], int, dict[str, dict[str, Any]]]:
    rows, rejects, last, pseudo = [], [], 0, {}
    for item in read_file(path):
        last = max(last, item.line)
        if isinstance(item, Reject):
            rejects.append(item)
        elif isinstance(item, EffectifMonth):
            rows.append(headcount_company_row(item) if item.siret is None else headcount_establishment_row(item))
            if item.pseudo_siret and item.siret and item.siret not in pseudo:
                pseudo[item.siret] = {"siret": item.siret, "siren": item.siren, "name": item.name, "naf": item.naf}
        else:
            rows.append(MAPPERS[type(item)][1](item))
    return sorted(rows, key=_key), rejects, last, pseudo


def _columnar_way(path: Path) -> tuple[list[dict[str, Any]], list[Reject], int, dict[str, dict[str, Any]]]:
    spec = recognise(path.name)
    assert spec is not None
    opened = COLUMNAR[spec.name](path)
    rows: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    last = 0
    pseudo: dict[str, dict[str, Any]] = {}
    for piece in opened.pieces:
        rows += piece.data.to_pylist()
        rejects += piece.rejects
        last = max(last, piece.last_line)
        for _, est in piece.pseudo:
            pseudo.setdefault(est["siret"], est)
    return sorted(rows, key=_key), rejects, last, pseudo


def _same(path: Path) -> tuple[list[dict[str, Any]], list[Reject]]:
    row_way, columnar = _row_way(path), _columnar_way(path)
    assert columnar[0] == row_way[0]
    assert columnar[1] == row_way[1]
    assert columnar[2:] == row_way[2:]
    return columnar[0], columnar[1]


def test_flows_plain_odd_and_bad_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "flux_facturation_2024.csv", [
        "siren_fournisseur;siren_client;mois;montant_ht;nb_factures",
        f"{SIREN_A};{SIREN_B};2024-01;1234.56;3",
        f"{SIREN_A};{SIREN_C};2024-01-01;0.1;",  # optional count empty
        f"552 100 554;{SIREN_B};2024-02;10;1",  # spaces inside a SIREN: valid, not plain
        f"{SIREN_A};{SIREN_B};2024-03;+5;2.0",  # a sign and a count with .0: valid, not plain
        f"{SIREN_A};{SIREN_A};2024-01;1;1",  # own client
        f"{SIREN_A};552100555;2024-01;1;1",  # Luhn
        f"{SIREN_A};{SIREN_B};2024-13;1;1",  # month 13
        f"{SIREN_A};{SIREN_B};2024-01-02;1;1",  # not the first day
        f"{SIREN_A};{SIREN_B};2024-01;-1;1",  # negative amount
        f"{SIREN_A};{SIREN_B};2024-01;1,5;1",  # comma
        f"{SIREN_A};{SIREN_B};2024-01;1;-2",  # negative count
        f"{SIREN_A};{SIREN_B};2024-01",  # truncated
        "",
        f'"{SIREN_A}";{SIREN_B};2024-04;7.25;1',  # quoted
        f"{SIREN_A};{SIREN_B};2024-05;99999999999999999999;1",  # too long for the plain form
    ])  # fmt: skip
    rows, rejects = _same(path)
    assert len(rows) == 6
    assert [r.line for r in rejects] == [6, 7, 8, 9, 10, 11, 12, 13]
    assert {"supplier": SIREN_A, "client": SIREN_B, "month": rows[0]["month"], "amount": 1234.56, "invoices": 3} in rows


def test_cotisations_periods_pseudo_and_la_poste(tmp_path: Path) -> None:
    head = "Urssaf_gestion;Dep;Siret;Compte;periode;mer;enc_direct;cotis_due"
    path = write(tmp_path, "sigfaible_cotisdues_2024.csv", [
        head,
        f"217;21;{SIRET_A1};C1;202412;10.5;10.5;11",
        f"217;21;{SIRET_A1};C1;202410;;;",  # a quarter, amounts empty
        f"217;21;{SIRET_A1};C1;202462;1;2;3",  # a year
        f"217;21;{SIRET_A1};C1;2412;1;2;3",  # two-digit year: valid, not plain
        f"217;21;{SIRET_A1};C1;199943;1;2;3",
        f"217;21;{PSEUDO_SIRET_A};C2;202411;1;2;3",  # pseudo-SIRET accepted
        f"217;21;{LA_POSTE_SIRET};C3;202411;1;2;3",
        f"217;21;{LA_POSTE_BAD};C3;202411;1;2;3",
        f"217;21;{SIRET_A1[:-1]}4;C1;202411;1;2;3",  # Luhn
        f"217;21;{SIRET_A1};;202411;1;2;3",  # account empty
        f"217;21;{SIRET_A1}; C1 ;202411;1;2;3",  # account with spaces: valid, not plain
        f"217;21;{SIRET_A1};C1;202451;1;2;3",  # quarter 5
        f"217;21;{SIRET_A1};C1;202414;1;2;3",  # month 4 of a quarter
        f"217;21;{SIRET_A1};C1;202411;1e3;2;3",  # exponent
        f"217;21;{SIRET_B1};C4;202411;-12.5;.5;3.",  # valid, partly not plain
    ])  # fmt: skip
    rows, rejects = _same(path)
    assert len(rows) == 9
    assert [r.line for r in rejects] == [9, 10, 11, 13, 14, 15]
    year = next(r for r in rows if r["months"] == 12)
    assert (year["period_start"].isoformat(), year["siren"]) == ("2024-01-01", SIRET_A1[:9])


def test_debits_ids_dates_amounts_and_flags(tmp_path: Path) -> None:
    head = ("Urssaf_gestion;Dep;num_cpte;Siren;Siret;Dt_immat;Etat_cpte;Cd_pro_col;Periode;Num_Ecn;Num_Hist_Ecn;"
            "Dt_trt_ecn;Mt_PO;Mt_PP;Cd_op_ecn;Motif_ecn;Recours_en_cours")  # fmt: skip
    a = f"{SIREN_A};{SIRET_A1}"
    path = write(tmp_path, "sigfaible_debits_2024.csv", [
        head,
        f"217;21;C1;{a};590808;1;1;201943;101;3;1230609;0;0;2;2;false",
        f"217;21;C1;{a};;;;202462;101;4;1240229;-150;99;;;",  # empty optionals, leap day, a year, negative
        f"217;21;C1;;{SIRET_A1};1000101;1;;202410;102;1;990131;5;6;2;2;TRUE",  # SIREN empty, a quarter
        f"217;21;C2;{SIREN_B};;;1;;202411;103;1;1240115;5;6;2;2;O",  # SIRET empty: the company only
        f"217;21;C3;{SIREN_A};{PSEUDO_SIRET_A};;1;;202411;104;1;1240115;5;6;2;2;non",  # pseudo-SIRET
        f"217;21;C1;{SIREN_B};{SIRET_A1};;1;;202411;105;1;1240115;5;6;2;2;",  # SIREN not the SIRET's
        "217;21;C1;;;;1;;202411;106;1;1240115;5;6;2;2;",  # neither id
        f"217;21;C1;{a};;1;;202411;107;1;1240230;5;6;2;2;",  # 30 February
        f"217;21;C1;{a};;1;;202411;108;1;1241315;5;6;2;2;",  # month 13
        f"217;21;C1;{a};;1;;202411;109;1;3240115;5;6;2;2;",  # 7 digits not starting 1 or 2
        f"217;21;C1;{a};;1;;202411;110;1;1240115;5.5;6;2;2;",  # centimes with a dot
        f"217;21;C1;{a};;1;;202411;111;1;1240115;+5;6;2;2;",  # a plus sign: valid, not plain
        f"217;21;C1;{a};;1;;202411;112;2.0;1240115;5;6;2;2;",  # 2.0 history number: valid, not plain
        f"217;21;C1;{a};;1;;202411;113;1;1240115;5;6;2;2;peut-être",  # bad flag
        f"217;21;C1;{a};;1;;202411;114;1;1240115;5;6; 2 ;Motif é;yes",  # spaces, accents: valid, not plain
        f"217;21;C1;{a};;1;;2411;115;1;1240115;5;6;2;2;",  # two-digit year period: valid, not plain
        f"217;21;C1;{a};;1;;202451;116;1;1240115;5;6;2;2;",  # quarter 5
        f"217;21;;{a};;1;;202411;117;1;1240115;5;6;2;2;",  # account empty
        f"217;21;C1;{a};;1;;202411;;1;1240115;5;6;2;2;",  # num_ecn empty
        f"217;21;C1;{a};990229;1;;202411;118;1;1240115;5;6;2;2;",  # 1999-02-29
        f"217;21;C1;{a}",  # truncated
        f"217;21;C1;552 100 554;{SIRET_A1};;1;;202411;119;1;1240115;5;6;2;2;f",  # spaced SIREN: valid
    ])  # fmt: skip
    rows, rejects = _same(path)
    assert [r.line for r in rejects] == [7, 8, 9, 10, 11, 12, 15, 18, 19, 20, 21, 22]
    assert len(rows) == 10
    first = next(r for r in rows if r["num_ecn"] == "101" and r["num_hist_ecn"] == 4)
    assert (first["period_start"].isoformat(), first["period_end"].isoformat()) == ("2024-01-01", "2024-12-01")
    assert (first["processed_on"].isoformat(), first["amount_po"], first["appeal"]) == ("2024-02-29", -150, None)


@pytest.mark.parametrize("company_level", [False, True])
def test_headcount_cells_ids_and_pseudo_sirets(tmp_path: Path, company_level: bool) -> None:
    if company_level:
        name, ids = "sigfaible_effectif_siren_2024.csv", ["siren", SIREN_A, SIREN_B, "552100555", SIREN_C]
    else:
        name, ids = "sigfaible_effectif_2024.csv", ["compte;siret", f"1;{SIRET_A1}", f"2;{PSEUDO_SIRET_A}",
                                                   f"3;{SIRET_A1[:-1]}4", f"4;{SIRET_B1}"]  # fmt: skip
    path = write(tmp_path, name, [
        f"{ids[0]};rais_soc;ape_ins;eff202411;eff202412;eff202413",
        f"{ids[1]};ALPHA;4711B;12;;13",
        f"{ids[2]};PSEUDO;47.11B;1;2;3",
        f"{ids[3]};BAD ID;4711B;1;2;3",
        f"{ids[4]};ODD;6201Z;12.0;abc;-1",  # 12.0 valid, abc and -1 rejected alone
        f"{ids[1]};ALPHA;BAD;1;2;3",  # bad NAF rejects the row
        f"{ids[4]};EMPTY;;;;",  # no month filled: nothing
        f"{ids[1]};SPACES;; 7 ;;",  # spaces around a count: valid, not plain
    ])  # fmt: skip
    rows, rejects = _same(path)
    assert [(r.line, r.column) for r in rejects] == [(4, ids[0].split(";")[-1]), (5, "eff202412"),
                                                     (5, "eff202413"), (6, "ape_ins")]  # fmt: skip
    assert len(rows) == 2 + 3 + 1 + 1
    if not company_level:
        assert _columnar_way(path)[3] == {
            PSEUDO_SIRET_A: {"siret": PSEUDO_SIRET_A, "siren": SIREN_A, "name": "PSEUDO", "naf": "47.11B"}
        }


def test_small_chunks_keep_line_order_and_counts(tmp_path: Path) -> None:
    lines = ["siren_fournisseur;siren_client;mois;montant_ht;nb_factures"]
    for i in range(50):
        bad = i % 7 == 3
        lines.append(f"{SIREN_A};{SIREN_A if bad else SIREN_B};2024-{1 + i % 12:02d};{i}.5;{i}")
    path = write(tmp_path, "flux_facturation_2024.csv", lines)
    whole = _columnar_way(path)
    table = Table(path, FLUX)
    assert [len(c) + len(c.rejects) for c in chunks(table, size=8)] == [8] * 6 + [2]
    assert [r.line for r in whole[1]] == [i + 2 for i in range(50) if i % 7 == 3]
    assert whole[0] == _row_way(path)[0]


def test_file_level_errors_are_the_row_readers(tmp_path: Path) -> None:
    path = write(tmp_path, "sigfaible_cotisdues_2024.csv", ["Siret,Compte,periode,mer,enc_direct,cotis_due"])
    with pytest.raises(FileRejected) as row_way:
        list(read_file(path))
    with pytest.raises(FileRejected) as columnar:
        COLUMNAR["urssaf_cotisations"](path)
    assert columnar.value.reason == row_way.value.reason
    wide = write(tmp_path, "sigfaible_effectif_2025.csv", ["compte;siret;eff202410", f"1;{SIRET_A1};3"])
    with pytest.raises(FileRejected, match="names 3 months"):
        COLUMNAR["urssaf_effectif"](wide)


@pytest.mark.slow
def test_synthetic_deliveries_read_alike(tmp_path: Path) -> None:
    from synth.config import SynthConfig
    from synth.generate import generate

    generate(SynthConfig(companies=120, months=4, seed=11, out=tmp_path, progress=False))
    compared = 0
    for path in sorted((tmp_path / "deliveries").rglob("*")):
        spec = recognise(path.name)
        if spec is None or spec.name not in COLUMNAR:
            continue
        _same(path)
        compared += 1
    assert compared >= 6
