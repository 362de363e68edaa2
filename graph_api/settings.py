"""API configuration, read once from the environment into a typed object.

Defaults suit the embedded mode (a developer's machine, the tests, ``make demo``):
GraphiQL and introspection on, generous limits, localhost origins. Setting
``SIGNAUX_ENV=production`` switches the exposure defaults off (GraphiQL,
introspection, field suggestions, queries over GET) whatever else is set, so a
forgotten variable cannot open them in production.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from graph_api.auth.settings import AuthSettings
from graph_api.envvars import env_flag, env_integer, env_number
from graph_api.live.settings import LiveSettings
from graph_api.notifications.settings import NotifySettings
from graphstore.settings import StoreSettings

_DEV_ORIGINS = ("http://localhost:3000", "http://127.0.0.1:3000", "http://localhost:8000", "http://127.0.0.1:8000")


@dataclass(frozen=True)
class Limits:
    """Hardening limits applied to every GraphQL operation.

    Attributes:
        max_depth: deepest selection nesting allowed (``SIGNAUX_API_MAX_DEPTH``).
        max_aliases: aliases per document (``SIGNAUX_API_MAX_ALIASES``).
        max_tokens: lexical tokens per document (``SIGNAUX_API_MAX_TOKENS``).
        max_directives: directives on one field or fragment (``SIGNAUX_API_MAX_DIRECTIVES``).
        max_duplicate_fields: times one response key may be selected in one
            selection set (``SIGNAUX_API_MAX_DUPLICATE_FIELDS``).
        max_page_size: largest ``first`` a paginated field accepts (``SIGNAUX_API_MAX_PAGE_SIZE``).
        default_page_size: ``first`` when the client gives none.
        max_body_bytes: largest HTTP request body (``SIGNAUX_API_MAX_BODY_BYTES``).
        max_batch: operations in one batched request; 0 turns batching off
            (``SIGNAUX_API_MAX_BATCH``).
        rate_per_minute: requests per minute per token (``SIGNAUX_API_RATE_PER_MINUTE``); 0 disables.
        rate_burst: requests a token may send at once (``SIGNAUX_API_RATE_BURST``).
    """

    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_directives: int = 4
    max_duplicate_fields: int = 3
    max_page_size: int = 100
    default_page_size: int = 20
    max_body_bytes: int = 64 * 1024
    max_batch: int = 0
    rate_per_minute: int = 600
    rate_burst: int = 100


@dataclass(frozen=True)
class ApiSettings:
    """Everything the API process needs, read once.

    Attributes:
        env: ``SIGNAUX_ENV``: ``embedded`` (default), ``dev`` or ``production``.
        host: ``SIGNAUX_API_HOST`` for ``signaux serve`` (default 127.0.0.1).
        port: ``SIGNAUX_API_PORT`` (default 8000).
        graphiql: GraphiQL served at ``/graphql`` to browsers.
        introspection: schema introspection allowed.
        field_suggestions: "did you mean" hints in validation errors.
        queries_over_get: queries accepted as ``GET /graphql?query=``.
        cors_origins: ``SIGNAUX_API_CORS_ORIGINS`` (comma separated).
        ws_origins: ``SIGNAUX_API_WS_ORIGINS`` (comma separated); the CORS
            origins when unset.
        limits: the hardening limits.
        neo4j_connection_timeout: seconds to open a Bolt connection
            (``SIGNAUX_API_NEO4J_TIMEOUT``); short so requests fail fast.
        neo4j_retry_time: seconds a managed transaction retries transient errors.
        neo4j_pool_size: Bolt connections kept by the API.
        neo4j_call_timeout: seconds one store call may take in all (``SIGNAUX_API_NEO4J_CALL_TIMEOUT``),
            retries included; past it the call fails as unavailable.
        neo4j_probe_interval: seconds between reconnection probes while Neo4j is down.
        neo4j_liveness_check: a pooled Bolt connection idle for longer than this many
            seconds is checked (one round trip) before reuse
            (``SIGNAUX_API_NEO4J_LIVENESS_CHECK``; 0 checks every time, which costs
            a round trip per transaction).
        workers: uvicorn worker processes of ``signaux serve`` (``SIGNAUX_API_WORKERS``).
        link_projection: related-company searches run on the links held in memory
            (``SIGNAUX_API_LINK_PROJECTION``, default on; off: one Cypher statement each,
            ``graph_api.exposure.projection``).
        link_projection_max_age: seconds after which the links held in memory are read
            again even if no delivery changed them (``SIGNAUX_API_LINK_PROJECTION_MAX_AGE``).
        trust_request_id: accept a client's ``X-Request-Id`` (when behind a
            trusted proxy that sets it).
        log_level: ``SIGNAUX_LOG_LEVEL``.
        store: the graph and measure store settings.
        auth: the OAuth settings (issuer, audience, claim mapping, embedded
            authorization server), owned by ``graph_api.auth``.
        live: subscription polling (``graph_api.live``).
        notify: the notification outbox and dispatcher (``graph_api.notifications``).
    """

    env: str = "embedded"
    host: str = "127.0.0.1"
    port: int = 8000
    graphiql: bool = True
    introspection: bool = True
    field_suggestions: bool = True
    queries_over_get: bool = True
    cors_origins: tuple[str, ...] = _DEV_ORIGINS
    ws_origins: tuple[str, ...] = _DEV_ORIGINS
    limits: Limits = field(default_factory=Limits)
    neo4j_connection_timeout: float = 2.0
    neo4j_retry_time: float = 3.0
    neo4j_pool_size: int = 50
    neo4j_call_timeout: float = 10.0
    neo4j_probe_interval: float = 1.0
    neo4j_liveness_check: float = 5.0
    link_projection: bool = True
    link_projection_max_age: float = 600.0
    workers: int = 1
    trust_request_id: bool = False
    log_level: str = "INFO"
    store: StoreSettings = field(default_factory=StoreSettings.from_env)
    auth: AuthSettings = field(default_factory=AuthSettings.from_env)
    live: LiveSettings = field(default_factory=LiveSettings)
    notify: NotifySettings = field(default_factory=NotifySettings)

    @property
    def production(self) -> bool:
        """True in production mode, where every exposure default is off."""
        return self.env == "production"

    def with_changes(self, **changes: Any) -> ApiSettings:
        """A copy with some attributes replaced (``limits`` may be a mapping of changes).

        Production mode is re-applied, so a copy cannot reopen what it closes.
        """
        lim = changes.pop("limits", None)
        if isinstance(lim, Mapping):
            changes["limits"] = replace(self.limits, **lim)
        elif lim is not None:
            changes["limits"] = lim
        return _enforce_production(replace(self, **changes))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ApiSettings:
        """Builds the settings from environment variables.

        Args:
            env: the variables to read; ``os.environ`` when omitted.

        Raises:
            ValueError: a variable holds a value of the wrong type or an unknown
                mode, named in the message.
        """
        e = dict(os.environ if env is None else env)
        mode = (e.get("SIGNAUX_ENV") or "embedded").strip().lower()
        if mode not in ("embedded", "dev", "production"):
            raise ValueError(f"SIGNAUX_ENV must be embedded, dev or production, got {mode!r}")

        def integer(name: str, default: int) -> int:
            return env_integer(e, name, default)

        def number(name: str, default: float) -> float:
            return env_number(e, name, default)

        def flag(name: str, default: bool) -> bool:
            return env_flag(e, name, default)

        def origins(name: str, default: tuple[str, ...]) -> tuple[str, ...]:
            raw = e.get(name)
            if raw is None:
                return default
            return tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())

        d = Limits()
        limits = Limits(
            max_depth=integer("SIGNAUX_API_MAX_DEPTH", d.max_depth),
            max_aliases=integer("SIGNAUX_API_MAX_ALIASES", d.max_aliases),
            max_tokens=integer("SIGNAUX_API_MAX_TOKENS", d.max_tokens),
            max_directives=integer("SIGNAUX_API_MAX_DIRECTIVES", d.max_directives),
            max_duplicate_fields=integer("SIGNAUX_API_MAX_DUPLICATE_FIELDS", d.max_duplicate_fields),
            max_page_size=integer("SIGNAUX_API_MAX_PAGE_SIZE", d.max_page_size),
            default_page_size=integer("SIGNAUX_API_DEFAULT_PAGE_SIZE", d.default_page_size),
            max_body_bytes=integer("SIGNAUX_API_MAX_BODY_BYTES", d.max_body_bytes),
            max_batch=integer("SIGNAUX_API_MAX_BATCH", d.max_batch),
            rate_per_minute=integer("SIGNAUX_API_RATE_PER_MINUTE", d.rate_per_minute),
            rate_burst=integer("SIGNAUX_API_RATE_BURST", d.rate_burst),
        )
        host = e.get("SIGNAUX_API_HOST") or "127.0.0.1"
        port = integer("SIGNAUX_API_PORT", 8000)
        dev = mode != "production"
        cors = origins("SIGNAUX_API_CORS_ORIGINS", _DEV_ORIGINS if dev else ())
        settings = cls(
            env=mode,
            host=host,
            port=port,
            graphiql=flag("SIGNAUX_API_GRAPHIQL", dev),
            introspection=flag("SIGNAUX_API_INTROSPECTION", dev),
            field_suggestions=flag("SIGNAUX_API_FIELD_SUGGESTIONS", dev),
            queries_over_get=flag("SIGNAUX_API_QUERIES_OVER_GET", dev),
            cors_origins=cors,
            ws_origins=origins("SIGNAUX_API_WS_ORIGINS", cors),
            limits=limits,
            neo4j_connection_timeout=number("SIGNAUX_API_NEO4J_TIMEOUT", 2.0),
            neo4j_retry_time=number("SIGNAUX_API_NEO4J_RETRY_TIME", 3.0),
            neo4j_pool_size=integer("SIGNAUX_API_NEO4J_POOL_SIZE", 50),
            neo4j_call_timeout=number("SIGNAUX_API_NEO4J_CALL_TIMEOUT", 10.0),
            neo4j_probe_interval=number("SIGNAUX_API_NEO4J_PROBE_INTERVAL", 1.0),
            neo4j_liveness_check=number("SIGNAUX_API_NEO4J_LIVENESS_CHECK", 5.0),
            workers=max(1, integer("SIGNAUX_API_WORKERS", 1)),
            link_projection=flag("SIGNAUX_API_LINK_PROJECTION", True),
            link_projection_max_age=number("SIGNAUX_API_LINK_PROJECTION_MAX_AGE", 600.0),
            trust_request_id=flag("SIGNAUX_API_TRUST_REQUEST_ID", False),
            log_level=(e.get("SIGNAUX_LOG_LEVEL") or "INFO").upper(),
            store=StoreSettings.from_env(e),
            auth=AuthSettings.from_env(e),
            live=LiveSettings.from_env(e),
            notify=NotifySettings.from_env(e),
        )
        return _enforce_production(settings)


def _enforce_production(settings: ApiSettings) -> ApiSettings:
    # Production closes every exposure whatever the individual switches say: a
    # leftover SIGNAUX_API_INTROSPECTION=true must not reopen the schema there.
    if not settings.production:
        return settings
    return replace(
        settings,
        graphiql=False,
        introspection=False,
        field_suggestions=False,
        queries_over_get=False,
        cors_origins=tuple(o for o in settings.cors_origins if o != "*"),
        ws_origins=tuple(o for o in settings.ws_origins if o != "*"),
    )


@lru_cache(maxsize=1)
def get_api_settings() -> ApiSettings:
    """The process-wide settings (read once)."""
    return ApiSettings.from_env()
