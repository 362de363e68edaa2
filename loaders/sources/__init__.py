"""The registry of source files: which reader reads which file.

A file is recognised by its name (SOURCES.md): the pattern is matched
case-insensitively against the name without a trailing ``.gz``. When several
patterns match, the most specific wins (the one with the most literal
characters), so ``sigfaible_effectif_siren_2024.csv`` is read as company-level
headcount although it also matches ``sigfaible_effectif*.csv``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

from loaders.records import (
    ApConsommation,
    ApDemande,
    BdfRatios,
    BodaccJudgment,
    Ccsf,
    CotisationDue,
    DebitLine,
    Delai,
    Dirigeant,
    EffectifMonth,
    Etablissement,
    FluxFacturation,
    LienCapitalistique,
    PcollUrssaf,
    Personne,
    Record,
    Reject,
    TeteDeGroupe,
    UniteLegale,
)
from loaders.sources.activite_partielle import read_consommations, read_demandes
from loaders.sources.bdf import read_bdf_ratios
from loaders.sources.bodacc import read_bodacc
from loaders.sources.flows import read_flux
from loaders.sources.ownership import read_dirigeants, read_liens, read_personnes, read_tetes_de_groupe
from loaders.sources.sirene import read_etablissements, read_unites_legales
from loaders.sources.urssaf_accounts import read_cotisations, read_debits
from loaders.sources.urssaf_effectif import read_effectif_entreprises, read_effectif_etablissements
from loaders.sources.urssaf_pcoll import read_pcoll
from loaders.sources.urssaf_plans import read_ccsf, read_delais

Reader = Callable[[Path], Iterator[Record | Reject]]


@dataclass(frozen=True)
class SourceSpec:
    """One kind of source file.

    Attributes:
        name: stable id of the source, e.g. ``sirene_unites_legales``.
        pattern: file-name glob from SOURCES.md, e.g. ``StockUniteLegale*.csv``.
        family: ``sirene``, ``urssaf``, ``activite_partielle``, ``bdf``,
            ``bodacc``, ``ownership`` or ``flows``.
        kind: ``stock`` (a full picture that replaces the previous one) or
            ``events`` (adds to what was loaded).
        delimiter: the field separator.
        record_type: the record class the reader yields.
        read: the reader: yields records and Rejects, raises FileRejected
            before anything when the file cannot be read.
    """

    name: str
    pattern: str
    family: str
    kind: Literal["stock", "events"]
    delimiter: str
    record_type: type[Record]
    read: Reader

    def matches(self, filename: str) -> bool:
        """True when a file name (``.gz`` allowed) has this source's pattern."""
        return fnmatchcase(_base(filename).lower(), self.pattern.lower())

    @property
    def specificity(self) -> int:
        """Number of literal characters in the pattern: the higher, the more specific."""
        return len(self.pattern.replace("*", "").replace("?", ""))


SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec(
        "sirene_unites_legales",
        "StockUniteLegale*.csv",
        "sirene",
        "stock",
        ",",
        UniteLegale,
        read_unites_legales,
    ),
    SourceSpec(
        "sirene_etablissements",
        "StockEtablissement*.csv",
        "sirene",
        "stock",
        ",",
        Etablissement,
        read_etablissements,
    ),
    SourceSpec(
        "urssaf_effectif_entreprises",
        "sigfaible_effectif_siren*.csv",
        "urssaf",
        "stock",
        ";",
        EffectifMonth,
        read_effectif_entreprises,
    ),
    SourceSpec(
        "urssaf_effectif",
        "sigfaible_effectif*.csv",
        "urssaf",
        "stock",
        ";",
        EffectifMonth,
        read_effectif_etablissements,
    ),
    SourceSpec(
        "urssaf_cotisations", "sigfaible_cotisdues*.csv", "urssaf", "events", ";", CotisationDue, read_cotisations
    ),
    SourceSpec("urssaf_debits", "sigfaible_debits*.csv", "urssaf", "events", ";", DebitLine, read_debits),
    SourceSpec("urssaf_delais", "sigfaible_delais*.csv", "urssaf", "events", ";", Delai, read_delais),
    SourceSpec("urssaf_ccsf", "sigfaible_ccsf*.csv", "urssaf", "events", ";", Ccsf, read_ccsf),
    SourceSpec("urssaf_pcoll", "sigfaible_pcoll*.csv", "urssaf", "events", ";", PcollUrssaf, read_pcoll),
    SourceSpec("ap_demandes", "demande_ap*.csv", "activite_partielle", "events", ",", ApDemande, read_demandes),
    SourceSpec(
        "ap_consommations",
        "consommation_ap*.csv",
        "activite_partielle",
        "events",
        ",",
        ApConsommation,
        read_consommations,
    ),
    SourceSpec("bdf_ratios", "bdf_ratios*.csv", "bdf", "events", ";", BdfRatios, read_bdf_ratios),
    SourceSpec("bodacc_pcl", "bodacc_pcl*.csv", "bodacc", "events", ";", BodaccJudgment, read_bodacc),
    SourceSpec("personnes", "personnes*.csv", "ownership", "events", ";", Personne, read_personnes),
    SourceSpec(
        "liens_capitalistiques",
        "liens_capitalistiques*.csv",
        "ownership",
        "events",
        ";",
        LienCapitalistique,
        read_liens,
    ),
    SourceSpec("dirigeants", "dirigeants*.csv", "ownership", "events", ";", Dirigeant, read_dirigeants),
    SourceSpec(
        "tetes_de_groupe", "tetes_de_groupe*.csv", "ownership", "events", ";", TeteDeGroupe, read_tetes_de_groupe
    ),
    SourceSpec("flux_facturation", "flux_facturation*.csv", "flows", "events", ";", FluxFacturation, read_flux),
)


def _base(filename: str) -> str:
    name = Path(filename).name
    return name[:-3] if name.lower().endswith(".gz") else name


def recognise(filename: str) -> SourceSpec | None:
    """The source a file name belongs to, or None when no pattern matches.

    Args:
        filename: a file name or path; only the name counts, ``.gz`` allowed.
    """
    matching = [s for s in SOURCES if s.matches(filename)]
    return max(matching, key=lambda s: s.specificity, default=None)


def read_file(path: Path) -> Iterator[Record | Reject]:
    """Reads any recognised source file.

    Args:
        path: the file.

    Raises:
        ValueError: the file name matches no source (call :func:`recognise` first).
        FileRejected: the file cannot be read at all; raised at the first
            ``next()``, before any record.
    """
    spec = recognise(path.name)
    if spec is None:
        raise ValueError(f"{path.name}: not a recognised source file name")
    return spec.read(path)
