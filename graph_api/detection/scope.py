"""What a detection-list request may cover, checked before anything is read.

A list is read with the role ``detection``, for one region, and only over the
départements of that region the caller covers (``docs/access.md``). Asking for a
region or a département outside the caller's zones is refused with the same
FORBIDDEN whether or not it has alerts. The filters are shared by the GraphQL
field and the HTTP exports, so both return exactly the same companies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from graph_api.auth.principal import Principal
from graph_api.doctrine.blocks import DETECTION_ROLE
from graph_api.errors import bad_input, forbidden
from graphstore.geo import REGION_ALIASES, REGIONS

_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_NAF = re.compile(r"^[0-9A-Za-z.]{1,6}$")
_BAND = re.compile(r"^[0-9A-Z]{2}$")
MAX_VALUES = 50
"""The most values one list filter accepts (départements, bands, levels, statuses)."""


class HandlingStatus(StrEnum):
    """Where the caller's agency stands on an alert (``(Agency)-[:HANDLES {status}]->(Alert)``).

    No HANDLES relationship from the agency means ``new``.
    """

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    DISMISSED = "dismissed"
    CONVERTED = "converted"


@dataclass(frozen=True)
class ListFilters:
    """The filters of a detection list, as the client gave them (None: not filtered).

    Attributes:
        departements: head-office départements (each must be in the caller's zones).
        naf_prefix: NAF code prefix, dots ignored (sector).
        size_bands: Sirene headcount bands.
        levels: alert levels (``moderate``, ``high``).
        first_alert_only: only companies listed for the first time.
        followed: True: followed by the caller's agency; False: not followed.
        statuses: the caller's agency's handling statuses.
    """

    departements: tuple[str, ...] | None = None
    naf_prefix: str | None = None
    size_bands: tuple[str, ...] | None = None
    levels: tuple[str, ...] | None = None
    first_alert_only: bool = False
    followed: bool | None = None
    statuses: tuple[HandlingStatus, ...] | None = None


@dataclass(frozen=True)
class ListScope:
    """A checked request: the region, the period (None: the latest), the départements read.

    Attributes:
        region: the region code (``27``).
        period: ``YYYY-MM``, or None for the region's latest list.
        departements: the départements actually read (the caller's, within the region
            and the filter), never empty.
        filters: the other filters, normalised.
    """

    region: str
    period: str | None
    departements: tuple[str, ...]
    filters: ListFilters


def region_code(region: str) -> str:
    """The INSEE code of a region given as ``27``, ``R27`` or an alias (``BFC``).

    Raises:
        ApiError: ``BAD_USER_INPUT`` for an unknown region.
    """
    raw = region.strip().upper()
    code = REGION_ALIASES.get(raw) or (raw[1:] if raw.startswith("R") else raw)
    if code not in REGIONS:
        raise bad_input("unknown region; give its INSEE code, e.g. 27", argument="region")
    return code


def _values(
    name: str, values: tuple[str, ...] | None, pattern: re.Pattern[str] | None = None
) -> tuple[str, ...] | None:
    if values is None:
        return None
    cleaned = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(cleaned) > MAX_VALUES:
        raise bad_input(f"{name} takes at most {MAX_VALUES} values", argument=name)
    if pattern is not None and any(not pattern.match(v) for v in cleaned):
        raise bad_input(f"invalid value in {name}", argument=name)
    return cleaned or None


def check(principal: Principal, region: str, period: str | None, filters: ListFilters) -> ListScope:
    """The scope of a detection-list request, or the refusal.

    The role is checked first, then the input's shape, then the zones: an
    unknown region is a BAD_USER_INPUT for everyone with the role (the list of
    regions is public), a region or département outside the caller's zones a
    FORBIDDEN.

    Args:
        principal: the caller.
        region: the region asked for.
        period: ``YYYY-MM`` or None (latest).
        filters: the client's filters.

    Raises:
        ApiError: ``FORBIDDEN`` without the ``detection`` role or outside the
            caller's zones; ``BAD_USER_INPUT`` for malformed input.
    """
    if not principal.has_role(DETECTION_ROLE):
        raise forbidden()
    code = region_code(region)
    if period is not None and not _PERIOD.match(period.strip()):
        raise bad_input("period is YYYY-MM", argument="period")
    naf = filters.naf_prefix.strip().replace(".", "") if filters.naf_prefix else None
    if naf and not _NAF.match(naf):
        raise bad_input("invalid NAF prefix", argument="nafPrefix")
    deps = _values("departements", filters.departements)
    covered = tuple(d for d in REGIONS[code] if principal.covers(d))
    if not covered or (deps is not None and any(d not in covered for d in deps)):
        raise forbidden()
    clean = ListFilters(
        departements=deps,
        naf_prefix=naf.upper() if naf else None,
        size_bands=_values("sizeBands", filters.size_bands, _BAND),
        levels=_values("levels", filters.levels),
        first_alert_only=filters.first_alert_only,
        followed=filters.followed,
        statuses=tuple(dict.fromkeys(filters.statuses)) if filters.statuses else None,
    )
    return ListScope(code, period.strip() if period else None, deps or covered, clean)
