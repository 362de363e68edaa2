"""GraphQL types of company search (public identity only)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import strawberry


@strawberry.type(description="The public Sirene identity of a company, visible to every authenticated agent.")
class CompanyIdentity:
    siren: str
    name: str | None
    created_on: date | None
    headcount_band: str | None
    legal_form: str | None
    naf: str | None
    category: str | None
    active: bool | None
    head_office_siret: str | None
    departement: str | None
    region: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CompanyIdentity:
        """An identity from a row of ``graph_api.company.service.identities``."""
        return cls(siren=row["siren"], **{f: row.get(f) for f in cls.__annotations__ if f != "siren"})


@strawberry.enum(description="Alert level of a company's latest score.")
class AlertLevel(Enum):
    NONE = "none"
    MODERATE = "moderate"
    HIGH = "high"


@strawberry.input(description="Filters of a company search; every filter given must hold.")
class SearchFilters:
    departements: list[str] | None = strawberry.field(default=None, description="Head-office départements.")
    naf_prefix: str | None = strawberry.field(default=None, description="NAF code prefix (dots ignored), e.g. `56.1`.")
    size_bands: list[str] | None = strawberry.field(default=None, description="Sirene headcount bands, e.g. `11`.")
    in_procedure: bool | None = strawberry.field(
        default=None, description="True: subject of an insolvency procedure; false: never."
    )
    followed_by_my_agency: bool | None = strawberry.field(
        default=None, description="True: followed by the caller's agency (current follow); false: not followed."
    )
    alert_levels: list[AlertLevel] | None = strawberry.field(
        default=None,
        description=(
            "Alert level of the latest score. Part of the scores block: needs the `score` role (FORBIDDEN "
            "otherwise) and only matches companies whose score block the doctrine grants; never-scored "
            "companies match no level."
        ),
    )


@strawberry.type(description="One search result.")
class SearchEdge:
    cursor: str
    node: CompanyIdentity
    score: float | None = strawberry.field(description="Full-text relevance; null for SIREN/SIRET or filter-only.")


@strawberry.type(description="A page of search results.")
class SearchConnection:
    total_count: int = strawberry.field(description="Every company matching the query and filters.")
    edges: list[SearchEdge]
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")
    has_next_page: bool
