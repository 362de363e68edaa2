"""Errors the API shows to clients, each with a stable code in ``extensions.code``.

Clients branch on the code; the message is for people and may change. Anything
that is not an ``ApiError`` (or a store outage) is masked as
``INTERNAL_SERVER_ERROR`` by ``graph_api.hardening.errors``: no stack trace, no
Cypher, no file path ever reaches a client.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    """The stable codes of the API."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    CONFLICT = "CONFLICT"
    VERSION_CONFLICT = "VERSION_CONFLICT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    RATE_LIMITED = "RATE_LIMITED"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


# One message per code where the message itself must not vary: a FORBIDDEN that
# said "unknown company" for some SIRENs would leak which ones exist.
_FIXED_MESSAGES = {
    ErrorCode.FORBIDDEN: "Not allowed.",
    ErrorCode.SERVICE_UNAVAILABLE: "The service is temporarily unavailable; retry shortly.",
    ErrorCode.INTERNAL_SERVER_ERROR: "Internal server error.",
}


class ApiError(Exception):
    """An error meant for the client.

    Args:
        code: the stable code.
        message: a short explanation; ignored for codes with a fixed message.
        extensions: more machine-readable details (never secrets, never whether a
            forbidden object exists).
    """

    def __init__(self, code: ErrorCode, message: str = "", extensions: dict[str, Any] | None = None) -> None:
        self.code = code
        self.message = _FIXED_MESSAGES.get(code) or message or code.value
        self.extensions = {**(extensions or {}), "code": code.value}
        # A refused mutation is audited once (graph_api.audit.refusals).
        self.audited = False
        super().__init__(self.message)


def forbidden() -> ApiError:
    """The one FORBIDDEN error: identical for an unknown object and a refused one."""
    return ApiError(ErrorCode.FORBIDDEN)


def bad_input(message: str, **details: Any) -> ApiError:
    """A BAD_USER_INPUT error naming what is wrong.

    Args:
        message: what is wrong and how to fix it.
        **details: extra machine-readable fields (e.g. ``argument="first"``).
    """
    return ApiError(ErrorCode.BAD_USER_INPUT, message, details)


def unavailable() -> ApiError:
    """The SERVICE_UNAVAILABLE error returned while Neo4j cannot be reached."""
    return ApiError(ErrorCode.SERVICE_UNAVAILABLE)


def error_body(code: ErrorCode, message: str | None = None) -> dict[str, Any]:
    """A GraphQL-shaped JSON body for errors raised before GraphQL runs (HTTP layer).

    Args:
        code: the stable code.
        message: the message; the code's fixed one or the code itself when omitted.
    """
    text = _FIXED_MESSAGES.get(code) or message or code.value
    return {"errors": [{"message": text, "extensions": {"code": code.value}}]}
