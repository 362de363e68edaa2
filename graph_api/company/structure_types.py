"""GraphQL types of a company's structure: establishments, group, owners and directors.

Companies reached from here (group head and members, owner and director
companies) are full ``Company`` objects: their public identity for everyone,
their data blocks per the doctrine, company by company, through the same
batched loaders as any other company.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph_api.company.loaders import group_members_loader, identity_loader
from graph_api.context import ApiInfo
from graph_api.fields import field

if TYPE_CHECKING:
    from graph_api.company.types import Company

LazyCompany = Annotated["Company", strawberry.lazy("graph_api.company.types")]


async def load_company(info: ApiInfo, siren: str | None) -> Company | None:
    """The ``Company`` of a SIREN through the request's identity loader; None when unknown."""
    from graph_api.company.types import Company  # types.py imports this module

    if not siren:
        return None
    row = await identity_loader(info.context).load(siren)
    return Company.from_row(row) if row else None


async def load_companies(info: ApiInfo, sirens: list[str]) -> list[Company]:
    """The known ``Company`` objects of SIRENs, in order, in one batch."""
    from graph_api.company.types import Company  # types.py imports this module

    rows = await identity_loader(info.context).load_many(sirens)
    return [Company.from_row(r) for r in rows if r]


@strawberry.type(description="An establishment (Sirene), public.")
class Establishment:
    siret: str
    nic: str | None
    name: str | None
    head_office: bool
    created_on: date | None
    headcount_band: str | None
    postal_code: str | None
    commune: str | None
    commune_code: str | None
    departement: str | None
    naf: str | None
    active: bool | None
    pseudo_siret: bool | None = strawberry.field(description="An URSSAF pseudo-SIRET rather than a Sirene one.")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Establishment:
        """An establishment from a row of ``company.structure.establishments``."""
        names = [f for f in cls.__annotations__ if f not in ("siret", "head_office")]
        return cls(siret=row["siret"], head_office=bool(row.get("head_office")), **{f: row.get(f) for f in names})


@strawberry.type(description="A group of companies (tetes_de_groupe): its head and its members.")
class CompanyGroup:
    id: str = strawberry.field(description="The SIREN of the group head.")
    name: str | None
    reference_date: date | None

    @field(description="The group head, when Sirene knows it.")
    async def head(self, info: ApiInfo) -> LazyCompany | None:
        return await load_company(info, self.id)

    @field(description="Every member, the head included.")
    async def member_count(self, info: ApiInfo) -> int:
        found = await group_members_loader(info.context).load(self.id)
        return int(found["total"])

    @field(description="The members by SIREN (at most 200; see memberCount).")
    async def members(self, info: ApiInfo) -> list[LazyCompany]:
        found = await group_members_loader(info.context).load(self.id)
        return await load_companies(info, list(found["sirens"]))


@strawberry.enum(description="What holds a stake in or directs a company.")
class PartyKind(Enum):
    COMPANY = "COMPANY"
    PERSON = "PERSON"


@strawberry.type(description="A person named as owner or director (public registers): names only.")
class PersonName:
    last_name: str | None
    first_names: str | None


@strawberry.type(description="A shareholding or a directorship, with its dates.")
class CompanyLink:
    kind: PartyKind
    person: PersonName | None = strawberry.field(description="When the party is a person.")
    company_siren: str | None = strawberry.field(description="When the party is a company.")
    percentage: float | None = strawberry.field(description="Owners: the percentage held.")
    nature: str | None = strawberry.field(description="Owners: directe or indirecte.")
    role: str | None = strawberry.field(description="Directors: the role (gérant, président…).")
    since: date | None
    until: date | None
    current: bool = strawberry.field(description="No end date, or one still to come.")

    @field(description="When the party is a company: the company (data blocks per the doctrine).")
    async def company(self, info: ApiInfo) -> LazyCompany | None:
        return await load_company(info, self.company_siren)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> CompanyLink:
        """A link from a row of ``company.structure.owners``/``directors``."""
        kind = PartyKind(row["kind"])
        person = PersonName(last_name=row.get("last_name"), first_names=row.get("first_names"))
        pct = row.get("percentage")
        return cls(
            kind=kind,
            person=person if kind is PartyKind.PERSON else None,
            company_siren=row.get("company_siren") if kind is PartyKind.COMPANY else None,
            percentage=float(pct) if pct is not None else None,
            nature=row.get("nature"),
            role=row.get("role"),
            since=row.get("since") if isinstance(row.get("since"), date) else None,
            until=row.get("until") if isinstance(row.get("until"), date) else None,
            current=bool(row.get("current")),
        )


@strawberry.type(description="An insolvency judgment (procédure collective), public (BODACC).")
class Procedure:
    id: str
    kind: str | None = strawberry.field(description="sauvegarde, redressement or liquidation.")
    stage: str | None
    judgment_date: date | None
    nature: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Procedure:
        """A judgment from a row of ``company.structure.procedures``."""
        day = row.get("judgment_date")
        return cls(
            id=str(row["id"]),
            kind=row.get("kind"),
            stage=row.get("stage"),
            judgment_date=day if isinstance(day, date) else None,
            nature=row.get("nature"),
        )
