"""GraphQL types of the company domain.

``Company`` carries the public Sirene identity as plain fields and one field per
data block; each block field goes through the guarded loader, so whichever path
leads to a ``Company`` (lookup, search, related companies, lists) the doctrine
applies the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from graph_api.company.loaders import (
    block_loader,
    directors_loader,
    establishments_loader,
    group_loader,
    headcount_loader,
    owners_loader,
    procedures_loader,
)
from graph_api.company.score_types import ScoreBlock
from graph_api.company.structure_types import CompanyGroup, CompanyLink, Establishment, Procedure
from graph_api.context import ApiInfo
from graph_api.doctrine.blocks import DataBlock
from graph_api.doctrine.facts import facts_loader
from graph_api.doctrine.rules import visible_blocks
from graph_api.exposure.trade_loader import trade_loader
from graph_api.exposure.types import TradeExposure
from graph_api.fields import field


@strawberry.type(description="Social-contribution debt at a month's end, in euros.")
class DebtMonth:
    month: date
    employee_share: float = strawberry.field(description="Part ouvrière.")
    employer_share: float = strawberry.field(description="Part patronale.")
    total: float


@strawberry.type(description="Contributions over a period, summed over the company's accounts; euros.")
class ContributionPeriod:
    period_start: date
    months: int | None
    due: float | None
    paid: float | None


@strawberry.type(description="URSSAF data block (role `urssaf`).")
class UrssafBlock:
    debts: list[DebtMonth]
    contributions: list[ContributionPeriod]


@strawberry.type(description="Short-time work (activité partielle) in one month.")
class ShortTimeWorkMonth:
    month: date
    hours_used: float
    amount_used: float = strawberry.field(description="Euros.")
    fte_used: float = strawberry.field(description="Full-time equivalents (hours / 151.67).")
    requests: int = strawberry.field(description="Authorisation requests covering the month.")
    hours_authorised: float = strawberry.field(
        description="Hours authorised, spread evenly over each request's months."
    )


@strawberry.type(description="Short-time work data block (role `dgefp`).")
class ShortTimeWorkBlock:
    months: list[ShortTimeWorkMonth]


@strawberry.type(description="Banque de France ratios of one balance sheet (percentages; supplier delay in days).")
class BdfRatios:
    year: int | None
    closed_on: date | None
    poids_frng: float | None
    taux_marge: float | None
    delai_fournisseurs: float | None
    poids_dettes_fiscales_sociales: float | None
    poids_financement_court_terme: float | None
    poids_frais_financiers: float | None


@strawberry.type(description="Banque de France data block (role `bdf`).")
class BdfBlock:
    ratios: list[BdfRatios]


@strawberry.type(description="Headcount of a company in one month (persons).")
class HeadcountMonth:
    month: date
    headcount: float | None


@strawberry.type(description="Headcount series (URSSAF declarations; role `urssaf`).")
class HeadcountBlock:
    months: list[HeadcountMonth]


def _num(v: Any, default: float = 0.0) -> float:
    return float(v) if v is not None else default


def _urssaf(data: dict[str, Any]) -> UrssafBlock:
    return UrssafBlock(
        debts=[
            DebtMonth(
                month=r["month"],
                employee_share=_num(r.get("debt_employee")),
                employer_share=_num(r.get("debt_employer")),
                total=_num(r.get("debt")),
            )
            for r in data.get("debts", [])
        ],
        contributions=[
            ContributionPeriod(
                period_start=r["period_start"],
                months=int(r["months"]) if r.get("months") is not None else None,
                due=r.get("due"),
                paid=r.get("paid"),
            )
            for r in data.get("contributions", [])
        ],
    )


def _short_time_work(data: dict[str, Any]) -> ShortTimeWorkBlock:
    return ShortTimeWorkBlock(
        months=[
            ShortTimeWorkMonth(
                month=r["month"],
                hours_used=_num(r.get("hours_used")),
                amount_used=_num(r.get("amount_used")),
                fte_used=_num(r.get("fte_used")),
                requests=int(r.get("requests") or 0),
                hours_authorised=_num(r.get("hours_authorised")),
            )
            for r in data.get("months", [])
        ]
    )


def _bdf(data: dict[str, Any]) -> BdfBlock:
    fields = BdfRatios.__annotations__.keys()
    return BdfBlock(ratios=[BdfRatios(**{f: r.get(f) for f in fields}) for r in data.get("ratios", [])])


def _headcount(data: dict[str, Any]) -> HeadcountBlock:
    return HeadcountBlock(
        months=[
            HeadcountMonth(
                month=r["month"], headcount=float(r["headcount"]) if r.get("headcount") is not None else None
            )
            for r in data.get("months", [])
        ]
    )


@strawberry.type(
    description=(
        "The data blocks of a company, each guarded by the access doctrine. A block the caller may not "
        "see is null with a FORBIDDEN error, decided before any data is looked at: an unknown SIREN and "
        "a refused one answer alike."
    )
)
class CompanyData:
    siren: str

    @field(description="URSSAF debts and contributions. Needs the `urssaf` role and a doctrine basis.")
    async def urssaf(self, info: ApiInfo) -> UrssafBlock | None:
        return _urssaf(await block_loader(info.context, DataBlock.URSSAF).load(self.siren))

    @field(description="Short-time work. Needs the `dgefp` role and a doctrine basis.")
    async def short_time_work(self, info: ApiInfo) -> ShortTimeWorkBlock | None:
        return _short_time_work(await block_loader(info.context, DataBlock.SHORT_TIME_WORK).load(self.siren))

    @field(description="Banque de France ratios. Needs the `bdf` role and a doctrine basis.")
    async def bdf(self, info: ApiInfo) -> BdfBlock | None:
        return _bdf(await block_loader(info.context, DataBlock.BDF).load(self.siren))

    @field(description="Scores and explanations. Needs the `score` role and a doctrine basis.")
    async def scores(self, info: ApiInfo) -> ScoreBlock | None:
        return ScoreBlock.from_data(await block_loader(info.context, DataBlock.SCORES).load(self.siren))

    @field(
        description=(
            "Monthly headcount (company-level declarations, else the sum of its establishments). Comes from "
            "URSSAF declarations: needs the `urssaf` role and a doctrine basis."
        )
    )
    async def headcount(self, info: ApiInfo) -> HeadcountBlock | None:
        return _headcount(await headcount_loader(info.context).load(self.siren))


@strawberry.type(description="A company: public Sirene identity for every agent, data blocks per the doctrine.")
class Company(CompanyData):
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
    public_sector: bool | None

    @field(description="Establishments (Sirene), head office first, then active ones (at most 500).")
    async def establishments(self, info: ApiInfo, active_only: bool = False) -> list[Establishment]:
        rows = await establishments_loader(info.context).load(self.siren)
        return [Establishment.from_row(r) for r in rows if not active_only or r.get("active")]

    @field(description="The head office establishment, when Sirene knows it.")
    async def head_office(self, info: ApiInfo) -> Establishment | None:
        rows = await establishments_loader(info.context).load(self.siren)
        return next((Establishment.from_row(r) for r in rows if r.get("head_office")), None)

    @field(description="The group the company belongs to (tetes_de_groupe), with its head and members.")
    async def group(self, info: ApiInfo) -> CompanyGroup | None:
        row = await group_loader(info.context).load(self.siren)
        if row is None:
            return None
        ref = row.get("reference_date")
        return CompanyGroup(id=row["id"], name=row.get("name"), reference_date=ref if isinstance(ref, date) else None)

    @field(description="Shareholders (companies and persons) with percentages and dates; current ones first.")
    async def owners(self, info: ApiInfo, current_only: bool = False) -> list[CompanyLink]:
        rows = await owners_loader(info.context).load(self.siren)
        return [CompanyLink.from_row(r) for r in rows if not current_only or r.get("current")]

    @field(description="Directors (companies and persons) with roles and dates; current ones first.")
    async def directors(self, info: ApiInfo, current_only: bool = False) -> list[CompanyLink]:
        rows = await directors_loader(info.context).load(self.siren)
        return [CompanyLink.from_row(r) for r in rows if not current_only or r.get("current")]

    @field(description="Insolvency judgments (BODACC, URSSAF), newest first; public.")
    async def procedures(self, info: ApiInfo) -> list[Procedure]:
        rows = await procedures_loader(info.context).load(self.siren)
        return [Procedure.from_row(r) for r in rows]

    @field(description="True when the company is subject of an insolvency procedure.")
    async def in_procedure(self, info: ApiInfo) -> bool:
        return bool(await procedures_loader(info.context).load(self.siren))

    @field(
        description=(
            "The data blocks the caller may see for this company (urssaf, short_time_work, bdf, scores), "
            "so a client asks only for those. Decided on the doctrine's facts; reads no data."
        )
    )
    async def visible_blocks(self, info: ApiInfo) -> list[str]:
        facts = await facts_loader(info.context).load(self.siren)
        return sorted(b.value for b in visible_blocks(info.context.me, facts))

    @field(
        description=(
            "The share of its sales and purchases tied to partners on alert or in a procedure (see the root "
            "field `tradeExposure`); partners' alert levels only where the doctrine grants their score block."
        )
    )
    async def trade_exposure(self, info: ApiInfo) -> TradeExposure:
        return await trade_loader(info.context).load(self.siren)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Company:
        """A company from an identity row of ``company.service.identities``."""
        names = [f for f in cls.__annotations__ if not f.startswith("_")]  # plain fields, not resolvers
        return cls(siren=row["siren"], **{f: row.get(f) for f in names})
