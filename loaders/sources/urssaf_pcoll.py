"""Insolvency proceedings as seen by URSSAF (``sigfaible_pcoll*``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from loaders.parsing.dates import parse_sas_date
from loaders.parsing.procedures import split_urssaf_label
from loaders.parsing.table import Layout, Row, read_table
from loaders.records import PcollUrssaf, Reject
from loaders.sources.identity import siret_or_siren_ids

PCOLL = Layout(
    delimiter=";",
    required=("Siret", "Siren", "Dt_effet", "Lib_actx_stdx"),
    optional=("Cat_v2",),
)


def _pcoll(row: Row) -> PcollUrssaf:
    ids = siret_or_siren_ids(row, "siret", "siren", urssaf=True)
    label = row.need_text("lib_actx_stdx")
    kind, stage, stage_label = row.need("lib_actx_stdx", split_urssaf_label)
    return PcollUrssaf(
        line=row.line,
        siren=ids.siren,
        siret=ids.siret,
        effective_on=row.need("dt_effet", parse_sas_date),
        category=row.text("cat_v2"),
        label=label,
        kind=kind,
        stage=stage,
        stage_label=stage_label,
        pseudo_siret=ids.pseudo_siret,
    )


def read_pcoll(path: Path) -> Iterator[PcollUrssaf | Reject]:
    """Reads ``sigfaible_pcoll*.csv`` (``Dt_effet`` like ``26MAY2014``).

    Args:
        path: the file (plain or gzip).

    Raises:
        FileRejected: the file cannot be read at all.
    """
    return read_table(path, PCOLL, _pcoll)
