"""Root fields of the company domain."""

from __future__ import annotations

import re

import strawberry

from graph_api.company.loaders import identity_loader
from graph_api.company.types import Company, CompanyData
from graph_api.context import ApiInfo
from graph_api.errors import bad_input
from graph_api.fields import field

_SIREN = re.compile(r"^\d{9}$")


def check_siren(siren: str) -> str:
    """The SIREN, when it is nine digits.

    Raises:
        ApiError: ``BAD_USER_INPUT`` otherwise.
    """
    s = siren.strip()
    if not _SIREN.match(s):
        raise bad_input("a SIREN is nine digits", argument="siren")
    return s


@strawberry.type
class CompanyQuery:
    @field(
        description=(
            "A company by SIREN, or null when Sirene does not know it (identity is public). "
            "Its data blocks answer FORBIDDEN alike for a refused and an unknown company."
        )
    )
    async def company(self, info: ApiInfo, siren: str) -> Company | None:
        info.context.me  # noqa: B018 - authenticated callers only, even for public identity
        row = await identity_loader(info.context).load(check_siren(siren))
        return Company.from_row(row) if row else None

    @field(
        description=(
            "The data blocks of a company by SIREN, without its identity. Answers the same way for an "
            "unknown SIREN and a refused one: each block null with a FORBIDDEN error."
        )
    )
    def company_data(self, info: ApiInfo, siren: str) -> CompanyData:
        info.context.me  # noqa: B018 - authenticated callers only
        return CompanyData(siren=check_siren(siren))
