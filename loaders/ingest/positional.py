"""Rows sent to Neo4j as lists of values instead of maps.

The Bolt driver packs parameters in Python: a map packs its keys again on every
row, which was the largest client-side cost of the loads (profiled). Statements
keep reading ``row.<field>``; ``positional`` rewrites that as ``row[i]`` and
``as_lists`` turns map rows into lists in the same field order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from itertools import chain
from typing import Any, LiteralString

_FIELD = re.compile(r"\brow\.(\w+)")


@lru_cache(maxsize=256)
def positional(query: LiteralString, fields: tuple[str, ...]) -> LiteralString:
    """``query`` with every ``row.<field>`` read as ``row[<position in fields>]``.

    Raises:
        KeyError: the query reads a field that is not in ``fields``.
    """
    index = {f: i for i, f in enumerate(fields)}
    # Our own statement text with field names swapped for positions: no data goes in.
    return _FIELD.sub(lambda m: f"row[{index[m.group(1)]}]", query)


def as_lists(query: LiteralString, rows: Iterable[Any]) -> tuple[LiteralString, Iterator[Any]]:
    """The statement and rows to send: lists when the rows are maps, unchanged otherwise.

    The fields are those of the first row (rows of one statement are built alike; a
    field missing from a later row is sent as null, as a missing map key reads). When
    the statement reads a field the first row lacks, the maps are sent as they are.
    """
    it = iter(rows)
    first = next(it, None)
    if not isinstance(first, Mapping):
        return query, it if first is None else chain([first], it)
    fields = tuple(first)
    try:
        rewritten = positional(query, fields)
    except KeyError:
        return query, chain([first], it)
    return rewritten, ([r.get(f) for f in fields] for r in chain([first], it))
