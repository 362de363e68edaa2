"""Which ingest step loads which record type, and in which order a delivery's files load.

Dependency order: companies before their establishments (the head office sets the
company's département), persons before the links that name them, entities before
the events and measures about them, and the flows last (SUPPLIES are recomputed
from them at the end).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from loaders.ingest.context import IngestCounts, LoadContext
from loaders.ingest.links import load_directors, load_groups, load_ownership, load_persons
from loaders.ingest.procedures import load_bodacc, load_pcoll
from loaders.ingest.sirene import load_companies, load_establishments
from loaders.ingest.to_measures import load_measures
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
    TeteDeGroupe,
    UniteLegale,
)

Handler = Callable[[LoadContext, Iterable[Any]], IngestCounts]

# In load order.
HANDLERS: dict[type, Handler] = {
    UniteLegale: load_companies,
    Etablissement: load_establishments,
    Personne: load_persons,
    LienCapitalistique: load_ownership,
    Dirigeant: load_directors,
    TeteDeGroupe: load_groups,
    EffectifMonth: load_measures,
    CotisationDue: load_measures,
    DebitLine: load_measures,
    Delai: load_measures,
    Ccsf: load_measures,
    PcollUrssaf: load_pcoll,
    BodaccJudgment: load_bodacc,
    ApDemande: load_measures,
    ApConsommation: load_measures,
    BdfRatios: load_measures,
    FluxFacturation: load_measures,
}

_ORDER = {t: i for i, t in enumerate(HANDLERS)}


def load_rank(record_type: type) -> int:
    """Position of a record type in the load order (unknown types last)."""
    return _ORDER.get(record_type, len(_ORDER))


def handler_for(record_type: type) -> Handler:
    """The ingest step of a record type.

    Raises:
        KeyError: no ingest step for that type.
    """
    return HANDLERS[record_type]


def is_measure_type(record_type: type) -> bool:
    """True for a record type that only feeds the measure store (loadable in a worker)."""
    return HANDLERS.get(record_type) is load_measures
