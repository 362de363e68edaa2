"""Refuses documents that abuse directives or repeat fields, before validation runs.

Strawberry's limiters cover depth, aliases and tokens; two cheap amplifications
remain: piling directives on one field (each one is validated, and unknown ones
each yield an error) and repeating the same field many times in one selection
set. Both are checked here on the parsed document and answered with one
``QUERY_TOO_COMPLEX`` error, without running validation at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from graphql import DirectiveNode, DocumentNode, FieldNode, GraphQLError, SelectionSetNode, Visitor, visit
from strawberry.extensions import SchemaExtension

from graph_api.errors import ErrorCode


class _Counter(Visitor):
    def __init__(self, max_directives: int, max_duplicates: int) -> None:
        super().__init__()
        self.max_directives = max_directives
        self.max_duplicates = max_duplicates
        self.problem: str | None = None

    def enter(self, node: object, *_: object) -> None:
        if self.problem:
            return
        directives: tuple[DirectiveNode, ...] = tuple(getattr(node, "directives", None) or ())
        if len(directives) > self.max_directives:
            self.problem = f"more than {self.max_directives} directives on one location"
        if isinstance(node, SelectionSetNode):
            keys = Counter((s.alias or s.name).value for s in node.selections if isinstance(s, FieldNode))
            worst = max(keys.values(), default=0)
            if worst > self.max_duplicates:
                self.problem = f"a field is selected more than {self.max_duplicates} times in one selection set"


def document_problem(document: DocumentNode, max_directives: int, max_duplicates: int) -> str | None:
    """Why ``document`` is refused, or None when it is acceptable."""
    counter = _Counter(max_directives, max_duplicates)
    visit(document, counter)
    return counter.problem


class DocumentGuard(SchemaExtension):
    """Schema extension refusing directive overloading and field duplication.

    Args:
        max_directives: directives allowed on one field, fragment or operation.
        max_duplicates: times one response key may appear in one selection set.
    """

    def __init__(self, max_directives: int, max_duplicates: int) -> None:
        self.max_directives = max_directives
        self.max_duplicates = max_duplicates

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        document = ec.graphql_document
        if document is not None and ec.pre_execution_errors is None:
            problem = document_problem(document, self.max_directives, self.max_duplicates)
            if problem:
                # Setting the errors before validation makes strawberry skip it.
                ec.pre_execution_errors = [
                    GraphQLError(
                        f"The query is too complex: {problem}.",
                        extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value},
                    )
                ]
        yield
