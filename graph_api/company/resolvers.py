"""Root fields of the company domain."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import strawberry

from graph_api.company.loaders import (
    directors_loader,
    establishments_loader,
    group_loader,
    identity_loader,
    owners_loader,
    page_loader,
    prime_page,
    procedures_loader,
)
from graph_api.company.types import Company, CompanyData
from graph_api.context import ApiInfo, RequestContext
from graph_api.doctrine.facts import facts_loader
from graph_api.errors import bad_input
from graph_api.fields import child_field_names, field

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


# The loads a page's fields will ask for, keyed by the field that asks. Public
# structure only, and the doctrine's facts (read for any block's decision, they
# are not data): no block is decided, audited or read ahead of its field.
_PREFETCH: dict[str, Callable[[RequestContext], Any]] = {
    "establishments": establishments_loader,
    "headOffice": establishments_loader,
    "group": group_loader,
    "owners": owners_loader,
    "directors": directors_loader,
    "procedures": procedures_loader,
    "inProcedure": procedures_loader,
    "visibleBlocks": facts_loader,
    "scores": facts_loader,
    "urssaf": facts_loader,
    "headcount": facts_loader,
    "shortTimeWork": facts_loader,
    "bdf": facts_loader,
}


def _ignore_error(future: asyncio.Future[Any]) -> None:
    # the field that needs the load awaits it and gets its error; an unused load's error is dropped
    if not future.cancelled():
        future.exception()


# The page's public structure, read with the identity in one statement when the page
# shows at least two of its kinds (``structure.pages``): one round trip instead of several.
_STRUCTURE = {
    "establishments": "establishments",
    "headOffice": "establishments",
    "group": "group",
    "owners": "owners",
    "directors": "directors",
}
_PAGE_READ_FROM = 2


def prefetch_page(info: ApiInfo, siren: str) -> bool:
    """Starts, with the company's identity, the loads its selected fields will need.

    A page's fields resolve only once ``company`` has returned, so their reads
    (establishments, group, owners, directors, procedures, the doctrine's facts)
    would wait for the identity read to come back: started here, they go out in
    the same tick, each still one batched read, and the fields find them in the
    request's loaders. For an unknown SIREN they find nothing and are dropped.

    Returns:
        True when the page's structure is to be read with the identity in one
        statement (``page_loader``) rather than by its own loaders.
    """
    ctx = info.context
    wanted = child_field_names(info)
    together = len({_STRUCTURE[n] for n in wanted if n in _STRUCTURE}) >= _PAGE_READ_FROM
    factories = (_PREFETCH[n] for n in wanted if n in _PREFETCH and not (together and n in _STRUCTURE))
    for factory in dict.fromkeys(factories):
        future = factory(ctx).load(siren)
        future.add_done_callback(_ignore_error)
    return together


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
        siren = check_siren(siren)
        if prefetch_page(info, siren):
            page = await page_loader(info.context).load(siren)
            prime_page(info.context, siren, page)
            row = page["identity"] if page else None
        else:
            row = await identity_loader(info.context).load(siren)
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
