"""CSV and XLSX exports of detection lists over HTTP with real tokens; files parsed back."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from api_support import LiveApi
from detection_world import PERIOD, siren
from openpyxl import load_workbook

from graphstore.store import GraphStore

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get(api: LiveApi, token: str | None, fmt: str, **params: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response: httpx.Response = api.http.get(
        f"{api.base_url}/exports/detection-list.{fmt}", params=params, headers=headers
    )
    return response


def _csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["cache-control"] == "no-store"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    # Empty trailing cells are not stored in a sheet: pad each row to the header.
    return [dict(zip(header, (*r, *[None] * (len(header) - len(r))), strict=True)) for r in rows[1:]]


def test_csv_with_scores_for_the_score_role(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    response = _get(api, tokens["full"], "csv", region="27", period=PERIOD)
    rows = _csv(response)
    assert response.headers["content-disposition"] == f'attachment; filename="detection-list-27-{PERIOD}.csv"'
    assert [r["siren"] for r in rows] == [siren("D1"), siren("D2"), siren("D3")]
    assert [r["handling_status"] for r in rows] == ["acknowledged", "new", "dismissed"]
    assert [r["followed_by_my_agency"] for r in rows] == ["false", "true", "false"]
    assert rows[0]["level"] == "high" and rows[0]["rank"] == "1" and rows[0]["first_alert"] == "true"
    assert [r["p12"] for r in rows] == ["0.31"] * 3
    assert rows[0]["score_period"] == PERIOD
    # URSSAF columns: the role is held and the doctrine grants it (in zone, listed).
    assert [r["debt_total"] for r in rows] == ["1000.0"] * 3
    assert "bdf_taux_marge" not in rows[0]  # no bdf role: no column at all


def test_csv_without_block_roles_has_no_block_columns(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    rows = _csv(_get(api, tokens["plain"], "csv", region="27"))
    assert [r["siren"] for r in rows] == [siren("D1"), siren("D2"), siren("D3")]
    assert not {"p12", "debt_total", "score_period"} & set(rows[0])
    assert rows[0]["name"] == "Boulangerie Aube"


def test_formula_names_are_neutralised(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    rows = _csv(_get(api, tokens["plain"], "csv", region="27"))
    assert rows[2]["name"] == '\'=HYPERLINK("x")'
    xrows = _xlsx(_get(api, tokens["plain"], "xlsx", region="27"))
    assert xrows[2]["name"] == '\'=HYPERLINK("x")'


def test_filters_apply_to_exports(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    rows = _csv(_get(api, tokens["plain"], "csv", region="27", level="moderate", status="dismissed"))
    assert [r["siren"] for r in rows] == [siren("D3")]
    assert rows[0]["handling_reason"] == "déjà suivi"
    rows = _csv(_get(api, tokens["region"], "csv", region="27", departement="25"))
    assert [r["siren"] for r in rows] == [siren("D4")]
    rows = _csv(_get(api, tokens["plain"], "csv", region="27", followed="true"))
    assert [r["siren"] for r in rows] == [siren("D2")]


def test_xlsx_parses_back(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    response = _get(api, tokens["full"], "xlsx", region="27", first_alert_only="true")
    rows = _xlsx(response)
    assert response.headers["content-disposition"] == f'attachment; filename="detection-list-27-{PERIOD}.xlsx"'
    assert [r["siren"] for r in rows] == [siren("D1"), siren("D3")]
    assert [r["p12"] for r in rows] == [0.31, 0.31]
    assert rows[0]["first_alert"] is True and rows[0]["rank"] == 1
    assert rows[1]["handling_status"] == "dismissed"


def test_export_needs_a_token(api: LiveApi, built: GraphStore) -> None:
    response = _get(api, None, "csv", region="27")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert _get(api, "not-a-token", "xlsx", region="27").status_code == 401


@pytest.mark.parametrize(
    ("who", "params", "status", "code"),
    [
        ("nodetect", {"region": "27"}, 403, "FORBIDDEN"),
        ("paris", {"region": "27"}, 403, "FORBIDDEN"),
        ("plain", {"region": "27", "departement": "25"}, 403, "FORBIDDEN"),
        ("plain", {"region": "27", "followed": "maybe"}, 400, "BAD_USER_INPUT"),
        ("plain", {"region": "27", "status": "lost"}, 400, "BAD_USER_INPUT"),
        ("plain", {}, 400, "BAD_USER_INPUT"),
    ],
)
def test_export_refusals(
    api: LiveApi, built: GraphStore, tokens: dict[str, str], who: str, params: dict[str, str], status: int, code: str
) -> None:
    response = _get(api, tokens[who], "csv", **params)
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == code
    assert "content-disposition" not in response.headers


def test_unknown_format(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    assert _get(api, tokens["plain"], "pdf", region="27").status_code == 404


def test_exports_are_audited(api: LiveApi, built: GraphStore, tokens: dict[str, str]) -> None:
    _csv(_get(api, tokens["full"], "csv", region="27", period=PERIOD))
    _get(api, tokens["paris"], "xlsx", region="27", period=PERIOD)
    entries = built.read(
        "MATCH (e:AuditEntry {action: 'export:detection_list'}) RETURN e.sub AS sub, e.target AS target, "
        "e.outcome AS outcome"
    )
    assert {"sub": "det-full", "target": f"detection:27:{PERIOD}:csv", "outcome": "allowed"} in entries
    assert {"sub": "det-paris", "target": f"detection:27:{PERIOD}", "outcome": "denied"} in entries
    urssaf = built.read(
        "MATCH (e:AuditEntry {sub: 'det-full', action: 'read:urssaf'}) RETURN DISTINCT e.target AS target"
    )
    assert {r["target"] for r in urssaf} >= {f"company:{siren(k)}" for k in ("D1", "D2", "D3")}
