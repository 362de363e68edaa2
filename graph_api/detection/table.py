"""The rows of a detection-list export: public identity, alert, handling and the visible data blocks.

The columns of a block appear only when the caller holds its role (nobody
without it could have a value); within them, a company the doctrine refuses
has empty cells. Block decisions go through ``authorize_blocks`` (batched and
audited company by company), exactly as on the company page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graph_api.company.loaders import FETCHERS, BlockData, identity_loader
from graph_api.context import RequestContext
from graph_api.detection.service import ListPage
from graph_api.doctrine.blocks import BLOCK_ROLE, DataBlock
from graph_api.doctrine.guard import authorize_blocks

IDENTITY_COLUMNS = ("siren", "name", "departement", "region", "naf", "headcount_band", "category", "legal_form")
ALERT_COLUMNS = (
    "period",
    "level",
    "rank",
    "first_alert",
    "followed_by_my_agency",
    "handling_status",
    "handling_reason",
    "handling_at",
)


def _latest(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    dated = [r for r in rows if r.get(key) is not None]
    return max(dated, key=lambda r: r[key]) if dated else {}


def _scores(data: BlockData) -> dict[str, Any]:
    latest = _latest(data.get("scores", []), "period")
    return {
        "score_period": latest.get("period"),
        "p12": latest.get("p12"),
        "p18": latest.get("p18"),
        "p24": latest.get("p24"),
        "model_version": latest.get("model_version"),
    }


def _urssaf(data: BlockData) -> dict[str, Any]:
    latest = _latest(data.get("debts", []), "month")
    return {"debt_month": latest.get("month"), "debt_total": latest.get("debt")}


def _short_time_work(data: BlockData) -> dict[str, Any]:
    latest = _latest(data.get("months", []), "month")
    return {"short_time_work_month": latest.get("month"), "short_time_work_hours": latest.get("hours_used")}


def _bdf(data: BlockData) -> dict[str, Any]:
    latest = _latest(data.get("ratios", []), "year")
    return {"bdf_year": latest.get("year"), "bdf_taux_marge": latest.get("taux_marge")}


@dataclass(frozen=True)
class BlockColumns:
    """How one data block turns into export columns."""

    columns: tuple[str, ...]
    cells: Callable[[BlockData], dict[str, Any]]


BLOCK_COLUMNS: dict[DataBlock, BlockColumns] = {
    DataBlock.SCORES: BlockColumns(("score_period", "p12", "p18", "p24", "model_version"), _scores),
    DataBlock.URSSAF: BlockColumns(("debt_month", "debt_total"), _urssaf),
    DataBlock.SHORT_TIME_WORK: BlockColumns(("short_time_work_month", "short_time_work_hours"), _short_time_work),
    DataBlock.BDF: BlockColumns(("bdf_year", "bdf_taux_marge"), _bdf),
}


@dataclass(frozen=True)
class Table:
    """An export: column names and one row per item, in list order."""

    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


async def build(ctx: RequestContext, page: ListPage) -> Table:
    """The export table of a list page, with the data blocks the doctrine grants company by company.

    Args:
        ctx: the request context (the caller, the stores, the request id for the audit).
        page: the list read with the export's filters.
    """
    principal = ctx.me
    sirens = [r["siren"] for r in page.items]
    identities = await identity_loader(ctx).load_many(sirens)
    rows: list[dict[str, Any]] = []
    for item, identity in zip(page.items, identities, strict=True):
        row = {c: (identity or {}).get(c) for c in IDENTITY_COLUMNS}
        row["siren"] = item["siren"]
        row.update(
            period=item["period"],
            level=item["level"],
            rank=item["rank"],
            first_alert=item["first_alert"],
            followed_by_my_agency=bool(item["followed"]),
            handling_status=item["status"].value,
            handling_reason=item["reason"],
            handling_at=item["at"],
        )
        rows.append(row)
    columns = [*IDENTITY_COLUMNS, *ALERT_COLUMNS]
    for block, spec in BLOCK_COLUMNS.items():
        if not principal.has_role(BLOCK_ROLE[block]):
            continue
        columns.extend(spec.columns)
        data: dict[str, BlockData] = {}
        if sirens:
            decisions = await authorize_blocks(ctx, block, sirens)
            cleared = [s for s in dict.fromkeys(sirens) if decisions[s].allowed]
            data = await FETCHERS[block](ctx, cleared) if cleared else {}
        for row in rows:
            found = data.get(row["siren"])
            row.update(spec.cells(found) if found is not None else dict.fromkeys(spec.columns))
    return Table(tuple(columns), rows)
