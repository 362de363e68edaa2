"""File families of SOURCES.md: name prefix, delimiter, quoting and corruptible columns."""

from __future__ import annotations

from synth.csvio import Layout

UL = Layout("StockUniteLegale", ",", id_columns=("siren",), date_columns=("dateCreationUniteLegale",))
ETAB = Layout("StockEtablissement", ",", id_columns=("siret",), date_columns=("dateCreationEtablissement",))
EFFECTIF = Layout("sigfaible_effectif", ";", id_columns=("siret",))
COTISDUES = Layout("sigfaible_cotisdues", ";", id_columns=("Siret",), date_columns=("periode",))
DEBITS = Layout("sigfaible_debits", ";", id_columns=("Siret", "Siren"), date_columns=("Dt_trt_ecn", "Periode"))
DELAIS = Layout("sigfaible_delais", ";", id_columns=("Siret",), date_columns=("Date_creation", "Date_echeance"))
CCSF = Layout("sigfaible_ccsf", ";", id_columns=("Siret",), date_columns=("Date_de_traitement",))
PCOLL = Layout("sigfaible_pcoll", ";", id_columns=("Siret", "Siren"), date_columns=("Dt_effet",))
DEMANDE_AP = Layout("demande_ap", ",", quote_all=True, id_columns=("ETAB_SIRET",),
                    date_columns=("DATE_STATUT", "DATE_DEB", "DATE_FIN"))  # fmt: skip
CONSO_AP = Layout("consommation_ap", ",", quote_all=True, id_columns=("ETAB_SIRET",), date_columns=("MOIS",))
BDF = Layout("bdf_ratios", ";", id_columns=("siren",), date_columns=("arrete_bilan",))
BODACC = Layout("bodacc_pcl", ";", id_columns=("registre",), date_columns=("jugement_date",))
PERSONNES = Layout("personnes", ";")
LIENS = Layout("liens_capitalistiques", ";", id_columns=("detenu_siren",), date_columns=("date_debut",))
DIRIGEANTS = Layout("dirigeants", ";", id_columns=("siren",), date_columns=("date_debut",))
TETES = Layout("tetes_de_groupe", ";", id_columns=("siren",), date_columns=("date_reference",))
FLUX = Layout("flux_facturation", ";", id_columns=("siren_fournisseur", "siren_client"), date_columns=("mois",))

ALL = (UL, ETAB, EFFECTIF, COTISDUES, DEBITS, DELAIS, CCSF, PCOLL, DEMANDE_AP, CONSO_AP, BDF, BODACC, PERSONNES,
       LIENS, DIRIGEANTS, TETES, FLUX)  # fmt: skip
# Full stocks: delivered in the first delivery and at each quarter end, never late.
STOCKS = (UL, ETAB, EFFECTIF)


def file_name(layout: Layout, month_compact: str, suffix: str = "") -> str:
    """``sigfaible_debits_202304.csv``; Sirene files keep INSEE's ``_utf8`` infix."""
    infix = "_utf8" if layout.family.startswith("Stock") else ""
    return f"{layout.family}{infix}{suffix}_{month_compact}.csv"
