"""The per-request context every resolver receives as ``info.context``.

Domains get everything they need from here: who is calling (``principal``), the
guarded graph store, the measure store, the settings, the request id for the
audit trail and logs, and per-request DataLoaders (``loader``) so that one
request never asks Neo4j the same question twice.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info

from graph_api.auth.principal import Principal
from graph_api.errors import ApiError, ErrorCode
from graph_api.settings import ApiSettings
from graphstore.store import AsyncGraphStore

if TYPE_CHECKING:
    from graphstore.measures import MeasureStore

L = TypeVar("L")


@dataclass
class RequestContext:
    """What one GraphQL operation (or one WebSocket connection) runs with.

    Attributes:
        request: the Starlette request or WebSocket.
        response: the sub-response (headers, status) or the WebSocket.
        settings: the API settings.
        store: the graph store; fails fast with ``StoreUnavailable`` while Neo4j is down.
        measures: the measure store (Parquet through DuckDB).
        request_id: the id of this request, in logs, audit entries and the
            ``X-Request-Id`` response header.
        principal: the authenticated caller; None only on a WebSocket before its
            ``connection_init`` was accepted.
        connection_params: the WebSocket ``connection_init`` payload.
    """

    request: Request | WebSocket
    response: Response | WebSocket | None
    settings: ApiSettings
    store: AsyncGraphStore
    measures: MeasureStore
    request_id: str
    principal: Principal | None = None
    connection_params: dict[str, Any] | None = None
    _loaders: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    @property
    def me(self) -> Principal:
        """The authenticated caller.

        Raises:
            ApiError: ``UNAUTHENTICATED`` when there is none (a WebSocket that has not
                sent a valid ``connection_init``); the HTTP layer already answered 401.
        """
        if self.principal is None:
            raise ApiError(ErrorCode.UNAUTHENTICATED, "authentication required")
        return self.principal

    def loader(self, key: Hashable, factory: Callable[[], L]) -> L:
        """The request's DataLoader for ``key``, created by ``factory`` on first use.

        Args:
            key: identifies the loader (e.g. ``("block", DataBlock.URSSAF)``); a
                domain should use keys it owns (its module name first).
            factory: builds the loader; called at most once per request.
        """
        if key not in self._loaders:
            self._loaders[key] = factory()
        loader: L = self._loaders[key]
        return loader

    def reset_loaders(self) -> None:
        """Forgets every cached answer (a subscription calls it before each event,
        since one WebSocket context lives far longer than a request)."""
        self._loaders.clear()


ApiInfo: TypeAlias = Info[RequestContext, None]
"""The ``info`` type of every resolver."""
