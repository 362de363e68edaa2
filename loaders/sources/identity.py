"""Company and establishment ids of a row, checked together."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.parsing.ids import parse_siren, parse_siret, parse_urssaf_siret
from loaders.parsing.table import Row


@dataclass(frozen=True, slots=True)
class Ids:
    """The ids a row names.

    Attributes:
        siren: always filled.
        siret: None when the row names only the company.
        pseudo_siret: the SIRET is an URSSAF pseudo-SIRET.
    """

    siren: str
    siret: str | None
    pseudo_siret: bool


@dataclass(frozen=True, slots=True)
class SiretIds:
    """The ids of a row that names an establishment.

    Attributes:
        siren: the first 9 digits of the SIRET.
        siret: the SIRET.
        pseudo_siret: the SIRET is an URSSAF pseudo-SIRET.
    """

    siren: str
    siret: str
    pseudo_siret: bool


def siret_ids(row: Row, siret_column: str, *, urssaf: bool) -> SiretIds:
    """The ids of a row whose SIRET column must be filled.

    Args:
        row: the row.
        siret_column: the SIRET column (lower case).
        urssaf: accept URSSAF pseudo-SIRETs (flagged).

    Raises:
        RowError: empty or invalid SIRET.
    """
    siret, pseudo = row.need(siret_column, parse_urssaf_siret if urssaf else parse_siret)
    return SiretIds(siret[:9], siret, pseudo)


def siret_or_siren_ids(row: Row, siret_column: str, siren_column: str, *, urssaf: bool) -> Ids:
    """The ids of a row with both a SIRET and a SIREN column, either of which may be empty.

    Args:
        row: the row.
        siret_column: the SIRET column (lower case).
        siren_column: the SIREN column (lower case).
        urssaf: accept URSSAF pseudo-SIRETs (flagged).

    Raises:
        RowError: both empty, one invalid, or a SIREN that is not the SIRET's.
    """
    parsed = row.get(siret_column, parse_urssaf_siret if urssaf else parse_siret)
    siren = row.get(siren_column, parse_siren)
    if parsed is None:
        if siren is None:
            raise row.fail(siret_column, f"neither {row.name(siret_column)} nor {row.name(siren_column)} is filled")
        return Ids(siren, None, False)
    siret, pseudo = parsed
    if siren is not None and siren != siret[:9]:
        raise row.fail(siren_column, f"SIREN is not the first 9 digits of the SIRET {siret}")
    return Ids(siret[:9], siret, pseudo)
