"""The scope rules and the export cells, without the server (pure functions)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graph_api.auth.principal import Principal
from graph_api.detection.formats import ExportFormat, to_csv
from graph_api.detection.scope import HandlingStatus, ListFilters, check, region_code
from graph_api.detection.table import Table
from graph_api.errors import ApiError, ErrorCode

AGENT = Principal(
    sub="a",
    name="a",
    agency="URSSAF-21",
    zones=frozenset({"21", "75"}),
    roles=frozenset({"detection"}),
    scopes=frozenset({"signaux"}),
    client_id="c",
    token_id=None,
)


@pytest.mark.parametrize("given", ["27", "R27", "r27", " BFC ", "bfc"])
def test_region_spellings(given: str) -> None:
    assert region_code(given) == "27"


def test_scope_is_the_agents_departements_within_the_region() -> None:
    scope = check(AGENT, "27", None, ListFilters())
    assert (scope.region, scope.period, scope.departements) == ("27", None, ("21",))
    assert check(AGENT, "IDF", "2025-12", ListFilters()).departements == ("75",)


def _code(principal: Principal, region: str, filters: ListFilters, period: str | None = None) -> ErrorCode:
    with pytest.raises(ApiError) as caught:
        check(principal, region, period, filters)
    return caught.value.code


def test_refusals_and_bad_input() -> None:
    assert _code(replace(AGENT, roles=frozenset({"score"})), "27", ListFilters()) is ErrorCode.FORBIDDEN
    assert _code(AGENT, "84", ListFilters()) is ErrorCode.FORBIDDEN  # no zone in that region
    assert _code(AGENT, "27", ListFilters(departements=("21", "25"))) is ErrorCode.FORBIDDEN
    assert _code(AGENT, "27", ListFilters(departements=("75",))) is ErrorCode.FORBIDDEN  # a zone, not in 27
    assert _code(AGENT, "XX", ListFilters()) is ErrorCode.BAD_USER_INPUT
    assert _code(AGENT, "27", ListFilters(), period="2025-1") is ErrorCode.BAD_USER_INPUT
    assert _code(AGENT, "27", ListFilters(naf_prefix="56' OR")) is ErrorCode.BAD_USER_INPUT
    assert _code(AGENT, "27", ListFilters(levels=tuple(str(i) for i in range(51)))) is ErrorCode.BAD_USER_INPUT


def test_filters_are_normalised() -> None:
    scope = check(
        AGENT,
        "27",
        None,
        ListFilters(
            departements=("21", " 21 "),
            naf_prefix="56.1",
            statuses=(HandlingStatus.NEW, HandlingStatus.NEW),
        ),
    )
    assert scope.departements == ("21",)
    assert scope.filters.naf_prefix == "561"
    assert scope.filters.statuses == (HandlingStatus.NEW,)


def test_csv_cells() -> None:
    table = Table(("name", "flag", "n", "none"), [{"name": "@SUM(A1)", "flag": True, "n": -1.5, "none": None}])
    text = to_csv(table).decode("utf-8")
    assert text == "\ufeffname,flag,n,none\r\n'@SUM(A1),true,-1.5,\r\n"
    assert ExportFormat.XLSX.media_type.endswith("spreadsheetml.sheet")
