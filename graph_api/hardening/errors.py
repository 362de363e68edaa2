"""Every error leaves with a stable ``extensions.code``; unexpected ones are masked.

Runs last around each operation: the API's own errors keep their code and
message; a Neo4j outage becomes ``SERVICE_UNAVAILABLE``; parse and validation
errors get theirs; anything else is logged with the request id and replaced by a
bare ``INTERNAL_SERVER_ERROR`` (no exception text, no stack, no Cypher).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError
from neo4j.exceptions import DatabaseUnavailable, ServiceUnavailable, SessionExpired
from strawberry.extensions import SchemaExtension

from graph_api.auth.errors import AuthError
from graph_api.errors import ApiError, ErrorCode
from graphstore.errors import StoreUnavailable

log = logging.getLogger("signaux.api.errors")

_UNAVAILABLE = (StoreUnavailable, ServiceUnavailable, SessionExpired, DatabaseUnavailable, ConnectionError)
# How graphql-core and strawberry's limiters word their refusals.
_LIMIT_HINTS = ("exceeds maximum operation depth", "aliases found. allowed", "document contains more than")
# graphql-core's wording when a variable's value does not coerce to its type.
_BAD_VARIABLE = re.compile(r"^Variable '\$(\w+)'")


def classify(error: GraphQLError) -> tuple[ErrorCode, str, dict[str, Any]]:
    """The code, client message and extensions an error leaves with.

    Args:
        error: the error as graphql-core produced it.
    """
    original = error.original_error
    while isinstance(original, GraphQLError) and original.original_error is not None:
        original = original.original_error
    if isinstance(original, ApiError):
        return original.code, original.message, dict(original.extensions)
    if isinstance(original, AuthError):
        code = ErrorCode.FORBIDDEN if original.status == 403 else ErrorCode.UNAUTHENTICATED
        return code, original.message, {"code": code.value, "reason": original.code}
    if isinstance(original, _UNAVAILABLE):
        err = ApiError(ErrorCode.SERVICE_UNAVAILABLE)
        return err.code, err.message, dict(err.extensions)
    # A GraphQLError at the bottom of the chain is graphql-core's own refusal (a
    # variable that does not coerce, say), not a crash of ours.
    if original is None or isinstance(original, GraphQLError):
        existing = (error.extensions or {}).get("code")
        if isinstance(existing, str) and existing in ErrorCode.__members__:
            return ErrorCode(existing), error.message, dict(error.extensions or {})
        bad_variable = _BAD_VARIABLE.match(error.message) if error.path is None else None
        if bad_variable is not None:
            code = ErrorCode.BAD_USER_INPUT
            return code, error.message, {"code": code.value, "argument": bad_variable.group(1)}
        if any(h in error.message.lower() for h in _LIMIT_HINTS):
            code = ErrorCode.QUERY_TOO_COMPLEX
        elif isinstance(error, GraphQLSyntaxError) or error.message.startswith("Syntax Error"):
            code = ErrorCode.GRAPHQL_PARSE_FAILED
        else:
            code = ErrorCode.GRAPHQL_VALIDATION_FAILED
        return code, error.message, {"code": code.value}
    return (
        ErrorCode.INTERNAL_SERVER_ERROR,
        ApiError(ErrorCode.INTERNAL_SERVER_ERROR).message,
        {"code": ErrorCode.INTERNAL_SERVER_ERROR.value},
    )


class ErrorPolicy(SchemaExtension):
    """Schema extension applying ``classify`` to every error of the result."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is None or not errors:
            return
        request_id = getattr(self.execution_context.context, "request_id", None)
        cleaned: list[GraphQLError] = []
        for error in errors:
            code, message, extensions = classify(error)
            if code is ErrorCode.INTERNAL_SERVER_ERROR:
                log.error(
                    "unexpected error in %s",
                    ".".join(str(p) for p in error.path or ()) or "operation",
                    exc_info=error.original_error,
                    extra={"request_id": request_id},
                )
            cleaned.append(
                GraphQLError(
                    message, nodes=error.nodes, positions=error.positions, path=error.path, extensions=extensions
                )
            )
        result.errors = cleaned
