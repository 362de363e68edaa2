"""GraphQL types of related-company exposure."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph_api.exposure.paths import Hop, Link
from graph_api.search.types import CompanyIdentity


@strawberry.enum(description="Which way a relationship points along the path.")
class Direction(Enum):
    OUT = "OUT"
    IN = "IN"


@strawberry.type(description="One relationship of a hop (owner and director persons are not identified).")
class PathLink:
    relationship: str = strawberry.field(description="OWNS, DIRECTS, MEMBER_OF or SUPPLIES.")
    direction: Direction = strawberry.field(description="OUT: from the side nearer the origin to the far side.")
    percentage: float | None = strawberry.field(description="OWNS: the percentage owned.")
    role: str | None = strawberry.field(description="DIRECTS: the director's role.")
    dependency_share: float | None = strawberry.field(
        description="SUPPLIES: the near side's dependency on the far side (share of sales or purchases)."
    )
    amount_12m: float | None = strawberry.field(description="SUPPLIES: invoiced over 12 months, euros.")

    @classmethod
    def of(cls, link: Link) -> PathLink:
        """From a ``paths.Link``."""
        return cls(
            relationship=link.relationship,
            direction=Direction(link.direction),
            percentage=link.percentage,
            role=link.role,
            dependency_share=link.dependency_share,
            amount_12m=link.amount_12m,
        )


@strawberry.type(description="One step between two companies: direct, or through a shared person or group.")
class PathHop:
    from_siren: str
    to_siren: str
    via: str | None = strawberry.field(description="PERSON (shared owner/director), GROUP, or null when direct.")
    group_id: str | None
    links: list[PathLink]
    weight: float = strawberry.field(description="The hop's dependency weight (see docs in graph_api/exposure).")

    @classmethod
    def of(cls, hop: Hop) -> PathHop:
        """From a ``paths.Hop``."""
        return cls(
            from_siren=hop.from_siren,
            to_siren=hop.to_siren,
            via=hop.via,
            group_id=hop.group_id,
            links=[PathLink.of(x) for x in hop.links],
            weight=hop.weight,
        )


@strawberry.type(description="A company related to the one asked about, with the path that links them.")
class RelatedCompany:
    company: CompanyIdentity
    hops: int
    path: list[PathHop]
    dependency: float = strawberry.field(description="Product of the path's hop weights.")
    partner_p12: float | None = strawberry.field(
        description="The partner's latest p12, only when the doctrine grants its score block."
    )
    exposure: float | None = strawberry.field(description="partnerP12 × dependency; null without the score block.")
    rank_value: float = strawberry.field(description="What the list is ranked by: exposure, else dependency.")


@strawberry.type(description="Related companies, ranked and capped.")
class RelatedCompanies:
    total_count: int
    items: list[RelatedCompany]


@strawberry.enum(description="How a company is tied to the failing one.")
class ImpactRelation(Enum):
    SUPPLIER = "SUPPLIER"
    CLIENT = "CLIENT"
    GROUP_MEMBER = "GROUP_MEMBER"
    SUBSIDIARY = "SUBSIDIARY"


@strawberry.type(description="A company hit if the one asked about fails.")
class ImpactedCompany:
    company: CompanyIdentity
    relation: ImpactRelation
    dependency: float | None = strawberry.field(
        description=(
            "SUPPLIER: share of its sales to the failing company; CLIENT: share of its purchases from it; "
            "SUBSIDIARY: share owned by it; null for a group member."
        )
    )
    amount_12m: float | None


@strawberry.type(description="Who is hit if a company fails, most dependent first.")
class FailureImpact:
    total_count: int
    items: list[ImpactedCompany]


@strawberry.type(
    description="One side (sales or purchases) of a company's trade, and the part tied to partners at risk."
)
class TradeSide:
    partners: int
    amount_12m: float = strawberry.field(description="Invoiced over 12 months with these partners, euros.")
    share_in_procedure: float = strawberry.field(description="Share tied to partners in an insolvency procedure.")
    share_on_alert: float = strawberry.field(
        description="Share tied to partners whose latest score is moderate or high (partners whose score block "
        "the doctrine grants only)."
    )
    share_at_risk: float = strawberry.field(description="Share tied to partners on alert or in a procedure.")
    share_undisclosed: float = strawberry.field(
        description="Share tied to partners not in a procedure whose alert level the caller may not see."
    )
    amount_at_risk_12m: float
    partners_at_risk: list[CompanyIdentity] = strawberry.field(description="The partners at risk, by public identity.")


@strawberry.type(
    description="The share of a company's sales and purchases tied to companies on alert or in a procedure."
)
class TradeExposure:
    sales: TradeSide = strawberry.field(description="Clients: shares of the company's sales.")
    purchases: TradeSide = strawberry.field(description="Suppliers: shares of the company's purchases.")
