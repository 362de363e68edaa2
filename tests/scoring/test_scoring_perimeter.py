"""Perimeter and target: who is scored, what counts as a failure, who is flagged."""

from __future__ import annotations

import pandas as pd
from scoring_world import START

from scoring.config import PerimeterConfig
from scoring.features.inputs import FeatureInputs, Measure, empty_frame
from scoring.perimeter import in_procedure, openings, perimeter, procedure_spells


def _inputs(companies: pd.DataFrame, monthly: pd.DataFrame, procedures: pd.DataFrame | None = None) -> FeatureInputs:
    return FeatureInputs(
        companies=companies,
        procedures=procedures if procedures is not None else empty_frame("procedures"),
        monthly=monthly,
        plans=empty_frame("plans"),
        ccsf=empty_frame("ccsf"),
        ap_requests=empty_frame("ap_requests"),
        ratios=empty_frame("ratios"),
        flows=empty_frame("flows"),
        groups=empty_frame("groups"),
    )


def _company(siren: str, legal_form: str = "5710", band: str = "NN") -> dict[str, object]:
    return {
        "siren": siren,
        "departement": "21",
        "region": "27",
        "naf": "25.62A",
        "legal_form": legal_form,
        "headcount_band": band,
        "created_month": START - 100,
        "public_sector": False,
    }


def _hc(siren: str, month: int, value: float) -> dict[str, object]:
    return {"siren": siren, "measure": Measure.HEADCOUNT.value, "month": month, "value": value, "known_month": month}


def test_headcount_threshold_with_36_month_lookback_and_public_sector_excluded() -> None:
    t = START + 40
    companies = pd.DataFrame(
        [
            _company("100000001"),  # 12 employees now
            _company("100000002"),  # 15 employees 30 months ago, 5 now: still in
            _company("100000003"),  # 15 employees 40 months ago, 5 now: out
            _company("100000004", legal_form="7210"),  # a commune: public sector
            _company("100000005", band="12"),  # no monthly headcount, Sirene band 20-49
            _company("100000006", band="02"),  # no monthly headcount, band 3-5
        ]
    )
    monthly = pd.DataFrame(
        [
            _hc("100000001", t, 12),
            _hc("100000002", t - 30, 15),
            _hc("100000002", t, 5),
            _hc("100000003", t - 40, 15),
            _hc("100000003", t, 5),
            _hc("100000004", t, 200),
        ]
    )
    got = set(perimeter(_inputs(companies, monthly), t, PerimeterConfig())["siren"])
    assert got == {"100000001", "100000002", "100000005"}


def test_headcount_known_only_later_does_not_count() -> None:
    t = START + 10
    companies = pd.DataFrame([_company("100000001")])
    late = {**_hc("100000001", t, 30), "known_month": t + 1}
    monthly = pd.DataFrame([_hc("100000001", t - 1, 4), late])
    assert perimeter(_inputs(companies, monthly), t, PerimeterConfig()).empty
    assert len(perimeter(_inputs(companies, monthly), t + 1, PerimeterConfig())) == 1


def test_only_openings_are_events_and_spells_end_with_a_plan_but_not_a_liquidation() -> None:
    procs = pd.DataFrame(
        [
            # redressement opened at START+5, plan adopted at START+9
            {"siren": "A", "kind": "redressement", "stage": "Jugement d'ouverture", "judgment_month": START + 5, "known_month": START + 5},
            {"siren": "A", "kind": "redressement", "stage": "Jugement arrêtant le plan de continuation", "judgment_month": START + 9, "known_month": START + 10},
            # liquidation: never ends, its closure is no new event
            {"siren": "B", "kind": "liquidation", "stage": "Ouverture_procedure_liquidation", "judgment_month": START + 3, "known_month": START + 4},
            {"siren": "B", "kind": "liquidation", "stage": "Jugement de clôture pour insuffisance d'actif", "judgment_month": START + 20, "known_month": START + 20},
            # something that is not a procédure collective opening
            {"siren": "C", "kind": "autre", "stage": "ouverture", "judgment_month": START + 3, "known_month": START + 3},
        ]
    )  # fmt: skip
    opens = openings(procs)
    assert list(opens["siren"]) == ["A", "B"]
    sirens = pd.Series(["A", "B", "C"])
    spells = procedure_spells(procs)
    assert list(in_procedure(spells, sirens, START + 6)) == [True, True, False]
    assert list(in_procedure(spells, sirens, START + 30)) == [False, True, False]
    # Before the liquidation judgment is known, nothing is flagged.
    known = procedure_spells(procs[procs["known_month"] <= START + 3])
    assert list(in_procedure(known, sirens, START + 3)) == [False, False, False]
