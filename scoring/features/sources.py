"""Loads :class:`FeatureInputs` from Neo4j (entities, judgments, groups) and the measure store.

Monthly measures are read as *vintages*: for each delivery month ``K`` the panels
of months ``K - depth + 1 .. K`` are read with ``known_by = end of K`` and stored
with ``known_month = K``. A feature at ``t`` then takes, for each month, the
latest vintage known by ``t``: never anything known later (no leakage); a
correction arriving more than ``depth`` months late is not seen (documented in
docs/model.md).
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from graphstore.measures import (
    MeasureStore,
    Table,
    contributions_panel,
    debt_panel,
    headcount_panel,
    short_time_work_panel,
)
from graphstore.store import GraphStore
from scoring.features.inputs import RATIO_COLUMNS, FeatureInputs, Measure
from scoring.months import month_end, months_of

VINTAGE_DEPTH = 3


def _first_day(month: int) -> date:
    return date(month // 12, month % 12 + 1, 1)


def _known(values: pd.Series) -> pd.Series:
    return months_of(values)


def load_graph_facts(store: GraphStore) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Companies, judgments and group memberships from Neo4j.

    Args:
        store: the graph.

    Returns:
        (companies, procedures, groups) frames of :class:`FeatureInputs`.
    """
    comp = pd.DataFrame(
        store.read(
            "MATCH (c:Company) RETURN c.siren AS siren, c.departement AS departement, c.region AS region, "
            "c.naf AS naf, c.legal_form AS legal_form, c.headcount_band AS headcount_band, "
            "toString(c.created_on) AS created_on, coalesce(c.public_sector, false) AS public_sector"
        ),
        columns=[
            "siren",
            "departement",
            "region",
            "naf",
            "legal_form",
            "headcount_band",
            "created_on",
            "public_sector",
        ],
    )
    comp["created_month"] = months_of(comp["created_on"])
    comp = comp.drop(columns=["created_on"])
    procs = pd.DataFrame(
        store.read(
            "MATCH (p:ProcedureCollective) RETURN p.siren AS siren, p.kind AS kind, p.stage AS stage, "
            "toString(p.judgment_date) AS judgment_date, toString(p.known_on) AS known_on"
        ),
        columns=["siren", "kind", "stage", "judgment_date", "known_on"],
    )
    procs["judgment_month"] = months_of(procs["judgment_date"])
    # Without provenance a judgment is taken as known the month it was pronounced.
    procs["known_month"] = months_of(procs["known_on"]).fillna(procs["judgment_month"])
    procs = procs.drop(columns=["judgment_date", "known_on"])
    groups = group_history(store)
    return comp, procs, groups


def group_history(store: GraphStore) -> pd.DataFrame:
    """Group memberships over time: siren, group_id, known_month (one row per membership spell).

    A MEMBER_OF relationship carries only the provenance of its latest re-send, so
    the history comes from the loaders' ``group_change`` timeline events (from ->
    to, with the delivery that showed the change). The membership before the first
    change, or the current one without change, is taken as known from the first
    delivery (it was in the first group-head file).
    """
    first = store.read("MATCH (d:Delivery) RETURN min(toString(d.delivered_on)) AS first")
    first_month = months_of(pd.Series([first[0]["first"] if first else None])).iloc[0]
    current = pd.DataFrame(
        store.read("MATCH (c:Company)-[:MEMBER_OF]->(g:Group) RETURN c.siren AS siren, g.id AS group_id"),
        columns=["siren", "group_id"],
    )
    changes = pd.DataFrame(
        store.read(
            "MATCH (e:TimelineEvent {kind: 'group_change'}) "
            "RETURN e.siren AS siren, e.payload AS payload, toString(e.known_on) AS known_on"
        ),
        columns=["siren", "payload", "known_on"],
    )
    rows: list[dict[str, object]] = []
    if not changes.empty:
        payload = changes["payload"].map(lambda p: json.loads(p) if isinstance(p, str) else {})
        changes = changes.assign(
            src=payload.map(lambda d: d.get("from")),
            dst=payload.map(lambda d: d.get("to")),
            known_month=months_of(changes["known_on"]),
        ).sort_values(["siren", "known_month"])
        firsts = changes.drop_duplicates("siren")
        rows += [
            {"siren": r["siren"], "group_id": r["src"], "known_month": first_month} for r in firsts.to_dict("records")
        ]
        rows += [
            {"siren": r["siren"], "group_id": r["dst"], "known_month": r["known_month"]}
            for r in changes.to_dict("records")
        ]
    changed = set(changes["siren"]) if not changes.empty else set()
    rows += [
        {"siren": r["siren"], "group_id": r["group_id"], "known_month": first_month}
        for r in current.to_dict("records")
        if r["siren"] not in changed
    ]
    out = pd.DataFrame(rows, columns=["siren", "group_id", "known_month"])
    return out[out["group_id"].notna() & (out["group_id"].astype(str) != "")].reset_index(drop=True)


def _long(frame: pd.DataFrame, column: str, measure: Measure, known_month: int) -> pd.DataFrame:
    out = frame[["siren", "month", column]].rename(columns={column: "value"}).dropna(subset=["value"])
    out = out.assign(measure=measure.value, known_month=known_month)
    out["month"] = months_of(out["month"]).astype("int64")
    return out[["siren", "measure", "month", "value", "known_month"]]


def load_monthly(
    ms: MeasureStore, first: int, last: int, depth: int = VINTAGE_DEPTH, last_depth: int | None = None
) -> pd.DataFrame:
    """Vintages of debts, contributions, headcount and short-time work hours.

    Args:
        ms: the measure store.
        first: first delivery month read.
        last: last delivery month read.
        depth: months re-read at each delivery month.
        last_depth: months read in the last vintage (scoring reads one vintage of the
            whole history, as known at the scored month).
    """
    parts: list[pd.DataFrame] = []
    for k in range(first, last + 1):
        d = last_depth if (k == last and last_depth) else depth
        months = [_first_day(m) for m in range(k - d + 1, k + 1)]
        kb = month_end(k)
        debt = debt_panel(months, known_by=kb, store=ms)
        parts.append(_long(debt, "debt", Measure.DEBT, k))
        parts.append(_long(debt, "debt_employer", Measure.DEBT_EMPLOYER, k))
        parts.append(_long(contributions_panel(months, known_by=kb, store=ms), "due", Measure.CONTRIBUTIONS, k))
        parts.append(_long(headcount_panel(months, known_by=kb, store=ms), "headcount", Measure.HEADCOUNT, k))
        parts.append(_long(short_time_work_panel(months, known_by=kb, store=ms), "hours_used", Measure.AP_HOURS, k))
    frame = pd.concat(parts, ignore_index=True)
    frame["siren"] = frame["siren"].astype(str)
    # A debt month absent from a vintage means no open debt then: make that explicit
    # for companies that had a debt in the previous vintage, so a repaid debt reads 0.
    debt = frame[frame["measure"] == Measure.DEBT.value]
    prev = debt[["siren", "month", "known_month"]].assign(known_month=debt["known_month"] + 1)
    zeros = prev[prev["known_month"] <= last].merge(
        debt[["siren", "month", "known_month"]], on=["siren", "month", "known_month"], how="left", indicator=True
    )
    zeros = zeros[(zeros["_merge"] == "left_only") & (zeros["month"] > zeros["known_month"] - depth)]
    filler = zeros[["siren", "month", "known_month"]].assign(measure=Measure.DEBT.value, value=0.0)
    return pd.concat([frame, filler[frame.columns]], ignore_index=True)


def _current(ms: MeasureStore, table: Table) -> pd.DataFrame:
    return ms.query(f"SELECT * FROM {ms.current_sql(table, None)}")  # noqa: S608 - our own table SQL


def load_events(ms: MeasureStore) -> dict[str, pd.DataFrame]:
    """Payment plans, CCSF, short-time work requests, BdF ratios and supplier flows.

    The latest version of each fact is kept with its own ``known_on``: a corrected
    fact counts from its correction, which can only delay it.
    """
    plans = _current(ms, Table.PAYMENT_PLANS)
    ccsf = _current(ms, Table.CCSF)
    ap = _current(ms, Table.AP_REQUESTS)
    bdf = _current(ms, Table.BDF_RATIOS)
    flows = _current(ms, Table.SUPPLIER_FLOWS)
    out = {
        "plans": pd.DataFrame(
            {
                "siren": plans.get("siren", pd.Series(dtype=str)),
                "start_month": months_of(plans.get("created_on", pd.Series(dtype=str))),
                "end_month": months_of(plans.get("due_on", pd.Series(dtype=str))),
                "amount": plans.get("amount", pd.Series(dtype=float)),
                "known_month": _known(plans.get("known_on", pd.Series(dtype=str))),
            }
        ),
        "ccsf": pd.DataFrame(
            {
                "siren": ccsf.get("siren", pd.Series(dtype=str)),
                "month": months_of(ccsf.get("processed_on", pd.Series(dtype=str))),
                "stage": ccsf.get("stage", pd.Series(dtype=str)),
                "known_month": _known(ccsf.get("known_on", pd.Series(dtype=str))),
            }
        ),
        "ap_requests": pd.DataFrame(
            {
                "siren": ap.get("siren", pd.Series(dtype=str)),
                "start_month": months_of(ap.get("starts_on", pd.Series(dtype=str))),
                "end_month": months_of(ap.get("ends_on", pd.Series(dtype=str))),
                "authorised_headcount": ap.get("headcount_authorised", pd.Series(dtype=float)),
                "authorised_hours": ap.get("hours_authorised", pd.Series(dtype=float)),
                "known_month": _known(ap.get("known_on", pd.Series(dtype=str))),
            }
        ),
        "flows": pd.DataFrame(
            {
                "supplier": flows.get("supplier", pd.Series(dtype=str)),
                "client": flows.get("client", pd.Series(dtype=str)),
                "month": months_of(flows.get("month", pd.Series(dtype=str))),
                "amount": flows.get("amount", pd.Series(dtype=float)),
                "known_month": _known(flows.get("known_on", pd.Series(dtype=str))),
            }
        ),
    }
    ratios = pd.DataFrame(
        {
            "siren": bdf.get("siren", pd.Series(dtype=str)),
            "closing_month": months_of(bdf.get("closed_on", pd.Series(dtype=str))),
            "known_month": _known(bdf.get("known_on", pd.Series(dtype=str))),
        }
    )
    for col in RATIO_COLUMNS:
        ratios[col] = pd.to_numeric(bdf.get(col, pd.Series(dtype=float)), errors="coerce")
    out["ratios"] = ratios
    return out


def load_inputs(
    store: GraphStore, ms: MeasureStore, first: int, last: int, last_depth: int | None = None
) -> FeatureInputs:
    """Every fact the features need, for delivery months ``first .. last``.

    Args:
        store: the graph.
        ms: the measure store.
        first: first month of measures read (feature history starts here).
        last: last month read (nothing known later is loaded).
        last_depth: months of history read in the last vintage (see :func:`load_monthly`).
    """
    companies, procedures, groups = load_graph_facts(store)
    events = load_events(ms)
    return FeatureInputs(
        companies=companies,
        procedures=procedures,
        monthly=load_monthly(ms, first, last, last_depth=last_depth),
        groups=groups,
        **events,
    )


def data_months(ms: MeasureStore) -> tuple[int, int]:
    """First and last month with a debt or headcount delivered (the range worth reading).

    Raises:
        ValueError: the measure store is empty.
    """
    rows = ms.query(
        f"SELECT min(known_on) AS lo, max(known_on) AS hi FROM {ms.raw_sql(Table.HEADCOUNT_ESTABLISHMENT)}"  # noqa: S608
    )
    lo, hi = rows.iloc[0]["lo"], rows.iloc[0]["hi"]
    if pd.isna(lo):
        rows = ms.query(f"SELECT min(known_on) AS lo, max(known_on) AS hi FROM {ms.raw_sql(Table.DEBT_LINES)}")  # noqa: S608
        lo, hi = rows.iloc[0]["lo"], rows.iloc[0]["hi"]
    if pd.isna(lo):
        raise ValueError("the measure store holds no headcount nor debt: run `signaux refresh` first")
    first = pd.Timestamp(lo)
    last = pd.Timestamp(hi)
    return first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
