"""The ground truth: what really happened, for tests and evaluation only (loaders never read it)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from synth import reference as ref
from synth.calendar import iso_dates, month_label
from synth.config import SynthResult
from synth.csvio import MessInjector
from synth.debts import DebtEvents
from synth.dynamics import KIND_NAMES
from synth.population import PERIMETER
from synth.procedures import Procedures
from synth.schedule import Schedule
from synth.sirene import band_codes
from synth.world import World

KIND_LABELS = ("perimeter", "small", "holding", "public")
COMPONENTS = ("static", "shocks", "distress", "client", "supplier", "group")


def write_truth(
    world: World,
    procs: Procedures,
    debts: DebtEvents,
    ceased: NDArray[np.int64],
    schedule: Schedule,
    mess: MessInjector,
    manifest: list[dict[str, object]],
    rows: dict[str, int],
) -> SynthResult:
    """Writes ``ground_truth/`` and returns the generation summary."""
    cfg = world.config
    out = cfg.out / "ground_truth"
    out.mkdir(parents=True, exist_ok=True)
    comp = world.companies
    traj = world.traj
    net = world.network
    n = comp.n
    fail = traj.fail_month
    failed = fail >= 0
    at = np.where(failed, fail, world.months - 1)
    parts = {k: traj.log_parts[k][at, np.arange(n)] for k in COMPONENTS}
    contagion = parts["client"] + parts["supplier"] + parts["group"]
    opening = {j.company: j for j in procs.judgments if j.stage == "ouverture"}
    judgment = [
        str(iso_dates(np.array([world.first_month + opening[i].month]), np.array([opening[i].day]))[0])
        if i in opening else "" for i in range(n)
    ]  # fmt: skip
    sir = [f"{s:09d}" for s in comp.siren.tolist()]
    max_dep = np.zeros(n)
    np.maximum.at(max_dep, net.supplier, net.supplier_dependency)
    frame = pd.DataFrame({
        "siren": sir,
        "kind": [KIND_LABELS[k] for k in comp.kind],
        "in_perimeter": comp.kind == PERIMETER,
        "name": comp.name,
        "naf": comp.naf,
        "sector": [ref.SECTORS[s].key if s >= 0 else "" for s in comp.sector],
        "departement": comp.departement,
        "legal_form": comp.legal_form,
        "headcount_start": np.round(comp.headcount, 1),
        "size_band": band_codes(comp.headcount),
        "group_head": [sir[h] if h >= 0 else "" for h in world.ownership.head_of],
        "n_establishments": np.bincount(world.establishments.company, minlength=n),
        "n_closed_establishments": np.bincount(
            world.establishments.company, weights=world.establishment_closed < world.months, minlength=n
        ).astype(np.int64),
        "n_clients": np.bincount(net.supplier, minlength=n),
        "n_suppliers": np.bincount(net.client, minlength=n),
        "max_client_dependency": np.round(max_dep, 4),
        "failure_month": [month_label(world.first_month + int(f)) if f >= 0 else "" for f in fail],
        "judgment_date": judgment,
        "procedure_kind": [KIND_NAMES[k] if k >= 0 else "" for k in traj.kind],
        "outcome": [procs.outcome.get(i, "") for i in range(n)],
        "ceased_month": [month_label(world.first_month + int(c)) if c < world.months else "" for c in ceased],
        "hazard": np.round(traj.hazard[at, np.arange(n)], 6),
        **{f"log_{k}": np.round(v, 4) for k, v in parts.items()},
        "contagion_share": np.round(-np.expm1(-contagion), 4),
        "cum_hazard": np.round(traj.hazard.sum(axis=0), 5),
    })  # fmt: skip
    frame.to_csv(out / "companies.csv", index=False)

    months = world.months
    panel = pd.DataFrame({
        "siren": np.tile(np.array(sir), months),
        "month": np.repeat([month_label(world.first_month + m) for m in range(months)], n),
        "distress": traj.distress[traj.history :].reshape(-1),
        "headcount": traj.headcount[traj.history :].reshape(-1),
        "debt_eur": debts.debt[debts.history :].reshape(-1).astype(np.float32),
        "hazard": traj.hazard.reshape(-1),
        **{f"log_{k}": traj.log_parts[k].reshape(-1) for k in COMPONENTS},
    })  # fmt: skip
    panel.to_parquet(out / "panel.parquet", index=False)
    pd.DataFrame({
        "siren_fournisseur": [sir[i] for i in net.supplier], "siren_client": [sir[i] for i in net.client],
        "supplier_dependency": np.round(net.supplier_dependency, 5),
        "client_dependency": np.round(net.client_dependency, 5), "base_amount": np.round(net.amount, 2),
        "since": [month_label(int(v)) for v in net.since],
        "until": [month_label(int(v)) if v < 10**5 else "" for v in net.until],
    }).to_csv(out / "supplier_edges.csv", index=False)  # fmt: skip
    pd.DataFrame([m.__dict__ for m in mess.records], columns=["file", "line", "kind", "column"]).to_csv(
        out / "malformed_rows.csv", index=False
    )
    pd.DataFrame(manifest, columns=["delivery", "file", "fact_month", "late", "rows"]).to_csv(
        out / "deliveries.csv", index=False
    )

    perimeter = comp.kind == PERIMETER
    years = months / 12
    rate = float((failed & perimeter).sum() / max(perimeter.sum(), 1) / years)
    params: dict[str, Any] = {
        "config": cfg.to_json(),
        "calibrated_intercept": traj.alpha,
        "realised": {
            "companies": n, "perimeter": int(perimeter.sum()), "failures": int(failed.sum()),
            "perimeter_failures": int((failed & perimeter).sum()), "yearly_failure_rate_perimeter": rate,
            "supplier_edges": net.n, "establishments": world.establishments.n, "urssaf_accounts": world.accounts.n,
            "groups": int((world.ownership.head_of == np.arange(n)).sum()),
            "persons": len(world.ownership.persons_id), "malformed_rows": len(mess.records),
        },
        "skipped_deliveries": [month_label(world.first_month + d) for d in sorted(schedule.skipped)],
        "sectors": [s.key for s in ref.SECTORS],
        "departements": [d.code for d in ref.DEPARTEMENTS],
        "sector_shocks": np.round(traj.sector_shock, 4).tolist(),
        "departement_shocks": np.round(traj.departement_shock, 4).tolist(),
    }  # fmt: skip
    (out / "params.json").write_text(json.dumps(params, indent=1, ensure_ascii=False), encoding="utf-8")
    delivered = sorted({str(m["delivery"]) for m in manifest})
    return SynthResult(
        out=cfg.out, deliveries=delivered, companies=n, perimeter=int(perimeter.sum()),
        failures=int(failed.sum()), yearly_failure_rate=rate, files=len(manifest), rows=rows,
        malformed_rows=len(mess.records),
    )  # fmt: skip
