"""Parses and validates each distinct query text once per schema, not once per request.

Clients send the same few documents over and over; parsing and validating them
was about a sixth of the API's CPU time on the company page (py-spy, see
docs/api-benchmark.md). Strawberry's own ``ParserCache``/``ValidationCache`` do
not fit: the validation cache is keyed by the rule classes, and the depth and
alias limiters build new ones for every request, so it never hits.

``DocumentCache`` belongs to one schema (``graph_api.schema.build_schema``): a
document's parse and its validity depend only on the text, the schema and the
limits, all fixed for the schema's life. Only documents that passed every check
(the limits, ``DocumentGuard``, GraphQL validation) are remembered as valid; a
refused document is checked again on every request, exactly as before. Small
and bounded: at most ``maxsize`` texts of at most ``max_chars`` characters.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator

from graphql import DocumentNode
from strawberry.extensions import SchemaExtension

DEFAULT_MAXSIZE = 256
"""Distinct query texts remembered."""

MAX_CHARS = 20_000
"""Longer texts are never cached (they are parsed and validated every time)."""


class DocumentCache:
    """The parsed, valid documents of one schema, least recently used evicted first.

    Args:
        maxsize: query texts remembered.
        max_chars: the longest text remembered.
    """

    def __init__(self, maxsize: int = DEFAULT_MAXSIZE, max_chars: int = MAX_CHARS) -> None:
        self.maxsize = maxsize
        self.max_chars = max_chars
        self._valid: OrderedDict[str, DocumentNode] = OrderedDict()

    def get(self, query: str | None) -> DocumentNode | None:
        """The parsed document of ``query`` when it already passed every check."""
        if not query:
            return None
        document = self._valid.get(query)
        if document is not None:
            self._valid.move_to_end(query)
        return document

    def put(self, query: str | None, document: DocumentNode) -> None:
        """Remembers ``query`` as parsed into ``document`` and valid."""
        if not query or len(query) > self.max_chars:
            return
        self._valid[query] = document
        self._valid.move_to_end(query)
        while len(self._valid) > self.maxsize:
            self._valid.popitem(last=False)

    def extension(self) -> Callable[[], SchemaExtension]:
        """A factory of the schema extension using this cache (one instance per operation)."""
        return lambda: CachedDocuments(self)


class CachedDocuments(SchemaExtension):
    """Skips parsing and validation of a query text already found valid.

    Must come before ``DocumentGuard`` in the extension list: a known-valid
    document has no pre-execution errors, which makes both the guard and
    strawberry's validation step skip it.
    """

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache
        self._hit = False

    def on_parse(self) -> Iterator[None]:
        ec = self.execution_context
        document = self.cache.get(ec.query) if ec.graphql_document is None else None
        if document is not None:
            # strawberry parses only when no document is set yet
            ec.graphql_document = document
            self._hit = True
        yield

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        if self._hit and ec.pre_execution_errors is None:
            ec.pre_execution_errors = []
        yield
        if not self._hit and ec.graphql_document is not None and ec.pre_execution_errors == []:
            self.cache.put(ec.query, ec.graphql_document)
