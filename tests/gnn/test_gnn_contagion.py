"""The three exported features mean what docs/gnn.md says, and come out of fold."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from gnn_graphs import GraphBuilder, after_january_2024, planted_contagion, resent_after_january_2024

from gnn.config import Channel, GnnConfig, ResentPolicy
from gnn.data.months import add_months
from gnn.export import contagion_features, contagion_run
from gnn.training import fold_of, label_horizon, training_months
from graphstore.store import GraphStore

JAN = date(2024, 1, 1)
# The planted failures sit in 2021-2022, under full 12-month label windows: the test keeps them
# (min_label_months=12); test_label_windows_are_cut_at_the_origin covers the censored ones.
CONFIG = GnnConfig(folds=3, epochs=40, ensemble=2, progress=False, use_measures=False, min_label_months=12)


def _by_siren(df: pd.DataFrame, month: date) -> pd.DataFrame:
    return df[df["month"] == month].set_index("siren")


def test_channels_mean_what_they_say_and_are_out_of_fold(store: GraphStore, graph_builder: GraphBuilder) -> None:
    who = planted_contagion(graph_builder)
    run = contagion_run(store, [JAN, date(2024, 3, 1)], CONFIG)
    f = _by_siren(run.features, JAN)
    sup, cli, grp = Channel.SUPPLIER.value, Channel.CLIENT.value, Channel.GROUP.value

    # A supplier whose big client failed in November: high client contagion, no group contagion.
    exposed = f.loc[who["exposed_suppliers"]]
    controls = f.loc[who["control_suppliers"]]
    assert exposed[cli].min() > controls[cli].max()
    assert (exposed[grp] == 0.0).all() and (exposed[sup] == 0.0).all()

    # A group member whose fellow member failed: high group contagion, nothing from clients or suppliers.
    exposed = f.loc[who["exposed_members"]]
    controls = f.loc[who["control_members"]]
    assert exposed[grp].min() > controls[grp].max()
    assert (exposed[cli] == 0.0).all() and (exposed[sup] == 0.0).all()

    # The drivers add up to the features, and name the failed client and group member.
    drivers = run.drivers(JAN, ["S24a", "M161"], CONFIG.retrain_every)
    sums = drivers.groupby(["siren", "channel"])["contribution"].sum()
    for siren in ("S24a", "M161"):
        for c in Channel:
            assert sums.get((siren, c.value), 0.0) == pytest.approx(f.loc[siren, c.value], abs=1e-5)
    top = drivers.sort_values("contribution").groupby("siren").last()
    assert top.loc["S24a", "neighbour"] == "H24" and top.loc["S24a", "relation"] == "client"
    assert top.loc["M161", "neighbour"] == "M160" and top.loc["M161", "via"] == "G16"

    # Out of fold: the model that scored a company never used that company's label ...
    assert len(run.assignments) == len(run.features)
    for (origin, fold), rows in run.assignments.groupby(["origin", "fold"]):
        assert not set(rows["siren"]) & run.trained_on[(origin, fold)]
        # ... and it was trained on companies of the other folds only (the split is by company).
        assert run.trained_on[(origin, fold)]
        assert {fold_of(s, CONFIG.folds) for s in run.trained_on[(origin, fold)]} == set(range(CONFIG.folds)) - {fold}
    # Every label window ended before the month it serves (windows are cut at the origin).
    for month, origin in run.assignments[["month", "origin"]].drop_duplicates().itertuples(index=False):
        months = training_months(origin, CONFIG.min_label_months, CONFIG.train_months, CONFIG.train_stride, None)
        assert [m for m, _ in run.label_windows[origin]] == months
        for m, window in run.label_windows[origin]:
            assert CONFIG.min_label_months <= window <= CONFIG.horizon_months
            assert add_months(m, window) < origin <= month


@pytest.mark.parametrize("policy", list(ResentPolicy))
def test_features_at_t_ignore_later_data(store: GraphStore, graph_builder: GraphBuilder, policy: ResentPolicy) -> None:
    planted_contagion(graph_builder)
    config = GnnConfig(
        folds=2, epochs=5, train_months=3, ensemble=1, progress=False, use_measures=False, resent_facts=policy
    )
    before = contagion_features(store, [JAN], config)
    after_january_2024(graph_builder)
    if policy is ResentPolicy.KNOWN_ON:
        resent_after_january_2024(graph_builder)
    after = contagion_features(store, [JAN], config)
    assert len(before) == 210
    pd.testing.assert_frame_equal(before, after)
    # The later facts are there: a later month sees them.
    later = contagion_features(store, [date(2024, 3, 1)], config)
    assert "N01" in set(later["siren"])


def test_label_windows_are_cut_at_the_origin() -> None:
    # Censored scheme: the latest snapshot of an origin sits min_label_months + 1 before it,
    # every window ends the month before the origin, none is longer than the horizon.
    config = GnnConfig(min_label_months=6, horizon_months=12, train_months=6, train_stride=3)
    origin = date(2023, 1, 1)
    months = training_months(
        origin, config.min_label_months, config.train_months, config.train_stride, date(2022, 1, 1)
    )
    assert months == [date(2022, 3, 1), date(2022, 6, 1)]
    windows = [label_horizon(m, origin, config.horizon_months) for m in months]
    assert windows == [9, 6]
    assert all(add_months(m, w) < origin for m, w in zip(months, windows, strict=True))
    assert label_horizon(date(2020, 1, 1), origin, 12) == 12
