"""Tiny hand-written deliveries and graph snapshots for the ingest tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphstore.measures import MeasureStore, Table
from graphstore.store import GraphStore

# Volatile by nature: wall-clock times and machine paths.
VOLATILE = {"loaded_at", "folder", "reject_file", "seconds"}


def luhn_digit(body: str) -> str:
    """The digit that makes ``body + digit`` pass the Luhn check."""
    for d in "0123456789":
        digits = body + d
        total = 0
        for i, ch in enumerate(reversed(digits)):
            v = int(ch) * (2 if i % 2 else 1)
            total += v - 9 if v > 9 else v
        if total % 10 == 0:
            return d
    raise AssertionError("unreachable")


def siren(n: int) -> str:
    """A Luhn-valid SIREN built from a small number."""
    body = f"{n:08d}"
    return body + luhn_digit(body)


def siret(siren_: str, k: int = 1) -> str:
    """A Luhn-valid SIRET of ``siren_`` (NIC starting with 0)."""
    body = siren_ + f"{k:03d}0"
    return body + luhn_digit(body)


UL_HEADER = (
    "siren,denominationUniteLegale,dateCreationUniteLegale,trancheEffectifsUniteLegale,"
    "categorieJuridiqueUniteLegale,activitePrincipaleUniteLegale,categorieEntreprise,"
    "etatAdministratifUniteLegale,nicSiegeUniteLegale"
)
ET_HEADER = (
    "siren,nic,siret,dateCreationEtablissement,trancheEffectifsEtablissement,etablissementSiege,"
    "codePostalEtablissement,libelleCommuneEtablissement,codeCommuneEtablissement,"
    "activitePrincipaleEtablissement,etatAdministratifEtablissement"
)


def ul_line(s: str, name: str, state: str = "A", legal_form: str = "5710") -> str:
    """One StockUniteLegale row; the head office is the SIRET ``siret(s, 1)``."""
    return f"{s},{name},2010-05-01,11,{legal_form},62.01Z,PME,{state},{siret(s, 1)[9:]}"


def et_line(s: str, k: int = 1, commune: str = "21231", state: str = "A") -> str:
    """One StockEtablissement row."""
    st = siret(s, k)
    head = "true" if k == 1 else "false"
    return f"{s},{st[9:]},{st},2010-05-01,11,{head},21000,DIJON,{commune},62.01Z,{state}"


def write_delivery(root: Path, name: str, files: dict[str, list[str]]) -> Path:
    """Writes a delivery folder: file name -> lines (header included)."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for fname, lines in files.items():
        (folder / fname).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def sirene_files(companies: list[tuple[str, str]], closed: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """A company and an establishment stock for (siren, name) pairs; two establishments each."""
    ul = [UL_HEADER] + [ul_line(s, n) for s, n in companies]
    et = [ET_HEADER]
    for s, _ in companies:
        et.append(et_line(s, 1))
        et.append(et_line(s, 2, commune="25056", state="F" if s in closed else "A"))
    return {"StockUniteLegale_utf8.csv": ul, "StockEtablissement_utf8.csv": et}


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.iso_format() if hasattr(v, "iso_format") else v) for k, v in props.items() if k not in VOLATILE}


def graph_snapshot(store: GraphStore) -> dict[str, Any]:
    """Every node and relationship (but migrations) with its properties, volatile ones left out."""
    nodes = store.read("MATCH (n) WHERE NOT n:Migration RETURN labels(n) AS labels, properties(n) AS props")
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, properties(r) AS props, "
        "coalesce(a.siren, a.siret, a.id) AS src, coalesce(b.siren, b.siret, b.id) AS dst"
    )
    snap_nodes = sorted(
        json.dumps([sorted(n["labels"]), _clean(n["props"])], sort_keys=True, default=str) for n in nodes
    )
    snap_rels = sorted(
        json.dumps([r["type"], r["src"], r["dst"], _clean(r["props"])], sort_keys=True, default=str) for r in rels
    )
    # Delivery reports hold timings; compare their files only.
    cleaned = []
    for n in snap_nodes:
        labels, props = json.loads(n)
        if props.get("report"):
            props["report"] = json.loads(props["report"])["files"]
        cleaned.append(json.dumps([labels, props], sort_keys=True))
    return {"nodes": sorted(cleaned), "rels": snap_rels}


def measures_snapshot(ms: MeasureStore) -> dict[str, list[str]]:
    """Every row of every measure table, sorted."""
    out = {}
    for t in Table:
        df = ms.query(f"SELECT * FROM {ms.raw_sql(t)}")
        out[t.value] = sorted(json.dumps(r, sort_keys=True, default=str) for r in df.to_dict("records"))
    return out


def counts(store: GraphStore) -> tuple[int, int]:
    """(nodes, relationships) but migrations."""
    n = store.read("MATCH (n) WHERE NOT n:Migration RETURN count(n) AS n")[0]["n"]
    r = store.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return int(n), int(r)


A, B, C = siren(11), siren(12), siren(13)
SB = siret(B, 1)


def two_deliveries(root: Path) -> None:
    """Two deliveries touching every source family (see test_ingest_sources for what they hold)."""
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


def clean_graph(store: GraphStore) -> None:
    """Deletes every node but the migration records (as the ``store`` fixture does)."""
    while store.write("MATCH (n) WHERE NOT n:Migration WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS deleted")[
        0
    ]["deleted"]:
        pass
