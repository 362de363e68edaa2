"""The schema extensions every operation runs through, from the settings.

Extensions are given as factories so that each operation gets its own instances
(a shared instance would see another request's execution context).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from graph_api.hardening.document_cache import DocumentCache
from graph_api.hardening.document_guard import DocumentGuard
from graph_api.hardening.errors import ErrorPolicy
from graph_api.settings import ApiSettings

ExtensionFactory = type[SchemaExtension] | Callable[[], SchemaExtension]


def hardening_extensions(settings: ApiSettings) -> list[ExtensionFactory]:
    """Limits, the introspection switch, the error policy and the document cache.

    The cache (one per call, so one per schema) comes before ``DocumentGuard``:
    a query text that already passed every check skips parsing and validation.

    Args:
        settings: the API settings (limits, introspection).
    """
    lim = settings.limits
    extensions: list[ExtensionFactory] = [
        ErrorPolicy,
        partial(MaxTokensLimiter, max_token_count=lim.max_tokens),
        DocumentCache().extension(),
        partial(DocumentGuard, lim.max_directives, lim.max_duplicate_fields),
        partial(QueryDepthLimiter, max_depth=lim.max_depth),
        partial(MaxAliasesLimiter, max_alias_count=lim.max_aliases),
    ]
    if not settings.introspection:
        # __typename stays allowed (it is a meta-field clients need for unions).
        extensions.append(partial(AddValidationRules, [NoSchemaIntrospectionCustomRule]))
    return extensions
