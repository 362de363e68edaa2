"""``GET /exports/detection-list.csv`` and ``.xlsx``: a detection list as a file.

The same bearer token as GraphQL, checked by the same gate (401 with
``WWW-Authenticate``, per-token rate limit); the same scope rules and filters as
``detectionList`` (query parameters: ``region``, ``period``, repeated
``departement``, ``naf``, repeated ``size_band``, repeated ``level``,
``first_alert_only``, ``followed``, repeated ``status``). The export is audited
(``export:detection_list``) and each company's data blocks are decided and
audited by the doctrine's guard before the file is written.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from graph_api.context import RequestContext
from graph_api.detection import audit, service, table
from graph_api.detection.formats import ExportFormat, render
from graph_api.detection.scope import HandlingStatus, ListFilters
from graph_api.errors import ErrorCode, bad_input, error_body
from graph_api.http.export import NO_STORE, FileExport, export_route

if TYPE_CHECKING:
    from graph_api.auth.resource_server import TokenValidator
    from graph_api.hardening.ratelimit import RateLimiter
    from graph_api.http.view import GraphQLView
    from graph_api.ops.metrics import Metrics

log = logging.getLogger("signaux.api.detection")

PATH = "/exports/detection-list.{fmt}"


def _flag(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    value = raw.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no"):
        return False
    raise bad_input(f"{name} is true or false", argument=name)


def _many(request: Request, name: str) -> tuple[str, ...] | None:
    values = request.query_params.getlist(name)
    return tuple(values) if values else None


def parse_filters(request: Request) -> ListFilters:
    """The list filters of an export request's query string.

    Raises:
        ApiError: ``BAD_USER_INPUT`` for a malformed flag or status.
    """
    statuses = _many(request, "status")
    try:
        parsed = tuple(HandlingStatus(s.strip().lower()) for s in statuses) if statuses else None
    except ValueError:
        raise bad_input("status is new, acknowledged, dismissed or converted", argument="status") from None
    return ListFilters(
        departements=_many(request, "departement"),
        naf_prefix=request.query_params.get("naf") or None,
        size_bands=_many(request, "size_band"),
        levels=_many(request, "level"),
        first_alert_only=bool(_flag(request, "first_alert_only")),
        followed=_flag(request, "followed"),
        statuses=parsed,
    )


def filename(region: str, period: str | None, fmt: ExportFormat) -> str:
    """The download name: ``detection-list-<region>-<period>.<ext>``."""
    return f"detection-list-{region}-{period or 'none'}.{fmt.value}"


class DetectionExport(FileExport):
    """The detection list as a CSV or XLSX file (``graph_api.http.export`` answers refusals)."""

    async def produce(self, request: Request, ctx: RequestContext) -> Response:
        """The file, once the list and its companies' blocks are decided and audited."""
        try:
            fmt = ExportFormat(request.path_params.get("fmt", ""))
        except ValueError:
            return JSONResponse(error_body(ErrorCode.NOT_FOUND, "csv or xlsx"), status_code=404, headers=NO_STORE)
        region = request.query_params.get("region") or ""
        period = request.query_params.get("period") or None
        checked = await audit.checked(ctx, audit.EXPORT_ACTION, region, period, parse_filters(request))
        page = await service.read_list(ctx.store, checked, ctx.me.agency, 0, service.MAX_ITEMS)
        await audit.record(
            ctx, audit.EXPORT_ACTION, audit.target(checked.region, page.period) + f":{fmt.value}", allowed=True
        )
        rows = await table.build(ctx, page)
        name = filename(checked.region, page.period, fmt)
        content = render(rows, fmt, f"Détection {checked.region} {page.period or ''}".strip())
        headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}
        return Response(content, media_type=fmt.media_type, headers=headers)


def export_routes(
    view: GraphQLView, validator: TokenValidator, limiter: RateLimiter, metrics: Metrics
) -> list[BaseRoute]:
    """The export route, behind the same authentication gate and rate limit as ``/graphql``."""
    return [export_route(PATH, DetectionExport(view), validator, limiter, metrics)]
