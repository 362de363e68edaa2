"""``generate(config)``: builds the world and writes the deliveries and the ground truth."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from tqdm import tqdm

from synth import layouts as L
from synth.activity import build_activity
from synth.bdf import build_bdf
from synth.calendar import month_compact, month_label
from synth.config import SynthConfig, SynthResult
from synth.csvio import Layout, MessInjector, write_table
from synth.debts import build_debts
from synth.flows import corrections, flow_frame
from synth.links import link_frames
from synth.procedures import bodacc_frame, build_procedures, pcoll_frame
from synth.schedule import Schedule
from synth.sirene import etablissements, unites_legales
from synth.truth import write_truth
from synth.urssaf import cotisdues_frame, effectif_frame
from synth.world import World, build_world

HISTORY = 12  # months of headcount history in the first delivery
DEBT_HISTORY = 24  # months of debit, plan and CCSF files in the first delivery (open lines predate the window)
Producer = Callable[[], pd.DataFrame]


@dataclass
class Planned:
    """A file to write in a delivery."""

    layout: Layout
    fact_month: int
    produce: Producer
    suffix: str = ""
    late: bool = False


def generate(config: SynthConfig) -> SynthResult:
    """Generates the synthetic region into ``config.out``.

    Args:
        config: what to generate.

    Returns:
        What was written (counts, folders, realised failure rate).
    """
    # Plain object strings: Arrow-backed strings cost more than they bring for write-once frames
    # (the option is deprecated for pandas 4, which the pinned 3.x does not concern).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*infer_string.*")
        with pd.option_context("future.infer_string", False):
            return _generate(config)


def _generate(config: SynthConfig) -> SynthResult:
    out = config.out
    for sub in ("deliveries", "ground_truth"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    bar = tqdm(total=config.months + 4, desc="synth", unit="step", disable=not config.progress)
    world = build_world(config)
    bar.update(1)
    procs = build_procedures(world)
    ceased = np.full(world.companies.n, 10**6, dtype=np.int64)
    for c, m in procs.ceased.items():
        ceased[c] = m
    debts = build_debts(world, ceased, DEBT_HISTORY)
    bar.update(1)
    activity = build_activity(world, ceased)
    bdf = build_bdf(world, ceased, world.traj.history)
    bar.update(1)

    schedule = Schedule.draw(config.seed, config.months, config.mess)
    plan: dict[int, list[Planned]] = {}

    def add(layout: Layout, fact: int, produce: Producer, lag: int = 0, suffix: str = "") -> None:
        d = schedule.target(layout.family, fact, lag)
        if d is not None:
            plan.setdefault(d, []).append(Planned(layout, fact, produce, suffix, d > max(fact + lag, 0)))

    for d in range(config.months):
        if schedule.is_stock_delivery(d, world.first_month):
            target = schedule.arrival(d)
            if target is not None:
                for lay, fn in ((L.UL, unites_legales), (L.ETAB, etablissements)):
                    plan.setdefault(target, []).append(Planned(lay, d, _bind(fn, world, ceased, d)))
                plan.setdefault(target, []).append(
                    Planned(L.EFFECTIF, d, partial(effectif_frame, world, ceased, d, HISTORY))
                )
    for m in range(-DEBT_HISTORY, config.months):
        add(L.DEBITS, m, partial(debts.debits.__getitem__, m))
        add(L.DELAIS, m, partial(debts.delais.__getitem__, m))
        add(L.CCSF, m, partial(debts.ccsf.__getitem__, m))
        if m >= -HISTORY:
            add(L.COTISDUES, m, partial(cotisdues_frame, world, ceased, m))
    for m in range(config.months):
        add(L.PCOLL, m, partial(pcoll_frame, world, procs, m))
        add(L.BODACC, m, partial(bodacc_frame, world, procs, m, np.random.default_rng([config.seed, 91, m + 1000])))
        add(L.DEMANDE_AP, m, partial(activity.demandes.__getitem__, m))
        add(L.CONSO_AP, m, partial(activity.consommations.__getitem__, m), lag=1)
        add(L.FLUX, m, partial(flow_frame, world, ceased, m))
        if m in bdf:
            add(L.BDF, m, partial(bdf.__getitem__, m))
    persons_sent: set[int] = set()
    link_cache: dict[int, dict[str, pd.DataFrame]] = {}

    def links(m: int, family: str) -> pd.DataFrame:
        # Computed in month order so that each person is delivered once, with its first link.
        for k in range(m + 1):
            if k not in link_cache:
                link_cache[k] = link_frames(world, k, persons_sent)
        return link_cache[m][family]

    for m in range(config.months):
        arrives = schedule.arrival(m)
        if arrives is not None:
            for lay in (L.PERSONNES, L.LIENS, L.DIRIGEANTS, L.TETES):
                plan.setdefault(arrives, []).append(Planned(lay, m, partial(links, m, lay.family), late=arrives > m))
    bar.update(1)

    mess = MessInjector(np.random.default_rng([config.seed, 99]), config.mess.malformed_rate)
    rows: dict[str, int] = {}
    manifest: list[dict[str, object]] = []
    flow_rng = np.random.default_rng([config.seed, 72])
    corrections_due: dict[int, list[pd.DataFrame]] = {}
    for d in range(config.months):
        folder = out / "deliveries" / month_label(world.first_month + d)
        if d in schedule.skipped:
            bar.update(1)
            continue
        for item in sorted(plan.get(d, []), key=lambda p: (p.layout.family, p.fact_month)):
            frame = item.produce()
            if item.layout is L.FLUX:
                fix = corrections(frame, config.mess.correction_rate, flow_rng)
                later = schedule.arrival(d + int(flow_rng.integers(1, 4)))
                if later is not None and not fix.empty:
                    corrections_due.setdefault(later, []).append(fix)
            if frame.empty and item.layout in (L.PERSONNES, L.LIENS, L.DIRIGEANTS, L.TETES):
                continue
            name = L.file_name(item.layout, month_compact(world.first_month + item.fact_month), item.suffix)
            gz = item.layout is L.FLUX and config.mess.gzip_flows
            n = write_table(folder / name, frame, item.layout, mess, gzipped=gz)
            rows[item.layout.family] = rows.get(item.layout.family, 0) + n
            manifest.append({"delivery": folder.name, "file": name + (".gz" if gz else ""),
                             "fact_month": month_label(world.first_month + item.fact_month),
                             "late": item.late, "rows": n})  # fmt: skip
        if d in corrections_due:
            frame = pd.concat(corrections_due.pop(d), ignore_index=True)
            name = L.file_name(L.FLUX, month_compact(world.first_month + d), "_rectif")
            n = write_table(folder / name, frame, L.FLUX, mess, gzipped=False)
            rows[L.FLUX.family] += n
            manifest.append({"delivery": folder.name, "file": name, "fact_month": "", "late": True, "rows": n})
        bar.update(1)
    bar.close()
    return write_truth(world, procs, debts, ceased, schedule, mess, manifest, rows)


def _bind(
    fn: Callable[[World, NDArray[np.int64], int], pd.DataFrame], world: World, ceased: NDArray[np.int64], d: int
) -> Producer:
    return partial(fn, world, ceased, d)
