"""Events derived from the measure store at the end of each delivery.

Only what the delivery brought is looked at (its partitions), read "as known by"
the delivery, so each event is derived once with the knowledge of that time and
merged again, unchanged in id, by a reload or a resumed run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, cast

import pandas as pd

from graphstore.measures import MeasureStore, Table

# The headcount rule (company file first, else the sum of the establishments) and the
# debt rebuild (SOURCES.md §2) in SQL, so that events are found inside DuckDB;
# graphstore.measures has no public name for them.
from graphstore.measures.readers import debt_sql, headcount_sql
from loaders.timeline.events import Event, EventKind, event_id

# A debt "grows" when it rises by at least this share of the previous month's debt
# and by at least this amount; smaller moves are routine payment timing.
DEBT_GROWTH_SHARE = 0.25
DEBT_GROWTH_MIN_EUR = 1000.0
# A headcount "drops" when it falls by at least this share and this many persons
# from one month to the next.
HEADCOUNT_DROP_SHARE = 0.2
HEADCOUNT_DROP_MIN = 3.0
# Rows per batch when streaming derived rows out of DuckDB.
PANEL_ROWS = 5000


def _of_delivery(ms: MeasureStore, table: Table, delivery: str, columns: str, group_by: str = "") -> pd.DataFrame:
    group = f"GROUP BY {group_by}" if group_by else ""
    return ms.query(f"SELECT {columns} FROM {ms.raw_sql(table)} WHERE delivery = $d {group}", {"d": delivery})  # noqa: S608


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    # Plain dicts: pandas' scalar types are not what mypy or Neo4j want.
    return cast(list[dict[str, Any]], df.to_dict("records"))


def _isna(v: Any) -> bool:
    return v is None or bool(pd.isna(v))


def _d(v: object) -> date:
    return pd.Timestamp(v).date()  # type: ignore[arg-type]


def _months(lo: date, hi: date) -> list[date]:
    return [t.date() for t in pd.date_range(lo.replace(day=1), hi.replace(day=1), freq="MS")]


def _fmt_eur(v: float) -> str:
    return f"{v:,.0f} €".replace(",", " ")


def payment_plan_events(ms: MeasureStore, delivery: str) -> Iterator[Event]:
    """A payment plan granted (délai), one per (account, creation date)."""
    df = _of_delivery(
        ms, Table.PAYMENT_PLANS, delivery, "siren, compte, created_on, amount, duration_days, source_file"
    )
    for r in _records(df):
        amount = None if _isna(r["amount"]) else float(r["amount"])
        yield Event(
            event_id(EventKind.PAYMENT_PLAN, r["compte"], _d(r["created_on"])), str(r["siren"]),
            EventKind.PAYMENT_PLAN, "urssaf", _d(r["created_on"]),
            "Délai de paiement accordé" + (f" ({_fmt_eur(amount)})" if amount is not None else ""),
            {"compte": r["compte"], "amount": amount,
             "duration_days": None if _isna(r["duration_days"]) else int(r["duration_days"])},
            str(r["source_file"]),
        )  # fmt: skip


def ccsf_events(ms: MeasureStore, delivery: str) -> Iterator[Event]:
    """A CCSF stage reached, one per (account, date, stage)."""
    df = _of_delivery(ms, Table.CCSF, delivery, "siren, compte, processed_on, stage, source_file")
    for r in _records(df):
        on = _d(r["processed_on"])
        yield Event(
            event_id(EventKind.CCSF, r["compte"], on, r["stage"]), str(r["siren"]), EventKind.CCSF, "urssaf", on,
            f"CCSF : {r['stage']}", {"compte": r["compte"], "stage": r["stage"]}, str(r["source_file"]),
        )  # fmt: skip


def short_time_work_events(ms: MeasureStore, delivery: str, known_by: date) -> Iterator[Event]:
    """Short-time work requested (per request) and first used (per request, with hours so far)."""
    req = _of_delivery(
        ms, Table.AP_REQUESTS, delivery, "siren, id_da, status_on, starts_on, ends_on, hours_authorised, source_file"
    )
    for r in _records(req):
        on = _d(r["starts_on"] if _isna(r["status_on"]) else r["status_on"])
        hours = None if _isna(r["hours_authorised"]) else float(r["hours_authorised"])
        yield Event(
            event_id(EventKind.SHORT_TIME_WORK_REQUESTED, r["id_da"]), str(r["siren"]),
            EventKind.SHORT_TIME_WORK_REQUESTED, "dgefp", on,
            "Demande d'activité partielle" + (f" ({hours:,.0f} h autorisées)".replace(",", " ") if hours else ""),
            {"id_da": r["id_da"], "hours_authorised": hours, "starts_on": _d(r["starts_on"]),
             "ends_on": _d(r["ends_on"])},
            str(r["source_file"]),
        )  # fmt: skip
    used = ms.query(
        f"""SELECT siren, id_da, min(month) AS first_month, sum(hours) AS hours, arg_max(source_file, known_on) AS sf
            FROM {ms.current_sql(Table.AP_USAGE, known_by)}
            WHERE id_da IN (SELECT id_da FROM {ms.raw_sql(Table.AP_USAGE)} WHERE delivery = $d)
            GROUP BY siren, id_da""",  # noqa: S608
        {"d": delivery},
    )
    for r in _records(used):
        yield Event(
            event_id(EventKind.SHORT_TIME_WORK_USED, r["id_da"]), str(r["siren"]), EventKind.SHORT_TIME_WORK_USED,
            "dgefp", _d(r["first_month"]),
            f"Recours à l'activité partielle ({float(r['hours']):,.0f} h consommées)".replace(",", " "),
            {"id_da": r["id_da"], "hours_used": float(r["hours"])}, str(r["sf"]),
        )  # fmt: skip


def debt_events(ms: MeasureStore, delivery: str, known_by: date) -> Iterator[Event]:
    """Debt appears (from nothing) or grows, month by month, for the companies the delivery touched.

    The months run from the month before the earliest state the delivery brought to
    the delivery's month. One DuckDB query rebuilds the debts of the touched
    companies at those months' ends (``graphstore.measures`` rule) and keeps the
    months where the debt rose enough; only those come back to Python.
    """
    raw = ms.raw_sql(Table.DEBT_LINES)
    lo_row = ms.arrow(f"SELECT min(processed_on) AS lo FROM {raw} WHERE delivery = $d", {"d": delivery})  # noqa: S608
    lo = lo_row.column("lo")[0].as_py()
    if lo is None:
        return
    first = (pd.Timestamp(lo) - pd.DateOffset(months=1)).date()
    months = _months(first, max(known_by, lo))
    where = "AND siren IN (SELECT siren FROM touched)"
    sql = f"""
        WITH touched AS (SELECT siren, min(source_file) AS sf FROM {raw} WHERE delivery = $d GROUP BY siren),
             debts AS ({debt_sql(ms, known_by, where)}),
             grid AS (SELECT t.siren, m.month FROM touched t CROSS JOIN (SELECT unnest($months::DATE[]) AS month) m),
             filled AS (SELECT g.siren, g.month, coalesce(x.debt, 0.0) AS debt
                        FROM grid g LEFT JOIN debts x ON x.siren = g.siren AND x.month = g.month),
             lagged AS (SELECT siren, month, debt, lag(debt) OVER (PARTITION BY siren ORDER BY month) AS before
                        FROM filled)
        SELECT l.siren, l.month, l.before, l.debt, t.sf FROM lagged l JOIN touched t ON t.siren = l.siren
        WHERE l.before IS NOT NULL AND l.debt > l.before
          AND (l.before = 0 OR l.debt - l.before >= greatest($grow_min, $grow_share * l.before))
        ORDER BY l.siren, l.month"""  # noqa: S608
    params = {"d": delivery, "months": months, "grow_min": DEBT_GROWTH_MIN_EUR, "grow_share": DEBT_GROWTH_SHARE}
    for batch in ms.batches(sql, params, rows=PANEL_ROWS):
        for r in batch.to_pylist():
            siren, m, before, cur = str(r["siren"]), r["month"], float(r["before"]), float(r["debt"])
            if before == 0:
                kind, text = EventKind.DEBT_APPEARS, f"Apparition d'une dette URSSAF ({_fmt_eur(cur)})"
            else:
                kind, text = EventKind.DEBT_GROWS, f"Dette URSSAF en hausse : {_fmt_eur(before)} → {_fmt_eur(cur)}"
            yield Event(
                event_id(kind, siren, m.strftime("%Y-%m")), siren, kind, "urssaf", m, text,
                {"month": m.strftime("%Y-%m"), "debt_before": before, "debt": cur}, str(r["sf"]),
            )  # fmt: skip


def _changed_headcounts_sql(ms: MeasureStore, table: Table) -> str:
    # Headcount files are full stocks re-sending every month: only the (siren, month)
    # whose value differs from the previous stock of that table (by date) can change
    # an event. A month the previous stock lacks counts as changed (a superset is safe).
    key = "siret" if table is Table.HEADCOUNT_ESTABLISHMENT else "siren"
    raw = ms.raw_sql(table)
    return f"""(WITH cur AS (SELECT {key}, siren, month, headcount, source_file FROM {raw} WHERE delivery = $d),
                 prev_delivery AS (SELECT delivery FROM {raw} WHERE known_on < $k AND delivery <> $d
                                   ORDER BY known_on DESC, delivery DESC LIMIT 1),
                 prev AS (SELECT {key}, month, headcount FROM {raw}
                          WHERE delivery = (SELECT delivery FROM prev_delivery))
            SELECT siren, month, min(source_file) AS sf FROM cur
            WHERE NOT EXISTS (SELECT 1 FROM prev WHERE prev.{key} = cur.{key} AND prev.month = cur.month
                              AND prev.headcount IS NOT DISTINCT FROM cur.headcount)
            GROUP BY siren, month)"""  # noqa: S608


def headcount_events(ms: MeasureStore, delivery: str, known_by: date) -> Iterator[Event]:
    """Month-on-month headcount drops where the delivery changed a month's headcount (or the one before).

    One DuckDB query: the changed (siren, month), the months they affect (a drop at m
    compares m with m - 1, so a change at m matters for m and m + 1), the headcount
    as known by the delivery of those months and the months before them only, and
    the drops among them. Only the drops come back to Python: memory does not grow
    with the companies or the months of the store.
    """
    sql = f"""
        WITH changed AS (SELECT siren, month, sf, 0 AS level FROM {_changed_headcounts_sql(ms, Table.HEADCOUNT_COMPANY)}
                         UNION ALL
                         SELECT siren, month, sf, 1 AS level
                         FROM {_changed_headcounts_sql(ms, Table.HEADCOUNT_ESTABLISHMENT)}),
             source AS (SELECT siren, first(sf ORDER BY level, sf) AS sf FROM changed GROUP BY siren),
             affected AS (SELECT DISTINCT siren, month FROM (
                              SELECT siren, month FROM changed
                              UNION ALL SELECT siren, CAST(month + INTERVAL 1 MONTH AS DATE) FROM changed)),
             needed AS (SELECT siren, month FROM affected
                        UNION SELECT siren, CAST(month - INTERVAL 1 MONTH AS DATE) FROM affected),
             panel AS ({headcount_sql(ms, known_by, "AND (siren, month) IN (SELECT siren, month FROM needed)")}),
             lagged AS (SELECT siren, month, headcount, lag(headcount) OVER w AS before,
                               lag(month) OVER w AS before_month
                        FROM panel WINDOW w AS (PARTITION BY siren ORDER BY month))
        SELECT l.siren, l.month, l.before, l.headcount, s.sf
        FROM lagged l JOIN affected a ON a.siren = l.siren AND a.month = l.month
             JOIN source s ON s.siren = l.siren
        WHERE l.before_month = CAST(l.month - INTERVAL 1 MONTH AS DATE)
          AND l.before - l.headcount >= $drop_min AND l.headcount <= l.before * $kept
        ORDER BY l.siren, l.month"""  # noqa: S608
    params = {"d": delivery, "k": known_by, "drop_min": HEADCOUNT_DROP_MIN, "kept": 1 - HEADCOUNT_DROP_SHARE}
    for batch in ms.batches(sql, params, rows=PANEL_ROWS):
        for r in batch.to_pylist():
            m = r["month"]
            yield Event(
                event_id(EventKind.HEADCOUNT_DROP, r["siren"], m.strftime("%Y-%m")), str(r["siren"]),
                EventKind.HEADCOUNT_DROP, "urssaf", m,
                f"Baisse d'effectif : {r['before']:.0f} → {r['headcount']:.0f} salariés",
                {"month": m.strftime("%Y-%m"), "before": float(r["before"]), "headcount": float(r["headcount"])},
                str(r["sf"]),
            )  # fmt: skip


def measure_events(ms: MeasureStore, delivery: str, known_by: date) -> Iterator[Event]:
    """Every event the delivery's measure files imply."""
    yield from payment_plan_events(ms, delivery)
    yield from ccsf_events(ms, delivery)
    yield from short_time_work_events(ms, delivery, known_by)
    yield from debt_events(ms, delivery, known_by)
    yield from headcount_events(ms, delivery, known_by)
