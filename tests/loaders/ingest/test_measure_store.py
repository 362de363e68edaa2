"""The measure store: atomic partitions, "known by" semantics, corrections, debts from line histories."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from graphstore.measures import (
    MeasureStore,
    Provenance,
    Table,
    debt_panel,
    debt_series,
    headcount_panel,
    headcount_series,
    supplier_dependencies,
)


def _state(
    cpte: str, period: str, ecn: str, hist: int, on: date, po: int, pp: int, siren: str = "111111118"
) -> dict[str, Any]:
    return {
        "num_cpte": cpte, "siren": siren, "siret": siren + "00011", "period_start": date(int(period[:4]), 3 * int(period[5]) - 2, 1),
        "period_end": date(int(period[:4]), 3 * int(period[5]), 1), "num_ecn": ecn,
        "num_hist_ecn": hist, "processed_on": on, "amount_po": po, "amount_pp": pp,
    }  # fmt: skip


@pytest.fixture
def ms(tmp_path: Path) -> MeasureStore:
    return MeasureStore(tmp_path / "measures")


JAN, FEB, MAR, APR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)


def ts(d: date) -> pd.Timestamp:
    return pd.Timestamp(d)


def _load_history(ms: MeasureStore) -> None:
    # Delivery 2024-03 (known 2024-03-31): lines A and B.
    ms.write(
        Table.DEBT_LINES,
        [
            _state("C1", "2024Q1", "1", 1, date(2024, 1, 15), 10_000, 20_000),  # A: 300 € from Jan 15
            _state("C1", "2024Q1", "1", 2, date(2024, 3, 10), 0, 5_000),  # A: down to 50 € on Mar 10
            _state("C1", "2024Q2", "2", 1, date(2024, 2, 20), 1_000, 1_000),  # B: 20 € ...
            _state("C1", "2024Q2", "2", 2, date(2024, 2, 20), 0, 0),  # ... settled the same day
        ],
        Provenance("2024-03", date(2024, 3, 31), "sigfaible_debits_a.csv"),
    )
    # Delivery 2024-04 (known 2024-04-30) brings a late line C dated Feb 1.
    ms.write(
        Table.DEBT_LINES,
        [_state("C2", "2024Q1", "7", 1, date(2024, 2, 1), 4_000, 6_000)],  # C: 100 € from Feb 1
        Provenance("2024-04", date(2024, 4, 30), "sigfaible_debits_b.csv"),
    )


def test_debt_is_rebuilt_from_line_histories(ms: MeasureStore) -> None:
    _load_history(ms)
    got = debt_series("111111118", months=[JAN, FEB, MAR, APR], store=ms)
    assert got["debt"].tolist() == [300.0, 400.0, 150.0, 150.0]
    assert got["debt_employee"].tolist() == [100.0, 140.0, 40.0, 40.0]
    assert got["debt_employer"].tolist() == [200.0, 260.0, 110.0, 110.0]


def test_known_by_ignores_later_deliveries(ms: MeasureStore) -> None:
    _load_history(ms)
    got = debt_series("111111118", known_by=date(2024, 3, 31), months=[JAN, FEB, MAR], store=ms)
    assert got["debt"].tolist() == [300.0, 300.0, 50.0]
    # Before any delivery nothing is known.
    assert debt_series("111111118", known_by=date(2024, 1, 31), store=ms).empty


def test_a_corrected_state_replaces_the_earlier_one_once_known(ms: MeasureStore) -> None:
    _load_history(ms)
    ms.write(
        Table.DEBT_LINES,
        [_state("C1", "2024Q1", "1", 2, date(2024, 3, 10), 0, 7_000)],  # A's state 2 re-sent: 70 €
        Provenance("2024-05", date(2024, 5, 31), "sigfaible_debits_c.csv"),
    )
    assert debt_series("111111118", months=[MAR], store=ms)["debt"].tolist() == [170.0]
    assert debt_series("111111118", known_by=date(2024, 4, 30), months=[MAR], store=ms)["debt"].tolist() == [150.0]


def test_default_months_run_from_first_state_to_known_by(ms: MeasureStore) -> None:
    _load_history(ms)
    got = debt_series("111111118", known_by=date(2024, 6, 30), store=ms)
    assert got["month"].dt.date.tolist() == [JAN, FEB, MAR, APR, date(2024, 5, 1), date(2024, 6, 1)]


def test_debt_panel_covers_many_companies(ms: MeasureStore) -> None:
    _load_history(ms)
    ms.write(
        Table.DEBT_LINES,
        [_state("C9", "2024Q1", "1", 1, date(2024, 2, 3), 0, 12_345, siren="222222226")],
        Provenance("2024-04", date(2024, 4, 30), "sigfaible_debits_other.csv"),
    )
    panel = debt_panel([JAN, FEB], store=ms)
    got = {(r.siren, r.month.date()): r.debt for r in panel.itertuples()}
    assert got == {("111111118", JAN): 300.0, ("111111118", FEB): 400.0, ("222222226", FEB): 123.45}
    only = debt_panel([FEB], sirens=["222222226"], store=ms)
    assert only["siren"].tolist() == ["222222226"]


def test_reloading_a_file_overwrites_its_partition(ms: MeasureStore) -> None:
    prov = Provenance("2024-03", date(2024, 3, 31), "sigfaible_effectif_siren.csv")
    rows = [
        {"siren": "111111118", "month": JAN, "headcount": 12.0},
        {"siren": "111111118", "month": FEB, "headcount": 11.0},
    ]
    ms.write(Table.HEADCOUNT_COMPANY, rows, prov)
    ms.write(Table.HEADCOUNT_COMPANY, rows, prov)
    files = list((ms.root / "effectif_entreprise").rglob("*"))
    assert [f.name for f in files if f.is_file()] == ["sigfaible_effectif_siren.csv.parquet"]
    assert headcount_series("111111118", store=ms)["headcount"].tolist() == [12.0, 11.0]


def test_a_failed_write_keeps_the_previous_partition(ms: MeasureStore) -> None:
    prov = Provenance("2024-03", date(2024, 3, 31), "eff.csv")
    ms.write(Table.HEADCOUNT_COMPANY, [{"siren": "111111118", "month": JAN, "headcount": 12.0}], prov)

    def broken() -> Any:
        yield {"siren": "111111118", "month": JAN, "headcount": 99.0}
        raise RuntimeError("killed half-way")

    with pytest.raises(RuntimeError):
        ms.write(Table.HEADCOUNT_COMPANY, broken(), prov, chunk_rows=1)
    assert headcount_series("111111118", store=ms)["headcount"].tolist() == [12.0]
    assert not [p for p in ms.root.rglob("*") if ".tmp" in p.name]


def test_rows_keep_provenance(ms: MeasureStore) -> None:
    ms.write(
        Table.HEADCOUNT_COMPANY,
        [{"siren": "111111118", "month": JAN, "headcount": 3.0}],
        Provenance("2024-03", date(2024, 3, 31), "eff.csv"),
    )
    df = ms.query(f"SELECT delivery, known_on, source_file FROM {ms.raw_sql(Table.HEADCOUNT_COMPANY)}")
    assert df.to_dict("records") == [
        {"delivery": "2024-03", "known_on": ts(date(2024, 3, 31)), "source_file": "eff.csv"}
    ]


def test_company_headcount_wins_over_sum_of_establishments(ms: MeasureStore) -> None:
    p = Provenance("2024-03", date(2024, 3, 31), "eff_etab.csv")
    ms.write(
        Table.HEADCOUNT_ESTABLISHMENT,
        [
            {"siret": "11111111800011", "siren": "111111118", "month": JAN, "headcount": 5.0},
            {"siret": "11111111800029", "siren": "111111118", "month": JAN, "headcount": 7.0},
            {"siret": "11111111800011", "siren": "111111118", "month": FEB, "headcount": 5.0},
        ],
        p,
    )
    ms.write(
        Table.HEADCOUNT_COMPANY,
        [{"siren": "111111118", "month": FEB, "headcount": 13.0}],
        Provenance("2024-03", date(2024, 3, 31), "eff_siren.csv"),
    )
    assert headcount_series("111111118", store=ms)["headcount"].tolist() == [12.0, 13.0]


def test_supplier_dependencies_over_twelve_months(ms: MeasureStore) -> None:
    prov = Provenance("2024-12", date(2024, 12, 31), "flux.csv")
    rows = [
        {"supplier": "S", "client": "A", "month": date(2023, 1, 1), "amount": 1000.0, "invoices": 1},  # out of window
        {"supplier": "S", "client": "A", "month": date(2024, 6, 1), "amount": 300.0, "invoices": 1},
        {"supplier": "S", "client": "B", "month": date(2024, 12, 1), "amount": 100.0, "invoices": 1},
        {"supplier": "T", "client": "A", "month": date(2024, 12, 1), "amount": 100.0, "invoices": 2},
    ]
    ms.write(Table.SUPPLIER_FLOWS, rows, prov)
    got = {(r.supplier, r.client): r for r in supplier_dependencies(store=ms).itertuples()}
    sa = got[("S", "A")]
    assert (sa.since, sa.last_month, sa.amount_12m) == (ts(date(2023, 1, 1)), ts(date(2024, 6, 1)), 300.0)
    assert sa.supplier_dependency == pytest.approx(0.75)  # A is 300 of S's 400
    assert sa.client_dependency == pytest.approx(0.75)  # S is 300 of A's 400
    assert got[("T", "A")].supplier_dependency == pytest.approx(1.0)


def test_a_key_listed_twice_in_one_file_reads_the_same_every_time(ms: MeasureStore) -> None:
    s1, s2 = "11111111800011", "22222222000015"
    rows = [
        {"siret": s, "siren": s[:9], "month": m, "headcount": h}
        for s in (s1, s2)
        for m in (JAN, FEB)
        for h in (4.0, 9.0)
    ]
    for known, delivery in ((date(2024, 2, 29), "2024-02"), (date(2024, 3, 31), "2024-03")):
        ms.write(
            Table.HEADCOUNT_ESTABLISHMENT,
            rows[::-1] if delivery == "2024-03" else rows,
            Provenance(delivery, known, "e.csv"),
        )
    current = ms.query(
        f"SELECT siret, month, headcount, delivery FROM {ms.current_sql(Table.HEADCOUNT_ESTABLISHMENT)} ORDER BY siret, month"
    )
    assert current["headcount"].tolist() == [9.0] * 4 and set(current["delivery"]) == {"2024-03"}
    # Filtering on the SIREN before the latest-version window gives what filtering after it gives.
    one = headcount_panel([JAN, FEB], sirens=[s1[:9]], store=ms)
    every = headcount_panel([JAN, FEB], store=ms)
    assert one.to_dict("records") == every[every["siren"] == s1[:9]].to_dict("records")
    assert one["headcount"].tolist() == [9.0, 9.0]
