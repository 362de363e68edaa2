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
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from graph_api.audit import service as audit
from graph_api.audit.model import AuditEntry, company_target
from graph_api.company.resolvers import check_siren
from graph_api.context import RequestContext
from graph_api.errors import ApiError, ErrorCode, bad_input, error_body
from graph_api.exposure import related
from graph_api.http.gate import AuthGate
from graph_api.ops.request_id import new_request_id
from graph_api.pagination import page_size
from graphstore.errors import StoreUnavailable

if TYPE_CHECKING:
    from graph_api.auth.resource_server import TokenValidator
    from graph_api.hardening.ratelimit import RateLimiter
    from graph_api.http.view import GraphQLView
    from graph_api.ops.metrics import Metrics

PATH = "/exports/related/{siren}.svg"
EXPORT_ACTION = "export:related_companies"
_STATUS = {ErrorCode.FORBIDDEN: 403, ErrorCode.BAD_USER_INPUT: 400, ErrorCode.SERVICE_UNAVAILABLE: 503}
_NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _integer(request: Request, name: str, default: int | None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise bad_input(f"{name} is a whole number", argument=name) from None


class RelatedExport:
    """The ASGI endpoint behind the auth gate; the principal is in ``scope['state']``.

    Args:
        view: the GraphQL view (its settings, database and measure store are shared).
    """

    def __init__(self, view: GraphQLView) -> None:
        self.view = view

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.answer(request)
        await response(scope, receive, send)

    async def answer(self, request: Request) -> Response:
        """The SVG, or a GraphQL-shaped error body with its HTTP status."""
        state = request.scope.get("state", {})
        try:
            ctx = RequestContext(
                request=request,
                response=None,
                settings=self.view.settings,
                store=self.view.database.store,
                measures=self.view.measures,
                request_id=state.get("request_id") or new_request_id(),
                principal=state.get("principal"),
            )
            siren = check_siren(request.path_params.get("siren", ""))
            hops = _integer(request, "hops", 2) or 0
            related.check_hops(hops, "hops")
            limit = page_size(_integer(request, "first", None), ctx.settings.limits)
            entry = AuditEntry.new(ctx.me, ctx.request_id, EXPORT_ACTION, company_target(siren), in_zone=False)
            await audit.record(ctx.store, [entry])
            origin = (await related.identities(ctx, [siren]))[siren]
            page = await related.page(ctx, siren, hops, limit, with_paths=True)
        except ApiError as error:
            status = _STATUS.get(error.code, 500)
            body = {"errors": [{"message": error.message, "extensions": error.extensions}]}
            return JSONResponse(body, status_code=status, headers=_NO_STORE)
        except StoreUnavailable:
            return JSONResponse(error_body(ErrorCode.SERVICE_UNAVAILABLE), status_code=503, headers=_NO_STORE)
        # Imported here: matplotlib loads when a first graph is drawn, not with the API.
        from graph_api.exposure.drawing import exposure_svg

        # Drawing takes tens of milliseconds of CPU: not on the event loop.
        svg = await asyncio.to_thread(exposure_svg, origin, page, hops)
        headers = {**_NO_STORE, "Content-Disposition": f'inline; filename="related-{siren}-{hops}-hops.svg"'}
        return Response(svg, media_type="image/svg+xml", headers=headers)


def export_routes(
    view: GraphQLView, validator: TokenValidator, limiter: RateLimiter, metrics: Metrics
) -> list[BaseRoute]:
    """The export route, behind the same authentication gate and rate limit as ``/graphql``."""
    gate = AuthGate(RelatedExport(view), validator, limiter, metrics, graphiql=False)
    return [Route(PATH, gate, methods=["GET"])]
