"""The SOURCES.md contract, restated independently of synth to check its files."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def luhn(digits: str) -> bool:
    total = 0
    for k, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if k % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def siren(v: str) -> bool:
    return len(v) == 9 and v.isdigit() and luhn(v)


def siret(v: str) -> bool:
    return len(v) == 14 and v.isdigit() and luhn(v)


def urssaf_siret(v: str) -> bool:
    return len(v) == 14 and v.isdigit() and (luhn(v) or v[9] in "5679")


def iso(v: str) -> bool:
    try:
        dt.date.fromisoformat(v)
    except ValueError:
        return False
    return len(v) == 10


def iso_or_empty(v: str) -> bool:
    return v == "" or iso(v)


def urssaf_date(v: str) -> bool:
    if not v.isdigit() or len(v) not in (6, 7):
        return False
    try:
        dt.date(1900 + int(v[:-4]), int(v[-4:-2]), int(v[-2:]))
    except ValueError:
        return False
    return True


def period(v: str) -> bool:
    if not v.isdigit() or len(v) not in (4, 6):
        return False
    qm = v[-2:]
    return qm == "62" or (qm[0] in "1234" and qm[1] in "0123")


def french(v: str) -> bool:
    try:
        dt.datetime.strptime(v, "%d/%m/%Y")
    except ValueError:
        return False
    return True


def sas(v: str) -> bool:
    m = re.fullmatch(r"(\d{2})([A-Z]{3})(\d{4})", v)
    if not m or m.group(2) not in MONTHS:
        return False
    try:
        dt.date(int(m.group(3)), MONTHS.index(m.group(2)) + 1, int(m.group(1)))
    except ValueError:
        return False
    return True


def month(v: str) -> bool:
    return re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v) is not None


def first_of_month(v: str) -> bool:
    return iso(v) and v.endswith("-01")


def number(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def integer(v: str) -> bool:
    return v.lstrip("-").isdigit()


def registre(v: str) -> bool:
    return all(siren(part.replace(" ", "")) for part in v.split(","))


def naf(v: str) -> bool:
    return re.fullmatch(r"\d{2}\.\d{2}[A-Z]", v) is not None


def band(v: str) -> bool:
    return v in {"NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"}


def anything(v: str) -> bool:
    return True


Check = Callable[[str], bool]


@dataclass(frozen=True)
class Family:
    pattern: str
    sep: str
    columns: dict[str, Check]
    quoted: bool = False
    extra_ok: bool = True
    columns_regex: dict[str, Check] = field(default_factory=dict)


FAMILIES: dict[str, Family] = {
    "StockUniteLegale": Family("StockUniteLegale*.csv", ",", {
        "siren": siren, "denominationUniteLegale": anything, "dateCreationUniteLegale": iso_or_empty,
        "trancheEffectifsUniteLegale": band, "categorieJuridiqueUniteLegale": lambda v: len(v) == 4 and v.isdigit(),
        "activitePrincipaleUniteLegale": naf, "categorieEntreprise": lambda v: v in ("PME", "ETI", "GE", ""),
        "etatAdministratifUniteLegale": lambda v: v in ("A", "C"), "nicSiegeUniteLegale": lambda v: len(v) == 5,
    }),
    "StockEtablissement": Family("StockEtablissement*.csv", ",", {
        "siren": siren, "nic": lambda v: len(v) == 5 and v.isdigit(), "siret": siret,
        "dateCreationEtablissement": iso, "trancheEffectifsEtablissement": band,
        "etablissementSiege": lambda v: v in ("true", "false"), "codePostalEtablissement": lambda v: len(v) == 5,
        "libelleCommuneEtablissement": anything, "codeCommuneEtablissement": lambda v: len(v) == 5,
        "activitePrincipaleEtablissement": naf, "etatAdministratifEtablissement": lambda v: v in ("A", "F"),
        "longitude": number, "latitude": number,
    }),
    "sigfaible_effectif": Family("sigfaible_effectif*.csv", ";", {
        "compte": anything, "siret": urssaf_siret, "rais_soc": anything, "ape_ins": lambda v: len(v) == 5,
        "dep": anything,
    }, columns_regex={r"eff\d{6}": lambda v: v == "" or v.isdigit()}),
    "sigfaible_cotisdues": Family("sigfaible_cotisdues*.csv", ";", {
        "Urssaf_gestion": anything, "Dep": anything, "Siret": urssaf_siret, "Compte": anything, "periode": period,
        "mer": number, "enc_direct": number, "cotis_due": number,
    }),
    "sigfaible_debits": Family("sigfaible_debits*.csv", ";", {
        "Urssaf_gestion": anything, "Dep": anything, "num_cpte": anything, "Siren": siren, "Siret": urssaf_siret,
        "Dt_immat": urssaf_date, "Etat_cpte": integer, "Cd_pro_col": anything, "Periode": period,
        "Num_Ecn": integer, "Num_Hist_Ecn": integer, "Dt_trt_ecn": urssaf_date, "Mt_PO": integer, "Mt_PP": integer,
        "Cd_op_ecn": integer, "Motif_ecn": integer, "Recours_en_cours": anything,
    }),
    "sigfaible_delais": Family("sigfaible_delais*.csv", ";", {
        "Urssaf_gestion": anything, "Dep": anything, "Siret": urssaf_siret, "Numero_compte_externe": anything,
        "Numero_structure": anything, "Date_creation": french, "Date_echeance": french, "Duree_delai": integer,
        "Denomination_premiere_ligne": anything, "Indic_6M": lambda v: v in ("SUP", "INF"), "Annee_creation": integer,
        "Montant_global_echeancier": number, "Code_externe_stade": anything, "Code_externe_action": anything,
    }),
    "sigfaible_ccsf": Family("sigfaible_ccsf*.csv", ";", {
        "Urssaf_gestion": anything, "Dep": anything, "Siret": urssaf_siret, "Compte": anything,
        "Date_de_traitement": urssaf_date,
        "Code_externe_stade": lambda v: v in ("DEBUT", "REFUS", "APPROB", "FIN", "REJ"),
        "Code_externe_action": anything,
    }),
    "sigfaible_pcoll": Family("sigfaible_pcoll*.csv", ";", {
        "Siret": urssaf_siret, "Siren": siren, "Dt_effet": sas, "Cat_v2": anything,
        "Lib_actx_stdx": lambda v: v.rsplit("_", 1)[-1] in ("sauvegarde", "redressement", "liquidation"),
    }),
    "demande_ap": Family("demande_ap*.csv", ",", {
        "ID_DA": anything, "ETAB_SIRET": siret, "EFF_ENT": integer, "EFF_ETAB": integer, "DATE_STATUT": iso,
        "DATE_DEB": iso, "DATE_FIN": iso, "HTA": number, "MTA": number, "EFF_AUTO": integer,
        "MOTIF_RECOURS_SE": lambda v: v in "12345" and len(v) == 1, "PERIMETRE_AP": integer,
    }, quoted=True),
    "consommation_ap": Family("consommation_ap*.csv", ",", {
        "ID_DA": anything, "ETAB_SIRET": siret, "MOIS": first_of_month, "HEURES": number, "MONTANTS": number,
        "EFFECTIFS": integer,
    }, quoted=True),
    "bdf_ratios": Family("bdf_ratios*.csv", ";", {
        "siren": siren, "annee": integer, "arrete_bilan": iso, "poids_frng": number, "taux_marge": number,
        "delai_fournisseurs": number, "poids_dettes_fiscales_sociales": number,
        "poids_financement_court_terme": number, "poids_frais_financiers": number,
    }),
    "bodacc_pcl": Family("bodacc_pcl*.csv", ";", {
        "id": anything, "dateparution": iso, "numeroannonce": integer, "familleavis": lambda v: v == "collective",
        "typeavis": anything, "numerodepartement": anything, "tribunal": anything, "registre": registre,
        "jugement_nature": lambda v: v.startswith("Jugement"), "jugement_date": iso,
    }),
    "personnes": Family("personnes*.csv", ";", {
        "personne_id": lambda v: v != "", "nom": anything, "prenoms": anything, "annee_naissance": integer,
    }),
    "liens_capitalistiques": Family("liens_capitalistiques*.csv", ";", {
        "detenteur_siren": lambda v: v == "" or siren(v), "detenteur_personne_id": anything, "detenu_siren": siren,
        "pourcentage": number, "nature": lambda v: v in ("directe", "indirecte"), "date_debut": iso,
        "date_fin": iso_or_empty,
    }),
    "dirigeants": Family("dirigeants*.csv", ";", {
        "siren": siren, "personne_id": anything, "dirigeant_siren": lambda v: v == "" or siren(v),
        "qualite": lambda v: v != "", "date_debut": iso, "date_fin": iso_or_empty,
    }),
    "tetes_de_groupe": Family("tetes_de_groupe*.csv", ";", {
        "siren": siren, "siren_tete_de_groupe": siren, "nom_groupe": anything, "date_reference": iso,
    }),
    "flux_facturation": Family("flux_facturation*.csv", ";", {
        "siren_fournisseur": siren, "siren_client": siren, "mois": month, "montant_ht": number,
        "nb_factures": integer,
    }),
}  # fmt: skip


def family_of(name: str) -> str | None:
    """The family of a file name (``sigfaible_effectif_siren`` would be checked first if it existed)."""
    base = name[:-3] if name.endswith(".gz") else name
    if not base.endswith(".csv"):
        return None
    for key in sorted(FAMILIES, key=len, reverse=True):
        if base.startswith(key):
            return key
    return None


def open_text(path: Path) -> list[str]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8").split("\n")[:-1]


def rows(path: Path, sep: str) -> Iterator[tuple[int, list[str], list[str]]]:
    """(line number, header, fields) for every data line; line 1 is the header."""
    lines = open_text(path)
    header = next(csv.reader([lines[0]], delimiter=sep))
    for k, line in enumerate(lines[1:], start=2):
        yield k, header, next(csv.reader([line], delimiter=sep))


def check_row(fam: Family, header: list[str], fields: list[str]) -> str | None:
    """None when the row honours the contract, else the reason."""
    if len(fields) != len(header):
        return f"{len(fields)} fields for {len(header)} columns"
    values = dict(zip(header, fields, strict=True))
    for col, ok in fam.columns.items():
        if not ok(values[col]):
            return f"{col}={values[col]!r}"
    for pattern, ok in fam.columns_regex.items():
        for col, v in values.items():
            if re.fullmatch(pattern, col) and not ok(v):
                return f"{col}={v!r}"
    return None
