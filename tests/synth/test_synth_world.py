"""Properties of the synthetic world: base rate, network shape, contagion, distress before failure."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from synth_support import small_config

from synth.config import SynthConfig, SynthResult
from synth.generate import generate
from synth.world import build_world


def _truth(world: SynthResult) -> pd.DataFrame:
    return pd.read_csv(world.ground_truth_dir / "companies.csv", dtype={"siren": str, "group_head": str})


@pytest.fixture(scope="module")
def no_contagion(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return generate(small_config(tmp_path_factory.mktemp("synth-nc"), contagion=False))


def _failure_rate(truth: pd.DataFrame, months: int) -> float:
    perim = truth[truth["in_perimeter"]]
    return float(perim["failure_month"].notna().sum() / len(perim) / (months / 12))


def test_base_rate_between_2_and_5_percent_a_year(small_world: SynthResult) -> None:
    assert 0.02 <= _failure_rate(_truth(small_world), 36) <= 0.05
    assert 0.02 <= small_world.yearly_failure_rate <= 0.05
    # The calibration holds across seeds (simulation only, no files).
    for seed in (1, 2, 3):
        w = build_world(SynthConfig(companies=1500, months=48, seed=seed, out=Path("unused"), progress=False))
        perim = w.companies.kind == 0
        rate = ((w.traj.fail_month >= 0) & perim).sum() / perim.sum() / 4
        assert 0.02 <= rate <= 0.05, (seed, rate)


def test_supplier_network_is_heavy_tailed_with_concentrated_dependencies() -> None:
    w = build_world(SynthConfig(companies=1500, months=12, seed=4, out=Path("unused"), progress=False))
    net = w.network
    indeg = np.bincount(net.client, minlength=w.companies.n)
    outdeg = np.bincount(net.supplier, minlength=w.companies.n)
    # The top 1 % of companies hold a share of the links that a Poisson graph (~3 %) never reaches.
    for deg, share in ((indeg, 0.15), (outdeg, 0.07)):
        top = np.sort(deg)[::-1][: max(len(deg) // 100, 1)]
        assert deg.max() >= 10 * deg.mean()
        assert top.sum() >= share * deg.sum()
    # Power-law-ish tail: the survival function decays slowly between 2x and 8x the mean.
    mean = indeg[indeg > 0].mean()
    s2, s8 = (indeg >= 2 * mean).mean(), (indeg >= 8 * mean).mean()
    assert s8 > 0 and s2 / s8 < 30
    max_dep = np.zeros(w.companies.n)
    np.maximum.at(max_dep, net.supplier, net.supplier_dependency)
    suppliers = outdeg > 0
    assert (max_dep[suppliers] >= 0.5).mean() >= 0.15


def _exposure(truth: pd.DataFrame, edges: pd.DataFrame, months: list[str], threshold: float = 0.2) -> pd.DataFrame:
    """(siren, month) pairs within 12 months after a client on which the supplier depends failed."""
    fail = truth.set_index("siren")["failure_month"].dropna()
    major = edges[(edges["supplier_dependency"] >= threshold) & edges["siren_client"].isin(fail.index)]
    index = {m: k for k, m in enumerate(months)}
    pairs = set()
    until = major["until"].fillna("9999-12")
    for sup, cli, since, end in zip(major["siren_fournisseur"], major["siren_client"], major["since"], until,
                                    strict=True):  # fmt: skip
        f = index.get(fail[cli])
        if f is None or not since <= fail[cli] < end:
            continue
        for k in range(f + 1, min(f + 13, len(months))):
            pairs.add((sup, months[k]))
    return pd.DataFrame(sorted(pairs), columns=["siren", "month"]).assign(exposed=True)


def _hazard_ratio(world: SynthResult) -> tuple[float, pd.DataFrame]:
    truth = _truth(world)
    edges = pd.read_csv(world.ground_truth_dir / "supplier_edges.csv", dtype={"siren_fournisseur": str,
                                                                               "siren_client": str})  # fmt: skip
    panel = pd.read_parquet(world.ground_truth_dir / "panel.parquet")
    months = sorted(panel["month"].unique())
    panel = panel[panel["hazard"] > 0]  # at risk: alive, private
    exp = _exposure(truth, edges, months)
    panel = panel.merge(exp, on=["siren", "month"], how="left")
    exposed = panel["exposed"].fillna(False).astype(bool)
    assert exposed.sum() > 20
    # Medians: the mean hazard is dominated by a handful of deeply distressed companies.
    return float(panel.loc[exposed, "hazard"].median() / panel.loc[~exposed, "hazard"].median()), panel


def test_contagion_raises_the_hazard_after_a_major_client_fails(small_world: SynthResult) -> None:
    ratio, panel = _hazard_ratio(small_world)
    assert ratio > 2.0, ratio
    assert (panel["log_client"] > 0).any() and (panel["log_group"] > 0).any()
    # Realised failures, pooled over a few simulated worlds (no files needed).
    exposed_events = exposed_months = base_events = base_months = 0
    for seed in (1, 2, 3):
        w = build_world(SynthConfig(companies=1500, months=48, seed=seed, out=Path("unused"), progress=False))
        e, em, b, bm = _realised(w)
        exposed_events, exposed_months, base_events, base_months = (
            exposed_events + e, exposed_months + em, base_events + b, base_months + bm
        )  # fmt: skip
    assert (exposed_events / exposed_months) / (base_events / base_months) > 2.0


def test_no_contagion_zeroes_contagion_and_nothing_else(small_world: SynthResult, no_contagion: SynthResult) -> None:
    ratio, panel = _hazard_ratio(no_contagion)
    assert (panel[["log_client", "log_supplier", "log_group"]] == 0).all().all()
    # What remains is confounding (shared sector and département shocks): well below the contagion world.
    assert ratio < 0.6 * _hazard_ratio(small_world)[0], ratio
    with_c = json.loads((small_world.ground_truth_dir / "params.json").read_text())
    without = json.loads((no_contagion.ground_truth_dir / "params.json").read_text())
    assert with_c["sector_shocks"] == without["sector_shocks"]
    assert with_c["calibrated_intercept"] == without["calibrated_intercept"]
    assert without["config"]["contagion"] is False
    t_with, t_without = _truth(small_world), _truth(no_contagion)
    assert (t_with["siren"] == t_without["siren"]).all()
    assert t_with["failure_month"].notna().sum() > t_without["failure_month"].notna().sum()
    pooled = [0, 0, 0, 0]
    for seed in (1, 2, 3):
        w = build_world(
            SynthConfig(companies=1500, months=48, seed=seed, contagion=False, out=Path("unused"), progress=False)
        )
        pooled = [a + b for a, b in zip(pooled, _realised(w), strict=True)]
    assert (pooled[0] / pooled[1]) / (pooled[2] / pooled[3]) < 1.8


def _realised(w: object) -> tuple[int, int, int, int]:
    """Failures and company-months at risk, exposed (a client with dependency >= 0.2 failed 1-12 months
    before) and not."""
    from synth.world import World

    assert isinstance(w, World)
    net, fail, months = w.network, w.traj.fail_month, w.months
    n = w.companies.n
    exposed = np.zeros((months, n), dtype=bool)
    for e in np.flatnonzero(net.supplier_dependency >= 0.2):
        f = fail[net.client[e]]
        if f >= 0 and net.since[e] <= w.first_month + f < net.until[e]:
            exposed[f + 1 : f + 13, net.supplier[e]] = True
    t = np.arange(months)[:, None]
    at_risk = ((fail < 0) | (t <= fail)) & (w.companies.kind != 3)
    event = t == fail
    return (
        int((event & exposed & at_risk).sum()), int((exposed & at_risk).sum()),
        int((event & ~exposed & at_risk).sum()), int((~exposed & at_risk).sum()),
    )  # fmt: skip


def test_distress_shows_before_failure(small_world: SynthResult) -> None:
    truth = _truth(small_world)
    panel = pd.read_parquet(small_world.ground_truth_dir / "panel.parquet")
    months = sorted(panel["month"].unique())
    index = {m: k for k, m in enumerate(months)}
    failing = truth.dropna(subset=["failure_month"])
    failing = failing[failing["failure_month"].map(index) >= 12]
    # Failures driven by the company's own distress: since 2026-11 a third of the failures are
    # mostly contagion (a partner's failure, not the company's signals), which this test is not about;
    # test_contagion_acts_through_the_hazard_not_the_companys_own_distress covers those.
    failing = failing[failing["contagion_share"] < 0.5]
    healthy = list(truth.loc[truth["failure_month"].isna() & truth["kind"].isin(["perimeter", "small"]), "siren"])
    # Debt in months of contributions, as the model will see it.
    panel["months_of_debt"] = panel["debt_eur"] / (panel["headcount"].clip(lower=1) * 1150.0)
    debt = panel.pivot(index="month", columns="siren", values="months_of_debt")
    head = panel.pivot(index="month", columns="siren", values="headcount")
    fail_debt, base_debt, fail_any, base_any, fail_trend, base_trend = [], [], [], [], [], []
    for siren, fm in zip(failing["siren"], failing["failure_month"], strict=True):
        m6, m12, m1 = months[index[fm] - 6], months[index[fm] - 12], months[index[fm] - 1]
        fail_debt.append(debt.at[m6, siren])
        fail_any.append(debt.at[m6, siren] > 0)
        base_debt.append(debt.loc[m6, healthy].mean())
        base_any.append((debt.loc[m6, healthy] > 0).mean())
        fail_trend.append(head.at[m1, siren] / max(head.at[m12, siren], 1e-9))
        base_trend.append(float((head.loc[m1, healthy] / head.loc[m12, healthy].clip(lower=1e-9)).median()))
    assert len(fail_debt) >= 8
    assert np.mean(fail_debt) > 4 * np.mean(base_debt)
    assert np.mean(fail_any) > 2 * np.mean(base_any)
    assert np.median(fail_trend) < np.median(base_trend)


def test_contagion_acts_through_the_hazard_not_the_companys_own_distress() -> None:
    """A supplier that loses a big client fails more, mostly before its own signals show it.

    Same draws with and without contagion: the latent distress (what debts, headcount and
    ratios reveal) of exposed companies moves little, while their hazard rises a lot.
    """
    cfg = SynthConfig(companies=1500, months=48, seed=1, out=Path("unused"), progress=False)
    with_c = build_world(cfg)
    without = build_world(replace(cfg, contagion=False))
    p = with_c.config.hazard
    parts = with_c.traj.log_parts
    direct = parts["client"] + parts["supplier"] + parts["group"]
    hist = with_c.traj.history
    z_gap = with_c.traj.distress[hist:] - without.traj.distress[hist:]
    t = np.arange(with_c.months)[:, None]
    alive = ((with_c.traj.fail_month < 0) | (t < with_c.traj.fail_month)) & (
        (without.traj.fail_month < 0) | (t < without.traj.fail_month)
    )
    exposed = alive & (direct > 0.3)
    assert exposed.sum() > 200
    via_distress = float(np.mean(p.distress_weight * z_gap[exposed]))
    assert via_distress < 0.25 * float(np.mean(direct[exposed])), (via_distress, float(np.mean(direct[exposed])))
