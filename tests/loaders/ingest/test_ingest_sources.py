"""Every source family into the graph and the measure store, on two tiny hand-written deliveries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from ingest_world import siren, sirene_files, siret, write_delivery

from graphstore.measures import MeasureStore, debt_series, headcount_series, short_time_work
from graphstore.store import GraphStore
from loaders.refresh import Refresher
from loaders.report import DeliveryStatus, FileStatus

A, B, C = siren(11), siren(12), siren(13)
SB = siret(B, 1)


def _deliveries(root: Path) -> None:
    d1 = sirene_files([(A, "HOLDING A"), (B, "BETA"), (C, "FOURNISSEUR C")])
    d1.update({
        "personnes_2024-01.csv": ["personne_id;nom;prenoms;annee_naissance", "P1;DUPONT;Jean Marie;1970"],
        "liens_capitalistiques_2024-01.csv": [
            "detenteur_siren;detenteur_personne_id;detenu_siren;pourcentage;nature;date_debut;date_fin",
            f"{A};;{B};60;directe;2020-01-01;",
            f";P1;{A};100;directe;2015-06-01;",
        ],
        "dirigeants_2024-01.csv": [
            "siren;personne_id;dirigeant_siren;qualite;date_debut;date_fin",
            f"{A};P1;;Président;2015-06-01;",
            f"{B};;{A};Président;2020-01-01;",
        ],
        "tetes_de_groupe_2024-01.csv": [
            "siren;siren_tete_de_groupe;nom_groupe;date_reference",
            f"{A};{A};GROUPE A;2023-12-31",
            f"{B};{A};GROUPE A;2023-12-31",
        ],
        "flux_facturation_2024-01.csv": [
            "siren_fournisseur;siren_client;mois;montant_ht;nb_factures",
            f"{C};{A};2023-12;1000.00;1",
            f"{C};{A};2024-01;2000.00;2",
            f"{C};{B};2024-01;1000.00;1",
        ],
        "sigfaible_debits_2024-01.csv": [
            "Urssaf_gestion;Dep;num_cpte;Siren;Siret;Dt_immat;Etat_cpte;Cd_pro_col;Periode;Num_Ecn;Num_Hist_Ecn;"
            "Dt_trt_ecn;Mt_PO;Mt_PP;Cd_op_ecn;Motif_ecn;Recours_en_cours",
            f"217;21;217000000001;{B};{SB};1100101;1;;202341;1;1;1240110;100000;200000;1;;false",
        ],
        "sigfaible_effectif_2024-01.csv": [
            "compte;siret;rais_soc;ape_ins;dep;eff202343;eff202411",
            f"217000000001;{SB};BETA;6201Z;21;20;20",
        ],
        "sigfaible_delais_2024-01.csv": [
            "Urssaf_gestion;Dep;Siret;Numero_compte_externe;Numero_structure;Date_creation;Date_echeance;Duree_delai;"
            "Denomination_premiere_ligne;Indic_6M;Annee_creation;Montant_global_echeancier;Code_externe_stade;"
            "Code_externe_action",
            f"217;21;{SB};217000000001;1;15/01/2024;15/07/2024;182;BETA;SUP;2024;3000;APPROB;ECH",
        ],
        "sigfaible_ccsf_2024-01.csv": [
            "Urssaf_gestion;Dep;Siret;Compte;Date_de_traitement;Code_externe_stade;Code_externe_action",
            f"217;21;{SB};217000000001;1240120;DEBUT;DEB",
        ],
        "demande_ap_2024-01.csv": [
            "ID_DA,ETAB_SIRET,EFF_ENT,EFF_ETAB,DATE_STATUT,DATE_DEB,DATE_FIN,HTA,MTA,EFF_AUTO,MOTIF_RECOURS_SE,PERIMETRE_AP",
            f'"DA1","{SB}","20","20","2024-01-25","2024-02-01","2024-04-30","900","9000","10","1","1"',
        ],
    })  # fmt: skip
    write_delivery(root, "2024-01", d1)
    write_delivery(root, "2024-02", {
        "liens_capitalistiques_2024-02.csv": [
            "detenteur_siren;detenteur_personne_id;detenu_siren;pourcentage;nature;date_debut;date_fin",
            f"{A};;{B};60;directe;2020-01-01;2024-02-15",
        ],
        "tetes_de_groupe_2024-02.csv": [
            "siren;siren_tete_de_groupe;nom_groupe;date_reference",
            f"{B};{C};GROUPE C;2024-02-01",
        ],
        "sigfaible_debits_2024-02.csv": [
            "Urssaf_gestion;Dep;num_cpte;Siren;Siret;Dt_immat;Etat_cpte;Cd_pro_col;Periode;Num_Ecn;Num_Hist_Ecn;"
            "Dt_trt_ecn;Mt_PO;Mt_PP;Cd_op_ecn;Motif_ecn;Recours_en_cours",
            f"217;21;217000000001;{B};{SB};1100101;1;;202341;1;2;1240210;100000;500000;1;;false",
        ],
        "sigfaible_effectif_2024-02.csv": [
            "compte;siret;rais_soc;ape_ins;dep;eff202343;eff202411;eff202412",
            f"217000000001;{SB};BETA;6201Z;21;20;20;10",
        ],
        "sigfaible_pcoll_2024-02.csv": [
            "Siret;Siren;Dt_effet;Cat_v2;Lib_actx_stdx",
            f"{SB};{B};20FEB2024;PCL;Ouverture_procedure_redressement",
        ],
        "bodacc_pcl_2024-02.csv": [
            "id;dateparution;numeroannonce;familleavis;typeavis;numerodepartement;tribunal;registre;jugement_nature;"
            "jugement_date",
            f"B202400001;2024-02-25;12;collective;annonce;21;TC DIJON;{B[:3]} {B[3:6]} {B[6:]};"
            "Jugement d'ouverture d'une procédure de redressement judiciaire;2024-02-20",
        ],
        "consommation_ap_2024-02.csv": [
            "ID_DA,ETAB_SIRET,MOIS,HEURES,MONTANTS,EFFECTIFS",
            f'"DA1","{SB}","2024-02-01","300","3000","10"',
        ],
    })  # fmt: skip


@pytest.fixture
def loaded(refresher: Refresher, tmp_path: Path) -> list[object]:
    _deliveries(tmp_path / "drop")
    reports = refresher.refresh(tmp_path / "drop")
    for r in reports:
        bad = [(f.name, f.status, f.error, f.rejected) for f in r.files if f.status != FileStatus.LOADED or f.rejected]
        assert bad == [] and r.status == DeliveryStatus.LOADED, bad
    return list(reports)


def _events(store: GraphStore, kind: str) -> list[dict[str, object]]:
    return store.read(
        "MATCH (t:TimelineEvent {kind: $k})-[:ABOUT]->(c:Company) "
        "RETURN c.siren AS siren, t.occurred_on AS on, t.delivery AS delivery, t.payload AS payload, t.id AS id "
        "ORDER BY on, id",
        {"k": kind},
    )


def test_ownership_directors_and_groups(loaded: object, store: GraphStore) -> None:
    owns = store.read(
        "MATCH (o)-[r:OWNS]->(c:Company) RETURN coalesce(o.siren, o.id) AS owner, c.siren AS owned, "
        "r.percentage AS pct, r.nature AS nature, r.until AS until, r.delivery AS delivery ORDER BY owner"
    )
    assert [
        (r["owner"], r["owned"], r["pct"], r["until"] and r["until"].iso_format(), r["delivery"]) for r in owns
    ] == [
        (A, B, 60.0, "2024-02-15", "2024-02"),  # the re-sent row ended the link, no second OWNS
        ("P1", A, 100.0, None, "2024-01"),
    ]
    person = store.read("MATCH (p:Person {id: 'P1'}) RETURN p.last_name AS n, p.birth_year AS y")
    assert person == [{"n": "DUPONT", "y": 1970}]
    directs = store.read(
        "MATCH (d)-[r:DIRECTS]->(c:Company) RETURN coalesce(d.siren, d.id) AS who, c.siren AS what, r.role AS role "
        "ORDER BY what"
    )
    assert directs == [{"who": "P1", "what": A, "role": "Président"}, {"who": A, "what": B, "role": "Président"}]
    groups = store.read("MATCH (c:Company)-[:MEMBER_OF]->(g:Group) RETURN c.siren AS c, g.id AS g ORDER BY c")
    assert groups == [{"c": A, "g": A}, {"c": B, "g": C}]  # B moved to group C
    [change] = _events(store, "group_change")
    assert change["siren"] == B and json.loads(str(change["payload"])) == {"from": A, "to": C}
    ownership = _events(store, "ownership_change")
    assert [(e["siren"], e["on"].iso_format(), e["id"].rsplit(":", 1)[1]) for e in ownership] == [  # type: ignore[attr-defined, union-attr]
        (A, "2015-06-01", "start"),
        (B, "2020-01-01", "start"),
        (B, "2024-02-15", "end"),
    ]


def test_one_procedure_per_judgment_whatever_the_sources(loaded: object, store: GraphStore) -> None:
    rows = store.read(
        "MATCH (c:Company)-[:SUBJECT_OF]->(p:ProcedureCollective) RETURN c.siren AS siren, p.id AS id, p.kind AS kind, "
        "p.stage AS stage, p.sources AS sources, p.source AS source, p.judgment_date AS on"
    )
    assert len(rows) == 1
    p = rows[0]
    assert (p["siren"], p["kind"], p["stage"], p["on"].iso_format()) == (B, "redressement", "ouverture", "2024-02-20")
    assert p["source"] == "urssaf" and p["sources"] == ["urssaf", "bodacc"]  # pcoll loads before BODACC
    assert [e["siren"] for e in _events(store, "insolvency_judgment")] == [B]


def test_supplies_recomputed_from_the_flows(loaded: object, store: GraphStore) -> None:
    rows = store.read(
        "MATCH (s:Company)-[r:SUPPLIES]->(c:Company) RETURN s.siren AS s, c.siren AS c, r.amount_12m AS amount, "
        "r.supplier_dependency AS sd, r.client_dependency AS cd, r.since AS since, r.last_month AS last, "
        "r.source_file AS f ORDER BY c"
    )
    assert [(r["s"], r["c"], r["amount"], r["since"].iso_format(), r["last"].iso_format()) for r in rows] == [
        (C, A, 3000.0, "2023-12-01", "2024-01-01"),
        (C, B, 1000.0, "2024-01-01", "2024-01-01"),
    ]
    assert [r["sd"] for r in rows] == pytest.approx([0.75, 0.25])  # A is 3000 of C's 4000 sales
    assert [r["cd"] for r in rows] == pytest.approx([1.0, 1.0])  # C is all of A's and B's purchases
    assert {r["f"] for r in rows} == {"flux_facturation_2024-01.csv"}


def test_measures_and_the_events_they_imply(loaded: object, store: GraphStore, measures: MeasureStore) -> None:
    debt = debt_series(B, store=measures, months=[date(2024, 1, 1), date(2024, 2, 1)])
    assert debt["debt"].tolist() == [3000.0, 6000.0]
    assert debt_series(B, known_by=date(2024, 1, 31), store=measures, months=[date(2024, 2, 1)])["debt"].tolist() == [
        3000.0
    ]
    assert headcount_series(B, store=measures)["headcount"].tolist() == [20.0, 20.0, 10.0]
    stw = short_time_work(B, store=measures)
    assert stw.loc[stw["month"] == "2024-02-01", "hours_used"].tolist() == [300.0]
    assert stw["hours_authorised"].tolist() == [300.0, 300.0, 300.0]  # 900 h over February to April

    assert [(e["on"].iso_format(), e["delivery"]) for e in _events(store, "debt_appears")] == [
        ("2024-01-01", "2024-01")
    ]  # type: ignore[attr-defined]
    grows = _events(store, "debt_grows")
    assert [(e["on"].iso_format(), e["delivery"]) for e in grows] == [("2024-02-01", "2024-02")]  # type: ignore[attr-defined]
    assert json.loads(str(grows[0]["payload"])) == {"month": "2024-02", "debt_before": 3000.0, "debt": 6000.0}
    assert [e["on"].iso_format() for e in _events(store, "headcount_drop")] == ["2024-02-01"]  # type: ignore[attr-defined]
    assert [e["id"] for e in _events(store, "payment_plan")] == ["payment_plan:217000000001:2024-01-15"]
    assert [e["id"] for e in _events(store, "ccsf")] == ["ccsf:217000000001:2024-01-20:DEBUT"]
    assert [e["id"] for e in _events(store, "short_time_work_requested")] == ["short_time_work_requested:DA1"]
    assert [e["id"] for e in _events(store, "short_time_work_used")] == ["short_time_work_used:DA1"]
    # Every event is about a company and keeps its provenance.
    assert store.read(
        "MATCH (t:TimelineEvent) WHERE NOT (t)-[:ABOUT]->(:Company) OR t.source_file IS NULL OR t.known_on IS NULL "
        "RETURN count(t) AS n"
    ) == [{"n": 0}]
