"""Typed spellings of ``strawberry.field`` and ``strawberry.mutation`` for resolvers.

Used as decorators with arguments, strawberry's functions are typed as returning
``Any``, which strict mypy reports as an untyped decorator on every resolver.
These wrappers keep the decorated function's type for the checker; at run time
they are strawberry's own functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

from graph_api.audit.refusals import AuditRefusals

F = TypeVar("F", bound=Callable[..., Any])


def field(*, description: str | None = None, name: str | None = None) -> Callable[[F], F]:
    """``@strawberry.field(...)`` for a resolver method."""
    return cast(Callable[[F], F], strawberry.field(description=description, name=name))


def mutation(*, description: str | None = None, name: str | None = None) -> Callable[[F], F]:
    """``@strawberry.mutation(...)`` for a mutation resolver, its refusals audited.

    The resolver's domain (``graph_api.<domain>.…``) names the kind of its ``id``
    argument in the audit entry of a refusal (``graph_api.audit.refusals``).
    """

    def decorate(fn: F) -> F:
        parts = fn.__module__.split(".")
        domain = parts[1] if len(parts) > 1 and parts[0] == "graph_api" else "mutation"
        made = strawberry.mutation(description=description, name=name, extensions=[AuditRefusals(domain)])
        return cast(F, made(fn))

    return decorate
