"""Events derived from the measure store at the end of each delivery.

Only what the delivery brought is looked at (its partitions), read "as known by"
the delivery, so each event is derived once with the knowledge of that time and
merged again, unchanged in id, by a reload or a resumed run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from typing import Any, cast

import pandas as pd

from graphstore.measures import MeasureStore, Table, debt_panel, headcount_panel
from loaders.timeline.events import Event, EventKind, event_id

# A debt "grows" when it rises by at least this share of the previous month's debt
# and by at least this amount; smaller moves are routine payment timing.
DEBT_GROWTH_SHARE = 0.25
DEBT_GROWTH_MIN_EUR = 1000.0
# A headcount "drops" when it falls by at least this share and this many persons
# from one month to the next.
HEADCOUNT_DROP_SHARE = 0.2
HEADCOUNT_DROP_MIN = 3.0
# Companies per panel query when deriving events.
PANEL_COMPANIES = 2000


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
    """Debt appears (from nothing) or grows, month by month, for the companies the delivery touched."""
    touched = _of_delivery(
        ms, Table.DEBT_LINES, delivery, "siren, min(processed_on) AS lo, min(source_file) AS sf", "siren"
    )
    if touched.empty:
        return
    lo = _d(touched["lo"].min())
    first = (pd.Timestamp(lo) - pd.DateOffset(months=1)).date()
    months = _months(first, max(known_by, lo))
    source = {str(r["siren"]): r["sf"] for r in _records(touched)}
    for sirens in _in_chunks(sorted(source)):
        yield from _debt_events_of(ms, sirens, months, known_by, source)


def _in_chunks(sirens: list[str]) -> Iterator[list[str]]:
    # Panels are computed a few thousand companies at a time: memory stays flat
    # whatever the number of companies a delivery touches.
    for i in range(0, len(sirens), PANEL_COMPANIES):
        yield sirens[i : i + PANEL_COMPANIES]


def _debt_events_of(
    ms: MeasureStore, sirens: list[str], months: list[date], known_by: date, source: dict[str, str]
) -> Iterator[Event]:
    debts: dict[tuple[str, date], float] = {
        (str(r["siren"]), _d(r["month"])): float(r["debt"])
        for r in _records(debt_panel(months, known_by=known_by, sirens=sirens, store=ms))
    }
    for siren in sirens:
        for before_m, m in pairwise(months):
            before, cur = debts.get((siren, before_m), 0.0), debts.get((siren, m), 0.0)
            if cur <= before:
                continue
            if before == 0:
                kind, text = EventKind.DEBT_APPEARS, f"Apparition d'une dette URSSAF ({_fmt_eur(cur)})"
            elif cur - before >= max(DEBT_GROWTH_MIN_EUR, DEBT_GROWTH_SHARE * before):
                kind, text = EventKind.DEBT_GROWS, f"Dette URSSAF en hausse : {_fmt_eur(before)} → {_fmt_eur(cur)}"
            else:
                continue
            yield Event(
                event_id(kind, siren, m.strftime("%Y-%m")), siren, kind, "urssaf", m, text,
                {"month": m.strftime("%Y-%m"), "debt_before": before, "debt": cur}, str(source[siren]),
            )  # fmt: skip


def _changed_headcounts(ms: MeasureStore, table: Table, delivery: str, known_by: date) -> pd.DataFrame:
    # Headcount files are full stocks re-sending every month: only the (siren, month)
    # whose value differs from the previous stock of that table (by date) can change
    # an event. A month the previous stock lacks counts as changed (a superset is safe).
    key = "siret" if table is Table.HEADCOUNT_ESTABLISHMENT else "siren"
    raw = ms.raw_sql(table)
    return ms.query(
        f"""WITH cur AS (SELECT {key}, siren, month, headcount, source_file FROM {raw} WHERE delivery = $d),
                 prev_delivery AS (SELECT delivery FROM {raw} WHERE known_on < $k AND delivery <> $d
                                   ORDER BY known_on DESC, delivery DESC LIMIT 1),
                 prev AS (SELECT {key}, month, headcount FROM {raw}
                          WHERE delivery = (SELECT delivery FROM prev_delivery))
            SELECT siren, month, min(source_file) AS sf FROM cur
            WHERE NOT EXISTS (SELECT 1 FROM prev WHERE prev.{key} = cur.{key} AND prev.month = cur.month
                              AND prev.headcount IS NOT DISTINCT FROM cur.headcount)
            GROUP BY siren, month""",  # noqa: S608
        {"d": delivery, "k": known_by},
    )


def headcount_events(ms: MeasureStore, delivery: str, known_by: date) -> Iterator[Event]:
    """Month-on-month headcount drops where the delivery changed a month's headcount (or the one before)."""
    parts = [
        _changed_headcounts(ms, t, delivery, known_by) for t in (Table.HEADCOUNT_COMPANY, Table.HEADCOUNT_ESTABLISHMENT)
    ]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return
    changed = pd.concat(parts).drop_duplicates(["siren", "month"])
    # A drop at month m compares m with m - 1: a change at m matters for m and m + 1.
    after = changed.assign(month=changed["month"] + pd.DateOffset(months=1))
    affected = pd.concat([changed, after]).drop_duplicates(["siren", "month"])
    source = {str(r["siren"]): r["sf"] for r in _records(changed.drop_duplicates("siren"))}
    lo = (pd.Timestamp(changed["month"].min()) - pd.DateOffset(months=1)).date()
    months = _months(lo, _d(affected["month"].max()))
    for sirens in _in_chunks(sorted(source)):
        chunk = affected[affected["siren"].isin(sirens)]
        yield from _headcount_events_of(ms, sirens, months, known_by, chunk, source)


def _headcount_events_of(
    ms: MeasureStore, sirens: list[str], months: list[date], known_by: date, affected: pd.DataFrame,
    source: dict[str, str],
) -> Iterator[Event]:  # fmt: skip
    panel = headcount_panel(months, known_by=known_by, sirens=sirens, store=ms)
    panel = panel.sort_values(["siren", "month"])
    panel["before"] = panel.groupby("siren")["headcount"].shift(1)
    panel["gap"] = panel["month"] - panel.groupby("siren")["month"].shift(1)
    drops = panel[
        (panel["gap"] <= pd.Timedelta(days=31))
        & (panel["before"] - panel["headcount"] >= HEADCOUNT_DROP_MIN)
        & (panel["headcount"] <= panel["before"] * (1 - HEADCOUNT_DROP_SHARE))
    ]
    drops = drops.merge(affected[["siren", "month"]].astype({"month": drops["month"].dtype}), on=["siren", "month"])
    for r in _records(drops):
        m = _d(r["month"])
        yield Event(
            event_id(EventKind.HEADCOUNT_DROP, r["siren"], m.strftime("%Y-%m")), str(r["siren"]),
            EventKind.HEADCOUNT_DROP, "urssaf", m,
            f"Baisse d'effectif : {r['before']:.0f} → {r['headcount']:.0f} salariés",
            {"month": m.strftime("%Y-%m"), "before": float(r["before"]), "headcount": float(r["headcount"])},
            str(source[str(r["siren"])]),
        )  # fmt: skip


def measure_events(ms: MeasureStore, delivery: str, known_by: date) -> Iterator[Event]:
    """Every event the delivery's measure files imply."""
    yield from payment_plan_events(ms, delivery)
    yield from ccsf_events(ms, delivery)
    yield from short_time_work_events(ms, delivery, known_by)
    yield from debt_events(ms, delivery, known_by)
    yield from headcount_events(ms, delivery, known_by)
