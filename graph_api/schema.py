"""The GraphQL schema: every domain's root fields merged, with the hardening extensions.

A new domain adds its ``Query``/``Mutation`` classes to ``QUERIES``/``MUTATIONS``
(and, for issue 7, ``SUBSCRIPTIONS``); nothing else changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graph_api.alert.resolvers import AlertMutation, AlertQuery
from graph_api.audit.resolvers import AuditQuery
from graph_api.company.resolvers import CompanyQuery
from graph_api.detection.resolvers import DetectionQuery
from graph_api.exposure.resolvers import ExposureQuery
from graph_api.follow.resolvers import FollowMutation, FollowQuery
from graph_api.hardening.extensions import ExtensionFactory, hardening_extensions
from graph_api.intervention.resolvers import InterventionMutation, InterventionQuery
from graph_api.live.resolvers import LiveSubscription
from graph_api.me.resolvers import MeMutation, MeQuery
from graph_api.note.resolvers import NoteMutation, NoteQuery
from graph_api.notifications.resolvers import NotificationQuery
from graph_api.search.resolvers import SearchQuery
from graph_api.settings import ApiSettings
from graph_api.timeline.mutations import TimelineMutation
from graph_api.timeline.resolvers import TimelineQuery

QUERIES: tuple[type[Any], ...] = (
    MeQuery,
    CompanyQuery,
    AuditQuery,
    SearchQuery,
    TimelineQuery,
    ExposureQuery,
    InterventionQuery,
    AlertQuery,
    FollowQuery,
    NoteQuery,
    DetectionQuery,
    NotificationQuery,
)
MUTATIONS: tuple[type[Any], ...] = (
    MeMutation,
    InterventionMutation,
    AlertMutation,
    FollowMutation,
    NoteMutation,
    TimelineMutation,
)
SUBSCRIPTIONS: tuple[type[Any], ...] = (LiveSubscription,)

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema.graphql"
"""The exported SDL at the repository root (``signaux api export-schema``)."""


class ApiSchema(strawberry.Schema):
    """The schema, minus strawberry's logging of every error at ERROR level.

    Refusals (FORBIDDEN, BAD_USER_INPUT, validation) are the API working as
    intended; the error policy (``graph_api.hardening.errors``) logs the
    unexpected ones, with the request id.
    """

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None


def build_schema(settings: ApiSettings, extra_extensions: list[ExtensionFactory] | None = None) -> strawberry.Schema:
    """The schema configured for ``settings``.

    Args:
        settings: the API settings (limits, introspection, suggestions, batching).
        extra_extensions: more extensions (the app adds its metrics).
    """
    query = merge_types("Query", QUERIES)
    mutation = merge_types("Mutation", MUTATIONS)
    subscription = merge_types("Subscription", SUBSCRIPTIONS)
    extensions: list[type[SchemaExtension] | Any] = [*(extra_extensions or []), *hardening_extensions(settings)]
    max_batch = settings.limits.max_batch
    config = StrawberryConfig(
        disable_field_suggestions=not settings.field_suggestions,
        batching_config={"max_operations": max_batch} if max_batch > 0 else None,
    )
    return ApiSchema(query=query, mutation=mutation, subscription=subscription, extensions=extensions, config=config)


def schema_sdl() -> str:
    """The SDL of the schema (independent of the runtime switches), with a final newline."""
    return build_schema(ApiSettings()).as_str().rstrip() + "\n"


def export_schema(path: Path = SCHEMA_FILE) -> Path:
    """Writes the SDL to ``path`` (``schema.graphql`` at the repository root by default)."""
    path.write_text(schema_sdl(), encoding="utf-8")
    return path
