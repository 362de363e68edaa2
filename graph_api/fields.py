"""Typed spellings of ``strawberry.field`` and ``strawberry.mutation`` for resolvers, and what a query selects.

Used as decorators with arguments, strawberry's functions are typed as returning
``Any``, which strict mypy reports as an untyped decorator on every resolver.
These wrappers keep the decorated function's type for the checker; at run time
they are strawberry's own functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, cast

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

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


def selected_fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, those of its fragments included (``info.selected_fields``'s children)."""
    for s in selections:
        if isinstance(s, SelectedField):
            yield s
        elif isinstance(s, FragmentSpread | InlineFragment):
            yield from selected_fields(s.selections)
