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
from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry.types import Info

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


def child_field_names(info: Info[Any, Any], *path: str) -> set[str]:
    """The names of the fields selected under the resolved field (or under its ``path`` of
    sub-fields), fragments expanded; ``@skip``/``@include`` are not evaluated (a field so
    guarded counts as selected).

    Read from graphql-core's syntax tree: strawberry's ``info.selected_fields`` converts the
    whole selection below the field, arguments and directives included, which was a tenth of
    the company page's CPU under load (docs/api-benchmark.md).
    """
    raw = info._raw_info
    sets: list[SelectionSetNode | None] = [node.selection_set for node in raw.field_nodes]
    for name in path:
        sets = [f.selection_set for f in _fields(sets, raw.fragments) if f.name.value == name]
    return {f.name.value for f in _fields(sets, raw.fragments)}


def _fields(
    sets: Iterable[SelectionSetNode | None], fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    for selection_set in sets:
        if selection_set is None:
            continue
        for s in selection_set.selections:
            if isinstance(s, FieldNode):
                yield s
            elif isinstance(s, InlineFragmentNode):
                yield from _fields([s.selection_set], fragments)
            elif isinstance(s, FragmentSpreadNode) and s.name.value in fragments:
                yield from _fields([fragments[s.name.value].selection_set], fragments)
