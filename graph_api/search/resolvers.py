"""Root field of company search."""

from __future__ import annotations

import strawberry

from graph_api.company.loaders import decision_loader, identity_loader
from graph_api.context import ApiInfo
from graph_api.doctrine.blocks import BLOCK_ROLE, DataBlock
from graph_api.doctrine.guard import require_role
from graph_api.errors import bad_input, forbidden
from graph_api.fields import field
from graph_api.pagination import page_size
from graph_api.search import service
from graph_api.search.types import CompanyIdentity, SearchConnection, SearchEdge, SearchFilters

MAX_QUERY_LENGTH = 200


@strawberry.type
class SearchQuery:
    @field(
        description=(
            "Companies by name (full text, accent-insensitive), SIREN (9 digits) or SIRET (14 digits: its "
            "company), with filters; blank query: filters only. Public identity only, for every agent."
        )
    )
    async def search_companies(
        self,
        info: ApiInfo,
        query: str = "",
        filters: SearchFilters | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> SearchConnection:
        ctx = info.context
        me = ctx.me
        limit = page_size(first, ctx.settings.limits)
        if len(query) > MAX_QUERY_LENGTH:
            raise bad_input(f"query is at most {MAX_QUERY_LENGTH} characters", argument="query")
        skip = service.CURSOR.skip_after(after)
        f = filters or SearchFilters()
        levels = [level.value for level in f.alert_levels] if f.alert_levels is not None else None
        if levels is not None:
            require_role(ctx, BLOCK_ROLE[DataBlock.SCORES])
        hits = await service.search(
            ctx.store,
            query,
            service.Filters(
                f.departements, f.naf_prefix, f.size_bands, f.in_procedure, f.followed_by_my_agency, levels
            ),
            me.agency,
            skip,
            limit,
            sorted(me.zones),
        )
        page = [s for s, _ in hits.page]
        if levels is not None and page:
            # the filter read each hit's score: decided and audited like any read of the block
            decisions = await decision_loader(ctx, DataBlock.SCORES).load_many(page)
            if not all(d.allowed for d in decisions):
                raise forbidden()
        identities = identity_loader(ctx)
        # the hits' identities came with them: the request's loader needs no query of its own
        identities.prime_many(hits.identities)
        rows = await identities.load_many(page)
        edges = [
            SearchEdge(cursor=service.encode_offset(skip + i), node=CompanyIdentity.from_row(row), score=score)
            for i, ((_, score), row) in enumerate(zip(hits.page, rows, strict=True))
            if row is not None
        ]
        return SearchConnection(
            total_count=hits.total,
            edges=edges,
            end_cursor=edges[-1].cursor if edges else None,
            has_next_page=skip + len(hits.page) < hits.total,
        )
