"""Domain readers of the measure store, for the API (one company) and the model (panels).

Every reader takes ``known_by``: only deliveries known on or before that date are
used, and a fact re-sent later (same key) is read in its latest known version.
Months are dates on the first day of the month; money is in euros. Arguments
take ``datetime.date``; date columns come back as pandas ``datetime64`` (use
``.dt.date`` for Python dates).
"""

# SQL text here is assembled from fixed fragments and our own table paths; every
# value from callers goes in as a DuckDB parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import pandas as pd

from graphstore.measures.store import MeasureStore
from graphstore.measures.tables import Table

FTE_HOURS = 151.67  # monthly hours of one full-time job (SOURCES.md §3)


@lru_cache(maxsize=1)
def default_store() -> MeasureStore:
    """The process-wide measure store on ``StoreSettings.measures_dir``."""
    return MeasureStore()


def _st(store: MeasureStore | None) -> MeasureStore:
    return store or default_store()


def _months(months: Sequence[date]) -> list[date]:
    return sorted({m.replace(day=1) for m in months})


def _siren_filter(sirens: Sequence[str] | None, col: str = "siren") -> str:
    return f"AND {col} IN (SELECT unnest($sirens::VARCHAR[]))" if sirens is not None else ""


# -- headcount ------------------------------------------------------------------


def headcount_sql(st: MeasureStore, known_by: date | None, where: str) -> str:
    """The SQL of the company-month headcount panel as known by ``known_by``.

    Args:
        st: the measure store whose tables the SQL reads.
        known_by: the vintage (``None``: everything stored).
        where: extra ``AND ...`` conditions on ``siren`` and ``month`` only.
    """
    # The company-level file wins for a month it covers; otherwise the sum of the
    # establishments' headcounts of that month. ``where`` filters on siren and month
    # only (a SIRET's SIREN never changes), so it can go before the latest-version
    # window: the window then runs over the companies and months asked for only.
    return f"""
        WITH c AS (SELECT siren, month, headcount FROM {st.current_sql(Table.HEADCOUNT_COMPANY, known_by, where)}),
             e AS (SELECT siren, month, sum(headcount) AS headcount
                   FROM {st.current_sql(Table.HEADCOUNT_ESTABLISHMENT, known_by, where)}
                   WHERE headcount IS NOT NULL GROUP BY siren, month)
        SELECT coalesce(c.siren, e.siren) AS siren, coalesce(c.month, e.month) AS month,
               coalesce(c.headcount, e.headcount) AS headcount
        FROM c FULL OUTER JOIN e ON c.siren = e.siren AND c.month = e.month
        ORDER BY siren, month"""


def headcount_series(siren: str, known_by: date | None = None, store: MeasureStore | None = None) -> pd.DataFrame:
    """Monthly headcount of a company.

    Args:
        siren: the company.
        known_by: use only deliveries known by this date; all when None.
        store: the measure store; the default one when omitted.

    Returns:
        Columns ``month``, ``headcount`` (persons), one row per known month.
    """
    st = _st(store)
    df = st.query(headcount_sql(st, known_by, "AND siren = $siren"), {"siren": siren})
    return df[["month", "headcount"]].reset_index(drop=True)


def headcount_panel(
    months: Sequence[date], known_by: date | None = None, sirens: Sequence[str] | None = None,
    store: MeasureStore | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Headcount of many companies over given months (long format).

    Args:
        months: the months wanted.
        known_by: use only deliveries known by this date; all when None.
        sirens: restrict to these companies; all when None.
        store: the measure store; the default one when omitted.

    Returns:
        Columns ``siren``, ``month``, ``headcount``; a missing row is an unknown value.
    """
    st = _st(store)
    params: dict[str, object] = {"months": _months(months)}
    if sirens is not None:
        params["sirens"] = list(sirens)
    where = "AND month IN (SELECT unnest($months::DATE[])) " + _siren_filter(sirens)
    return st.query(headcount_sql(st, known_by, where), params)


# -- debts ----------------------------------------------------------------------


def debt_sql(st: MeasureStore, known_by: date | None, where: str) -> str:
    """The SQL of the monthly debt of each company, rebuilt from its line histories as known by ``known_by``.

    Args:
        st: the measure store whose tables the SQL reads.
        known_by: the vintage (``None``: everything stored).
        where: extra ``AND ...`` conditions on the debt lines' columns.
    """
    # SOURCES.md §2: a line (num_cpte, period, num_ecn) has successive states; at a
    # date the current one is the latest Dt_trt_ecn on or before it (then the highest
    # Num_Hist_Ecn). Each state therefore holds from its date to the next state's date.
    return f"""
        WITH s AS (SELECT * FROM {st.current_sql(Table.DEBT_LINES, known_by)} WHERE true {where}),
             iv AS (SELECT siren, amount_po, amount_pp, processed_on AS valid_from,
                           lead(processed_on) OVER (PARTITION BY num_cpte, period_start, period_end, num_ecn
                                                    ORDER BY processed_on, num_hist_ecn) AS valid_to
                    FROM s),
             m AS (SELECT unnest($months::DATE[]) AS month)
        SELECT iv.siren, m.month,
               sum(iv.amount_po) / 100.0 AS debt_employee, sum(iv.amount_pp) / 100.0 AS debt_employer,
               sum(iv.amount_po + iv.amount_pp) / 100.0 AS debt
        FROM m JOIN iv ON iv.valid_from <= last_day(m.month)
                      AND (iv.valid_to IS NULL OR iv.valid_to > last_day(m.month))
        GROUP BY iv.siren, m.month ORDER BY iv.siren, m.month"""


def debt_series(
    siren: str, known_by: date | None = None, months: Sequence[date] | None = None,
    store: MeasureStore | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Social-contribution debt of a company at each month's end, rebuilt from its lines.

    Args:
        siren: the company.
        known_by: use only deliveries known by this date; all when None.
        months: the months wanted; by default every month from the first state of
            one of its lines to the last one (or ``known_by``'s month).
        store: the measure store; the default one when omitted.

    Returns:
        Columns ``month``, ``debt_employee`` (part ouvrière), ``debt_employer`` (part
        patronale), ``debt`` (their sum), in euros; 0 for a month without debt.
    """
    st = _st(store)
    if months is None:
        bounds = st.query(
            f"SELECT min(processed_on) AS lo, max(processed_on) AS hi "
            f"FROM {st.current_sql(Table.DEBT_LINES, known_by)} WHERE siren = $siren",
            {"siren": siren},
        )
        lo, hi = bounds.iloc[0]["lo"], bounds.iloc[0]["hi"]
        if pd.isna(lo):
            return pd.DataFrame(columns=["month", "debt_employee", "debt_employer", "debt"])
        end = max(pd.Timestamp(hi), pd.Timestamp(known_by)) if known_by else pd.Timestamp(hi)
        months = [d.date() for d in pd.date_range(pd.Timestamp(lo).replace(day=1), end, freq="MS")]
    wanted = _months(months)
    df = st.query(debt_sql(st, known_by, "AND siren = $siren"), {"siren": siren, "months": wanted})
    frame = pd.DataFrame({"month": pd.to_datetime(wanted)}).astype({"month": df["month"].dtype})
    out = frame.merge(df.drop(columns="siren"), on="month", how="left")
    return out.fillna({"debt_employee": 0.0, "debt_employer": 0.0, "debt": 0.0})


def debt_panel(
    months: Sequence[date], known_by: date | None = None, sirens: Sequence[str] | None = None,
    store: MeasureStore | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Debts of many companies at the end of given months (long format).

    Args:
        months: the months wanted.
        known_by: use only deliveries known by this date; all when None.
        sirens: restrict to these companies; all when None.
        store: the measure store; the default one when omitted.

    Returns:
        Columns ``siren``, ``month``, ``debt_employee``, ``debt_employer``, ``debt``
        (euros); a company-month without any open line is absent (debt 0).
    """
    st = _st(store)
    params: dict[str, object] = {"months": _months(months)}
    if sirens is not None:
        params["sirens"] = list(sirens)
    return st.query(debt_sql(st, known_by, _siren_filter(sirens)), params)


# -- contributions, plans, CCSF ---------------------------------------------------


def contributions_series(siren: str, known_by: date | None = None, store: MeasureStore | None = None) -> pd.DataFrame:
    """Contributions due and paid by a company, per period.

    Returns:
        Columns ``period_start``, ``months`` (length of the period), ``due``, ``paid``,
        ``mer`` (euros), summed over the company's accounts.
    """
    st = _st(store)
    return st.query(
        f"SELECT period_start, months, sum(due) AS due, sum(paid) AS paid, sum(mer) AS mer "
        f"FROM {st.current_sql(Table.CONTRIBUTIONS, known_by)} WHERE siren = $siren "
        "GROUP BY period_start, months ORDER BY period_start",
        {"siren": siren},
    )


def contributions_panel(
    months: Sequence[date], known_by: date | None = None, store: MeasureStore | None = None
) -> pd.DataFrame:
    """Contributions due and paid per company and period start month (long format)."""
    st = _st(store)
    return st.query(
        f"SELECT siren, period_start AS month, sum(due) AS due, sum(paid) AS paid "
        f"FROM {st.current_sql(Table.CONTRIBUTIONS, known_by)} "
        "WHERE period_start IN (SELECT unnest($months::DATE[])) GROUP BY siren, period_start ORDER BY 1, 2",
        {"months": _months(months)},
    )


def payment_plans(siren: str, known_by: date | None = None, store: MeasureStore | None = None) -> pd.DataFrame:
    """Payment plans (délais) granted to a company: dates, duration, amount (euros), stage."""
    st = _st(store)
    return st.query(
        f"SELECT compte, siret, created_on, due_on, duration_days, amount, stage, action, known_on "
        f"FROM {st.current_sql(Table.PAYMENT_PLANS, known_by)} WHERE siren = $siren ORDER BY created_on",
        {"siren": siren},
    )


def ccsf_history(siren: str, known_by: date | None = None, store: MeasureStore | None = None) -> pd.DataFrame:
    """CCSF stages reached by a company (DEBUT, REFUS, APPROB, FIN, REJ), by date."""
    st = _st(store)
    return st.query(
        f"SELECT compte, siret, processed_on, stage, action, known_on "
        f"FROM {st.current_sql(Table.CCSF, known_by)} WHERE siren = $siren ORDER BY processed_on, stage",
        {"siren": siren},
    )


# -- short-time work ------------------------------------------------------------


def short_time_work(siren: str, known_by: date | None = None, store: MeasureStore | None = None) -> pd.DataFrame:
    """Short-time work of a company per month: authorised (requests) and used.

    Returns:
        Columns ``month``, ``hours_used``, ``amount_used`` (euros), ``fte_used``
        (hours / 151.67), ``requests`` (requests whose period covers the month),
        ``hours_authorised`` (their hours spread evenly over their months).
    """
    st = _st(store)
    return st.query(
        f"""
        WITH u AS (SELECT month, sum(hours) AS hours_used, sum(amount) AS amount_used
                   FROM {st.current_sql(Table.AP_USAGE, known_by)} WHERE siren = $siren GROUP BY month),
             r AS (SELECT id_da, hours_authorised,
                          unnest(generate_series(date_trunc('month', starts_on),
                                                 date_trunc('month', coalesce(ends_on, starts_on)),
                                                 INTERVAL 1 MONTH))::DATE AS month
                   FROM {st.current_sql(Table.AP_REQUESTS, known_by)}
                   WHERE siren = $siren AND starts_on IS NOT NULL),
             rn AS (SELECT *, count(*) OVER (PARTITION BY id_da) AS n_months FROM r),
             ra AS (SELECT month, count(*) AS requests, sum(hours_authorised / n_months) AS hours_authorised
                    FROM rn GROUP BY month)
        SELECT coalesce(u.month, ra.month) AS month, coalesce(hours_used, 0) AS hours_used,
               coalesce(amount_used, 0) AS amount_used, coalesce(hours_used, 0) / {FTE_HOURS} AS fte_used,
               coalesce(requests, 0) AS requests, coalesce(ra.hours_authorised, 0) AS hours_authorised
        FROM u FULL OUTER JOIN ra ON u.month = ra.month ORDER BY 1""",
        {"siren": siren},
    )


def short_time_work_panel(
    months: Sequence[date], known_by: date | None = None, store: MeasureStore | None = None
) -> pd.DataFrame:
    """Short-time work used per company and month: ``hours_used``, ``fte_used``, ``amount_used``."""
    st = _st(store)
    return st.query(
        f"SELECT siren, month, sum(hours) AS hours_used, sum(hours) / {FTE_HOURS} AS fte_used, "
        f"sum(amount) AS amount_used FROM {st.current_sql(Table.AP_USAGE, known_by)} "
        "WHERE month IN (SELECT unnest($months::DATE[])) GROUP BY siren, month ORDER BY 1, 2",
        {"months": _months(months)},
    )


# -- Banque de France -----------------------------------------------------------


def _bdf_sql(st: MeasureStore, known_by: date | None, where: str) -> str:
    # No filing date is delivered: never usable before 4 months after the closing.
    usable = f"AND closed_on + INTERVAL 4 MONTH <= DATE '{known_by.isoformat()}'" if known_by else ""
    return (
        f"SELECT * EXCLUDE (delivery, source_file) FROM {st.current_sql(Table.BDF_RATIOS, known_by)} "
        f"WHERE true {usable} {where} ORDER BY siren, closed_on"
    )


def bdf_ratios(siren: str, known_by: date | None = None, store: MeasureStore | None = None) -> pd.DataFrame:
    """Yearly Banque de France ratios of a company (%, ``delai_fournisseurs`` in days)."""
    st = _st(store)
    return st.query(_bdf_sql(st, known_by, "AND siren = $siren"), {"siren": siren})


def bdf_panel(
    known_by: date | None = None, sirens: Sequence[str] | None = None, store: MeasureStore | None = None
) -> pd.DataFrame:
    """The ratios of every company as known by a date, one row per balance sheet."""
    st = _st(store)
    return st.query(_bdf_sql(st, known_by, _siren_filter(sirens)), {"sirens": list(sirens)} if sirens else None)


# -- supplier flows -------------------------------------------------------------


def supplier_flows(siren: str, known_by: date | None = None, store: MeasureStore | None = None) -> pd.DataFrame:
    """Monthly invoicing where the company is supplier or client.

    Returns:
        Columns ``supplier``, ``client``, ``month``, ``amount`` (euros excl. VAT), ``invoices``.
    """
    st = _st(store)
    return st.query(
        f"SELECT supplier, client, month, amount, invoices FROM {st.current_sql(Table.SUPPLIER_FLOWS, known_by)} "
        "WHERE supplier = $siren OR client = $siren ORDER BY month, supplier, client",
        {"siren": siren},
    )


def supplier_dependencies_sql(st: MeasureStore, as_of: date | None = None, known_by: date | None = None) -> str:
    """SQL of ``supplier_dependencies`` (for callers that want Arrow rather than pandas)."""
    flows = st.current_sql(Table.SUPPLIER_FLOWS, known_by)
    # The first delivery that showed the pair, corrections aside (every version counts).
    known = f"(SELECT * FROM {st.raw_sql(Table.SUPPLIER_FLOWS)}" + (
        f" WHERE known_on <= DATE '{known_by.isoformat()}')" if known_by else ")"
    )
    end = f"DATE '{as_of.replace(day=1).isoformat()}'" if as_of else f"(SELECT max(month) FROM {flows})"
    return f"""
        WITH f AS (SELECT supplier, client, month, amount, known_on, source_file FROM {flows}),
             e AS (SELECT {end} AS end_month),
             w AS (SELECT supplier, client, sum(amount) AS amount_12m FROM f, e
                   WHERE month > end_month - INTERVAL 12 MONTH AND month <= end_month GROUP BY ALL),
             sales AS (SELECT supplier, sum(amount_12m) AS total FROM w GROUP BY supplier),
             purchases AS (SELECT client, sum(amount_12m) AS total FROM w GROUP BY client),
             life AS (SELECT supplier, client, min(month) AS since, max(month) AS last_month,
                             arg_max(source_file, known_on) AS source_file
                      FROM f, e WHERE month <= end_month GROUP BY ALL),
             seen AS (SELECT supplier, client, min(known_on) AS first_known_on FROM {known} GROUP BY ALL)
        SELECT life.supplier, life.client, life.since, life.last_month, seen.first_known_on,
               coalesce(w.amount_12m, 0) AS amount_12m,
               coalesce(w.amount_12m / nullif(sales.total, 0), 0) AS supplier_dependency,
               coalesce(w.amount_12m / nullif(purchases.total, 0), 0) AS client_dependency,
               life.source_file
        FROM life LEFT JOIN w USING (supplier, client) LEFT JOIN seen USING (supplier, client)
             LEFT JOIN sales ON sales.supplier = life.supplier
             LEFT JOIN purchases ON purchases.client = life.client
        ORDER BY 1, 2"""


def supplier_dependencies(
    as_of: date | None = None, known_by: date | None = None, store: MeasureStore | None = None
) -> pd.DataFrame:
    """Every supplier-client pair with its trailing-12-month amount and dependencies.

    Args:
        as_of: the last month of the 12-month window; the latest month known when None.
        known_by: use only deliveries known by this date; all when None.
        store: the measure store; the default one when omitted.

    Returns:
        Columns ``supplier``, ``client``, ``since`` and ``last_month`` (first and last
        month invoiced), ``amount_12m`` (euros), ``supplier_dependency`` (the client's
        share of the supplier's 12-month sales), ``client_dependency`` (the supplier's
        share of the client's 12-month purchases), ``source_file`` (the file that last
        changed the pair); dependencies are 0 outside the window.
    """
    st = _st(store)
    return st.query(supplier_dependencies_sql(st, as_of, known_by))
