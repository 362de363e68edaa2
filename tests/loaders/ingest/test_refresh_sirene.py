"""Refresh of Sirene deliveries: graph shape, provenance, idempotency, stocks replacing stocks."""

from __future__ import annotations

from pathlib import Path

from ingest_world import ET_HEADER, counts, graph_snapshot, siren, sirene_files, siret, write_delivery

from graphstore.store import GraphStore
from loaders.refresh import Refresher, delivery_date, discover
from loaders.report import DeliveryStatus, FileStatus

A, B, C = siren(1), siren(2), siren(3)


def test_delivery_dates() -> None:
    assert delivery_date("2024-02").isoformat() == "2024-02-29"
    assert delivery_date("2024-12").isoformat() == "2024-12-31"
    assert delivery_date("2024-03-15").isoformat() == "2024-03-15"


def test_folders_of_deliveries_load_oldest_first(tmp_path: Path) -> None:
    for name in ("2024-03", "2023-12", "notes", "2024-01"):
        write_delivery(tmp_path, name, sirene_files([(A, "ALPHA")]))
    assert [p.name for p in discover(tmp_path)] == ["2023-12", "2024-01", "2024-03"]
    assert discover(tmp_path / "2024-01") == [tmp_path / "2024-01"]


def test_sirene_graph_shape(refresher: Refresher, store: GraphStore, tmp_path: Path) -> None:
    write_delivery(tmp_path, "2024-01", sirene_files([(A, "ALPHA"), (B, "BETA")]))
    [report] = refresher.refresh(tmp_path)
    assert report.status == DeliveryStatus.LOADED
    assert [(f.name, f.status, f.lines_read, f.loaded, f.rejected) for f in report.files] == [
        ("StockUniteLegale_utf8.csv", FileStatus.LOADED, 2, 2, 0),
        ("StockEtablissement_utf8.csv", FileStatus.LOADED, 4, 4, 0),
    ]
    company = store.read("MATCH (c:Company {siren: $s}) RETURN c", {"s": A})[0]["c"]
    assert company["name"] == "ALPHA"
    assert company["departement"] == "21" and company["region"] == "27"  # head office in Dijon
    assert company["head_office_siret"] == siret(A, 1)
    assert company["active"] is True and company["in_stock"] is True
    parts = store.read(
        "MATCH (e:Establishment)-[:PART_OF]->(c:Company {siren: $s}) RETURN e.siret AS siret, e.departement AS dep "
        "ORDER BY siret",
        {"s": A},
    )
    assert parts == [{"siret": siret(A, 1), "dep": "21"}, {"siret": siret(A, 2), "dep": "25"}]
    files = store.read(
        "MATCH (d:Delivery {id: '2024-01'})-[:HAS_FILE]->(f:SourceFile) RETURN f.name AS name, f.status AS status, "
        "f.loaded AS loaded, size(f.sha256) AS sha ORDER BY name"
    )
    assert files == [
        {"name": "StockEtablissement_utf8.csv", "status": "loaded", "loaded": 4, "sha": 64},
        {"name": "StockUniteLegale_utf8.csv", "status": "loaded", "loaded": 2, "sha": 64},
    ]
    d = store.read("MATCH (d:Delivery {id: '2024-01'}) RETURN d.status AS s, d.report AS r, d.delivered_on AS on")[0]
    assert d["s"] == "loaded" and '"lines_read": 4' in d["r"] and d["on"].iso_format() == "2024-01-31"


def test_every_loaded_node_and_relationship_has_provenance(
    refresher: Refresher, store: GraphStore, tmp_path: Path
) -> None:
    write_delivery(tmp_path, "2024-01", sirene_files([(A, "ALPHA"), (B, "BETA")], closed=frozenset()))
    write_delivery(tmp_path, "2024-02", sirene_files([(A, "ALPHA"), (B, "BETA")], closed=frozenset({B})))
    refresher.refresh(tmp_path)
    missing = store.read(
        "MATCH (n) WHERE NOT n:Migration AND NOT n:Delivery "
        "AND (n.source_file IS NULL OR n.delivery IS NULL OR n.known_on IS NULL) RETURN labels(n) AS l, n.id AS id"
    )
    assert missing == []
    missing_rels = store.read(
        "MATCH ()-[r]->() WHERE type(r) <> 'HAS_FILE' "
        "AND (r.source_file IS NULL OR r.delivery IS NULL OR r.known_on IS NULL) RETURN type(r) AS t"
    )
    assert missing_rels == []
    # The closure event was derived with the delivery that showed it.
    ev = store.read(
        "MATCH (t:TimelineEvent {kind: 'establishment_closed'})-[:ABOUT]->(c:Company) "
        "RETURN c.siren AS siren, t.delivery AS d, t.source_file AS f, t.id AS id"
    )
    assert ev == [
        {"siren": B, "d": "2024-02", "f": "StockEtablissement_utf8.csv", "id": f"establishment_closed:{siret(B, 2)}"}
    ]


def test_loading_the_same_delivery_twice_changes_nothing(
    refresher: Refresher, store: GraphStore, tmp_path: Path
) -> None:
    write_delivery(tmp_path, "2024-01", sirene_files([(A, "ALPHA"), (B, "BETA")]))
    refresher.refresh(tmp_path)
    before_counts, before = counts(store), graph_snapshot(store)
    [again] = refresher.refresh(tmp_path)
    assert again.status == DeliveryStatus.SKIPPED
    assert counts(store) == before_counts
    assert graph_snapshot(store) == before


def test_a_changed_file_is_reloaded_and_the_unchanged_one_is_not(
    refresher: Refresher, store: GraphStore, tmp_path: Path
) -> None:
    folder = write_delivery(tmp_path, "2024-01", sirene_files([(A, "ALPHA")]))
    refresher.refresh(tmp_path)
    write_delivery(
        tmp_path,
        "2024-01",
        {"StockUniteLegale_utf8.csv": sirene_files([(A, "ALPHA BIS")])["StockUniteLegale_utf8.csv"]},
    )
    assert (folder / "StockEtablissement_utf8.csv").exists()
    [report] = refresher.refresh(tmp_path)
    assert [(f.name, f.status) for f in report.files] == [
        ("StockUniteLegale_utf8.csv", FileStatus.LOADED),
        ("StockEtablissement_utf8.csv", FileStatus.UNCHANGED),
    ]
    assert store.read("MATCH (c:Company {siren: $s}) RETURN c.name AS n", {"s": A}) == [{"n": "ALPHA BIS"}]


def test_a_later_stock_flags_what_it_no_longer_lists(refresher: Refresher, store: GraphStore, tmp_path: Path) -> None:
    write_delivery(tmp_path, "2024-01", sirene_files([(A, "ALPHA"), (B, "BETA"), (C, "GAMMA")]))
    write_delivery(tmp_path, "2024-02", sirene_files([(A, "ALPHA"), (B, "BETA")]))
    reports = refresher.refresh(tmp_path)
    assert reports[1].absent == (1, 2)
    rows = store.read("MATCH (c:Company) RETURN c.siren AS s, c.in_stock AS i, c.absent_since AS a ORDER BY s")
    assert [(r["s"], r["i"], r["a"] and r["a"].iso_format()) for r in rows] == [
        (A, True, None),
        (B, True, None),
        (C, False, "2024-02-29"),
    ]
    # Still there, with its establishments: nothing is deleted.
    assert store.read("MATCH (:Establishment)-[:PART_OF]->(c:Company {siren: $s}) RETURN count(*) AS n", {"s": C}) == [
        {"n": 2}
    ]


def test_an_older_delivery_loaded_late_does_not_roll_a_company_back(
    refresher: Refresher, store: GraphStore, tmp_path: Path
) -> None:
    write_delivery(tmp_path / "new", "2024-05", sirene_files([(A, "NEW NAME")]))
    write_delivery(tmp_path / "old", "2024-01", sirene_files([(A, "OLD NAME")]))
    refresher.refresh(tmp_path / "new")
    refresher.refresh(tmp_path / "old")
    assert store.read("MATCH (c:Company {siren: $s}) RETURN c.name AS n, c.in_stock AS i", {"s": A}) == [
        {"n": "NEW NAME", "i": True}
    ]


def test_a_rejected_file_does_not_stop_the_others(refresher: Refresher, store: GraphStore, tmp_path: Path) -> None:
    files = sirene_files([(A, "ALPHA")])
    files["StockEtablissement_utf8.csv"] = [ET_HEADER.replace(",siret,", ",", 1), "1,2,3"]  # no siret column
    files["readme.txt"] = ["not a source file"]
    write_delivery(tmp_path, "2024-01", files)
    [report] = refresher.refresh(tmp_path)
    by_name = {f.name: f for f in report.files}
    assert by_name["StockEtablissement_utf8.csv"].status == FileStatus.REJECTED
    assert "siret" in (by_name["StockEtablissement_utf8.csv"].error or "").lower()
    assert by_name["StockUniteLegale_utf8.csv"].status == FileStatus.LOADED
    assert by_name["readme.txt"].status == FileStatus.IGNORED
    assert report.status == DeliveryStatus.LOADED
    assert store.read("MATCH (c:Company) RETURN count(c) AS n") == [{"n": 1}]


def test_bad_rows_go_to_the_reject_file(refresher: Refresher, store: GraphStore, tmp_path: Path) -> None:
    files = sirene_files([(A, "ALPHA"), (B, "BETA")])
    files["StockUniteLegale_utf8.csv"].append(files["StockUniteLegale_utf8.csv"][1].replace(A, "123456789"))
    write_delivery(tmp_path, "2024-01", files)
    [report] = refresher.refresh(tmp_path)
    ul = report.files[0]
    assert (ul.lines_read, ul.loaded, ul.rejected) == (3, 2, 1)
    assert ul.reject_file is not None
    text = Path(ul.reject_file).read_text(encoding="utf-8")
    assert "123456789" in text and ",4," in text  # the value and its line number


def test_an_unchanged_stock_row_keeps_its_provenance(refresher: Refresher, store: GraphStore, tmp_path: Path) -> None:
    write_delivery(tmp_path, "2024-01", sirene_files([(A, "ALPHA"), (B, "BETA")]))
    write_delivery(tmp_path, "2024-02", sirene_files([(A, "ALPHA"), (B, "BETA RENAMED")]))
    refresher.refresh(tmp_path)
    rows = store.read("MATCH (c:Company) RETURN c.siren AS s, c.name AS n, c.delivery AS d, c.in_stock AS i ORDER BY s")
    assert rows == [
        {"s": A, "n": "ALPHA", "d": "2024-01", "i": True},  # known since January, still listed
        {"s": B, "n": "BETA RENAMED", "d": "2024-02", "i": True},
    ]


def test_first_known_on_is_set_at_creation_only(refresher: Refresher, store: GraphStore, tmp_path: Path) -> None:
    write_delivery(tmp_path, "2024-01", sirene_files([(A, "ALPHA"), (B, "BETA")]))
    write_delivery(tmp_path, "2024-02", sirene_files([(A, "ALPHA"), (B, "BETA RENAMED")], closed=frozenset({B})))
    refresher.refresh(tmp_path)
    missing = store.read(
        "MATCH (n) WHERE NOT n:Migration AND NOT n:Delivery AND NOT n:SourceFile AND n.first_known_on IS NULL "
        "RETURN labels(n) AS l UNION ALL MATCH ()-[r]->() WHERE type(r) <> 'HAS_FILE' AND r.first_known_on IS NULL "
        "RETURN [type(r)] AS l"
    )
    assert missing == []
    rows = store.read(
        "MATCH (e:Establishment)-[p:PART_OF]->(c:Company) "
        "RETURN c.siren AS s, e.siret AS e, c.first_known_on AS cf, c.known_on AS ck, e.first_known_on AS ef, "
        "e.known_on AS ek, p.first_known_on AS pf, p.known_on AS pk ORDER BY e"
    )
    jan, feb = "2024-01-31", "2024-02-29"
    seen = [(r["s"], r["e"], *(r[k].iso_format() for k in ("cf", "ck", "ef", "ek", "pf", "pk"))) for r in rows]
    assert seen == [
        (A, siret(A, 1), jan, jan, jan, jan, jan, jan),  # unchanged: not even re-written
        (A, siret(A, 2), jan, jan, jan, jan, jan, jan),
        (B, siret(B, 1), jan, feb, jan, jan, jan, jan),  # renamed in February: known_on moves, first_known_on stays
        (B, siret(B, 2), jan, feb, jan, feb, jan, feb),  # closed in February
    ]
    [closure] = store.read("MATCH (t:TimelineEvent)-[a:ABOUT]->() RETURN t.first_known_on AS t, a.first_known_on AS a")
    assert (closure["t"].iso_format(), closure["a"].iso_format()) == (feb, feb)


def test_the_per_file_hash_is_the_stored_row_hash() -> None:
    # Graphs loaded before keep their row_hash: a different value would rewrite every row once.
    from loaders.ingest.sirene import _hash_of, row_hash

    row = {"siret": "1", "siren": "2", "name": None, "active": True, "closure_summary": "x", "longitude": 1.5}
    fields: list[str] = []
    assert _hash_of(row, fields) == row_hash({k: v for k, v in row.items() if k != "closure_summary"})
    assert fields == ["active", "longitude", "name", "siren", "siret"]


def test_a_new_key_listed_twice_in_a_stock_is_one_node(store: GraphStore, tmp_path: Path) -> None:
    from graphstore.measures import MeasureStore
    from loaders.refresh import RefreshOptions

    files = sirene_files([(A, "ALPHA"), (B, "BETA")])
    twice = files["StockEtablissement_utf8.csv"][1]
    files["StockEtablissement_utf8.csv"] += [twice, twice]
    write_delivery(tmp_path, "2024-01", files)
    # One row per batch, two batches in flight: the repeats would race the CREATE of their key.
    options = RefreshOptions(progress=False, print_reports=False, batch_rows=1, workers=0)
    [report] = Refresher(store, MeasureStore(tmp_path / "m"), tmp_path / "rejects", options).refresh(tmp_path)
    etab = next(f for f in report.files if f.name.startswith("StockEtablissement"))
    assert (etab.status, etab.loaded) == (FileStatus.LOADED, 6)
    rows = store.read("MATCH (e:Establishment) RETURN e.siret AS s, count(*) AS n ORDER BY s")
    assert [(r["s"], r["n"]) for r in rows] == [(siret(A, 1), 1), (siret(A, 2), 1), (siret(B, 1), 1), (siret(B, 2), 1)]
