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

F = TypeVar("F", bound=Callable[..., Any])


def field(*, description: str | None = None, name: str | None = None) -> Callable[[F], F]:
    """``@strawberry.field(...)`` for a resolver method."""
    return cast(Callable[[F], F], strawberry.field(description=description, name=name))


def mutation(*, description: str | None = None, name: str | None = None) -> Callable[[F], F]:
    """``@strawberry.mutation(...)`` for a mutation resolver."""
    return cast(Callable[[F], F], strawberry.mutation(description=description, name=name))
