"""Variables that do not coerce to their type are the client's mistake, with a stable code."""

from __future__ import annotations

import asyncio

import pytest

from graph_api.schema import build_schema
from graph_api.settings import ApiSettings

_OPEN = 'mutation($k: InterventionKind!) { openIntervention(siren: "123456789", kind: $k) { id } }'
_SEARCH = 'query($n: Int!) { searchCompanies(query: "a", first: $n) { totalCount } }'


@pytest.mark.parametrize(
    ("query", "variables", "argument"),
    [(_OPEN, {"k": "LOAN"}, "k"), (_SEARCH, {"n": "x"}, "n"), (_OPEN, {"k": None}, "k")],
)
def test_invalid_variable_is_bad_user_input(query: str, variables: dict[str, object], argument: str) -> None:
    schema = build_schema(ApiSettings())
    result = asyncio.run(schema.execute(query, variable_values=variables))
    assert result.errors is not None and len(result.errors) == 1
    error = result.errors[0]
    assert error.extensions == {"code": "BAD_USER_INPUT", "argument": argument}
    assert error.message.startswith(f"Variable '${argument}'")
    assert result.data is None  # nothing ran
