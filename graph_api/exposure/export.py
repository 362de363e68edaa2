"""``GET /exports/related/{siren}.svg``: the related companies of ``relatedCompanies`` drawn as a graph.

The same bearer token as GraphQL, checked by the same gate (401 with
``WWW-Authenticate``, per-token rate limit). Query parameters: ``hops`` (1 to 3,
default 2) and ``first`` (the page size, within the GraphQL limits). The page is
``related.page``'s, so each partner's score is decided and audited as for the
GraphQL field, and the export itself is audited (``export:related_companies``).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from graph_api.audit import service as audit
from graph_api.audit.model import AuditEntry, company_target
from graph_api.company.resolvers import check_siren
from graph_api.context import RequestContext
from graph_api.errors import bad_input
from graph_api.exposure import related
from graph_api.http.export import NO_STORE, FileExport, export_route
from graph_api.pagination import page_size

if TYPE_CHECKING:
    from graph_api.auth.resource_server import TokenValidator
    from graph_api.hardening.ratelimit import RateLimiter
    from graph_api.http.view import GraphQLView
    from graph_api.ops.metrics import Metrics

PATH = "/exports/related/{siren}.svg"
EXPORT_ACTION = "export:related_companies"


def _integer(request: Request, name: str, default: int | None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise bad_input(f"{name} is a whole number", argument=name) from None


class RelatedExport(FileExport):
    """The related companies drawn as SVG (``graph_api.http.export`` answers refusals)."""

    async def produce(self, request: Request, ctx: RequestContext) -> Response:
        """The drawing, once the export and the partners' scores are decided and audited."""
        siren = check_siren(request.path_params.get("siren", ""))
        hops = _integer(request, "hops", 2) or 0
        related.check_hops(hops, "hops")
        limit = page_size(_integer(request, "first", None), ctx.settings.limits)
        entry = AuditEntry.new(ctx.me, ctx.request_id, EXPORT_ACTION, company_target(siren), in_zone=False)
        await audit.record(ctx.store, [entry])
        origin = (await related.identities(ctx, [siren]))[siren]
        page = await related.page(ctx, siren, hops, limit, with_paths=True)
        # Imported here: matplotlib loads when a first graph is drawn, not with the API.
        from graph_api.exposure.drawing import exposure_svg

        # Drawing takes tens of milliseconds of CPU: not on the event loop.
        svg = await asyncio.to_thread(exposure_svg, origin, page, hops)
        headers = {**NO_STORE, "Content-Disposition": f'inline; filename="related-{siren}-{hops}-hops.svg"'}
        return Response(svg, media_type="image/svg+xml", headers=headers)


def export_routes(
    view: GraphQLView, validator: TokenValidator, limiter: RateLimiter, metrics: Metrics
) -> list[BaseRoute]:
    """The export route, behind the same authentication gate and rate limit as ``/graphql``."""
    return [export_route(PATH, RelatedExport(view), validator, limiter, metrics)]
