"""Features as of month t: no leakage, filing delays, debt trends, dependency-weighted contagion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scoring_world import START, make_world

from scoring.config import PerimeterConfig
from scoring.features.builder import build_month
from scoring.features.inputs import FeatureInputs, Measure, empty_frame


@pytest.fixture(scope="module")
def world() -> FeatureInputs:
    return make_world(n=250, months=40, seed=5, contagion=True)


def test_features_at_t_do_not_depend_on_data_after_t(world: FeatureInputs) -> None:
    t = START + 30
    full = build_month(world, t, PerimeterConfig())
    cut = build_month(world.known_by(t), t, PerimeterConfig())
    pd.testing.assert_frame_equal(full.frame, cut.frame)
    pd.testing.assert_frame_equal(full.drivers.reset_index(drop=True), cut.drivers.reset_index(drop=True))
    # The guard is not vacuous: later facts exist and change later months' features.
    assert (world.monthly["known_month"] > t).any() and (world.procedures["known_month"] > t).any()
    later = build_month(world, t + 6, PerimeterConfig()).frame
    assert (
        not later.set_index("siren")["debt"].reindex(full.frame["siren"]).equals(full.frame.set_index("siren")["debt"])
    )


def test_late_corrections_and_future_judgments_are_invisible(world: FeatureInputs) -> None:
    t = START + 30
    base = build_month(world, t, PerimeterConfig()).frame
    victim = base["siren"].iloc[0]
    # A correction of month t's debt delivered at t+2, and a judgment dated t known at t+1.
    extra_m = pd.DataFrame([{"siren": victim, "measure": "debt", "month": t, "value": 9e9, "known_month": t + 2}])
    extra_p = pd.DataFrame(
        [{"siren": victim, "kind": "liquidation", "stage": "ouverture", "judgment_month": t, "known_month": t + 1}]
    )
    tampered = FeatureInputs(
        **{
            **world.__dict__,
            "monthly": pd.concat([world.monthly, extra_m], ignore_index=True),
            "procedures": pd.concat([world.procedures, extra_p], ignore_index=True),
        }
    )
    pd.testing.assert_frame_equal(build_month(tampered, t, PerimeterConfig()).frame, base)
    later = build_month(tampered, t + 2, PerimeterConfig()).frame
    assert later.set_index("siren").loc[victim, "in_procedure"]


def _tiny(monthly: list[dict[str, object]], **frames: pd.DataFrame) -> FeatureInputs:
    companies = pd.DataFrame(
        [
            {"siren": s, "departement": "21", "region": "27", "naf": "25.62A", "legal_form": "5710",
             "headcount_band": "12", "created_month": START - 50, "public_sector": False}
            for s in ("100000001", "100000002", "100000003", "100000004")
        ]
    )  # fmt: skip
    parts = {
        name: frames.get(name, empty_frame(name))
        for name in ("procedures", "plans", "ccsf", "ap_requests", "ratios", "flows", "groups")
    }
    return FeatureInputs(companies=companies, monthly=pd.DataFrame(monthly), **parts)


def test_debt_share_and_trends_and_bdf_filing_delay() -> None:
    t = START + 24
    rows: list[dict[str, object]] = []
    for m in range(t - 12, t + 1):
        rows.append(
            {
                "siren": "100000001",
                "measure": Measure.CONTRIBUTIONS.value,
                "month": m,
                "value": 1000.0,
                "known_month": m,
            }
        )
        rows.append(
            {"siren": "100000001", "measure": Measure.HEADCOUNT.value, "month": m, "value": 20.0, "known_month": m}
        )
    # Debt: 0 until t-3, then 500, then 2000 at t.
    for m, v in ((t - 3, 500.0), (t - 2, 500.0), (t - 1, 500.0), (t, 2000.0)):
        rows.append({"siren": "100000001", "measure": Measure.DEBT.value, "month": m, "value": v, "known_month": m})
    ratios = pd.DataFrame(
        [
            {"siren": "100000001", "closing_month": t - 14, "known_month": t - 10, "poids_frng": 1.0, "taux_marge": 1.0,
             "delai_fournisseurs": 1.0, "poids_dettes_fiscales_sociales": 1.0, "poids_financement_court_terme": 1.0,
             "poids_frais_financiers": 1.0},
            # Closed 2 months ago and already delivered: not usable before closing + 4 months.
            {"siren": "100000001", "closing_month": t - 2, "known_month": t - 1, "poids_frng": 9.0, "taux_marge": 9.0,
             "delai_fournisseurs": 9.0, "poids_dettes_fiscales_sociales": 9.0, "poids_financement_court_terme": 9.0,
             "poids_frais_financiers": 9.0},
        ]
    )  # fmt: skip
    f = build_month(_tiny(rows, ratios=ratios), t, PerimeterConfig()).frame.set_index("siren").loc["100000001"]
    assert f["debt"] == 2000.0
    # Average monthly contributions over 12 months: 1000.
    assert f["debt_share"] == pytest.approx(2.0)
    assert f["debt_share_d1"] == pytest.approx(1.5)
    assert f["debt_share_d3"] == pytest.approx(1.5)
    assert f["debt_share_d6"] == pytest.approx(2.0)
    assert f["debt_months_12"] == 4
    assert f["bdf_poids_frng"] == 1.0
    assert f["bdf_age_months"] == 14


def test_contagion_weighted_by_dependency_with_windows() -> None:
    t = START + 24
    rows = [
        {"siren": s, "measure": Measure.HEADCOUNT.value, "month": t, "value": 30.0, "known_month": t}
        for s in ("100000001", "100000002", "100000003", "100000004")
    ]
    flows = []
    for m in range(t - 11, t + 1):
        # 1 sells 75 % to 2 and 25 % to 3; 4 supplies 2 only.
        flows += [
            {"supplier": "100000001", "client": "100000002", "month": m, "amount": 300.0, "known_month": m},
            {"supplier": "100000001", "client": "100000003", "month": m, "amount": 100.0, "known_month": m},
            {"supplier": "100000004", "client": "100000002", "month": m, "amount": 100.0, "known_month": m},
        ]
    procedures = pd.DataFrame(
        [
            {"siren": "100000002", "kind": "redressement", "stage": "ouverture", "judgment_month": t - 4, "known_month": t - 4},
            {"siren": "100000003", "kind": "liquidation", "stage": "ouverture", "judgment_month": t - 1, "known_month": t},
        ]
    )  # fmt: skip
    f = build_month(_tiny(rows, flows=pd.DataFrame(flows), procedures=procedures), t, PerimeterConfig()).frame
    one = f.set_index("siren").loc["100000001"]
    assert one["client_fail_dep_3m"] == pytest.approx(0.25)  # only 3 failed within 3 months
    assert one["client_fail_dep_6m"] == pytest.approx(1.0)
    assert one["client_fail_dep_12m"] == pytest.approx(1.0)
    assert one["client_hhi"] == pytest.approx(0.75**2 + 0.25**2)
    assert one["n_clients"] == 2
    assert bool(f.set_index("siren").loc["100000001", "exposed"])
    four = f.set_index("siren").loc["100000004"]
    assert four["client_fail_dep_6m"] == pytest.approx(1.0) and four["supplier_fail_dep_12m"] == 0.0
    # 2 is in a procedure at t: flagged.
    assert bool(f.set_index("siren").loc["100000002", "in_procedure"])
    assert np.isfinite(one["sales_12m_log"])
