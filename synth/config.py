"""Parameters of the synthetic region: one frozen dataclass per concern."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class HazardParams:
    """The monthly failure hazard and the latent distress that drives it.

    The log-hazard of a company in month t is the sum of: an intercept calibrated so
    that the yearly base rate among companies with >= 10 employees is
    ``base_annual_rate`` without contagion; a size slope; a sector offset; the sector
    and département shocks (AR(1) confounders shared by many companies);
    ``distress_weight`` times the latent distress z; and the contagion terms.

    Attributes:
        base_annual_rate: yearly failure rate targeted among >= 10 employees, before contagion.
        distress_weight: log-hazard per unit of latent distress.
        size_slope: log-hazard per log(headcount / 10): large firms fail less.
        distress_rho: monthly persistence of the latent distress.
        distress_sigma: monthly innovation of the latent distress.
        episode_rate: monthly probability that a healthy company enters a distress episode.
        episode_min_months: shortest episode (distress builds over it).
        episode_max_months: longest episode.
        episode_drift: mean monthly rise of distress during an episode.
        shock_rho: persistence of the sector and département shocks.
        sector_shock_sd: stationary sd of the sector shocks (log-hazard units).
        departement_shock_sd: stationary sd of the département shocks.
        client_contagion: log-hazard per unit of dependency on a client that failed
            1 to ``contagion_window`` months before (the supplier's share of sales to it).
        supplier_contagion: same for a failed supplier, weighted by the client's share
            of purchases from it (supply disruption; weaker).
        group_contagion: log-hazard when another member of the company's group failed.
        contagion_onset: months between a partner's failure and the first month its
            contagion raises the hazard (the cash lost with a big client runs out first).
        contagion_window: last month of contagion after the failure (lag onset..window).
        contagion_decay: e-folding time in months of the contagion kernel.
        contagion_distress_push: share of the contagion that also raises the latent
            distress each month. Kept small: a supplier that loses a big client often
            fails before its URSSAF debt or headcount shows it, so the company's own
            observable signals must not reveal the contagion; only its partners' failure
            (the graph) does.
        burn_in_months: months simulated before the first delivered month so that
            distress starts from its stationary state.
    """

    base_annual_rate: float = 0.03
    distress_weight: float = 1.5
    size_slope: float = -0.18
    distress_rho: float = 0.92
    distress_sigma: float = 0.2
    episode_rate: float = 0.007
    episode_min_months: int = 6
    episode_max_months: int = 18
    episode_drift: float = 0.3
    shock_rho: float = 0.9
    sector_shock_sd: float = 0.3
    departement_shock_sd: float = 0.18
    client_contagion: float = 7.0
    supplier_contagion: float = 2.5
    group_contagion: float = 2.0
    contagion_onset: int = 2
    contagion_window: int = 12
    contagion_decay: float = 8.0
    contagion_distress_push: float = 0.01
    burn_in_months: int = 60


@dataclass(frozen=True)
class MessParams:
    """Real-world defects injected in the deliveries (all recorded in the ground truth).

    Attributes:
        malformed_rate: share of data rows made unreadable (bad SIRET, bad date, truncated line).
        late_rate: probability that an event file arrives one or two deliveries late.
        missing_rate: probability that an event file is never delivered.
        missing_deliveries: number of whole monthly deliveries skipped (their files
            arrive with the next delivery).
        correction_rate: share of supplier-flow rows re-sent later with a corrected amount.
        short_period_rate: share of debit files using the short ``YYQM`` period form.
        gzip_flows: supplier-flow files are written as ``.csv.gz``.
    """

    malformed_rate: float = 0.005
    late_rate: float = 0.05
    missing_rate: float = 0.01
    missing_deliveries: int = 1
    correction_rate: float = 0.01
    short_period_rate: float = 0.2
    gzip_flows: bool = True


@dataclass(frozen=True)
class SynthConfig:
    """What ``signaux synth`` generates.

    Attributes:
        companies: companies with >= 10 employees (the perimeter).
        months: delivered months.
        seed: everything is a function of the seed.
        out: output folder (``deliveries/`` and ``ground_truth/`` are created in it).
        contagion: False zeroes every contagion term and nothing else.
        start: first delivered month, ``YYYY-MM``.
        small_company_share: small companies (< 10 employees) added as suppliers and
            clients, as a share of ``companies``.
        group_share: share of perimeter companies that belong to a group.
        mean_clients: mean number of regional clients per supplier.
        progress: show a tqdm progress bar.
        hazard: failure-hazard parameters.
        mess: real-world defects.
    """

    companies: int = 14000
    months: int = 48
    seed: int = 0
    out: Path = Path("var/synth")
    contagion: bool = True
    start: str = "2022-01"
    small_company_share: float = 0.25
    group_share: float = 0.12
    mean_clients: float = 4.0
    progress: bool = True
    hazard: HazardParams = field(default_factory=HazardParams)
    mess: MessParams = field(default_factory=MessParams)

    def __post_init__(self) -> None:
        if self.companies < 20:
            raise ValueError("companies must be at least 20")
        if self.seed < 0:
            raise ValueError("seed must be non-negative")
        if self.months < 1:
            raise ValueError("months must be at least 1")
        year, _, month = self.start.partition("-")
        if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12 and len(year) == 4):
            raise ValueError(f"start must be YYYY-MM, got {self.start!r}")

    def to_json(self) -> dict[str, Any]:
        """The configuration as JSON-ready values (for ``params.json``)."""
        raw = dataclasses.asdict(self)
        raw["out"] = str(self.out)
        return raw


@dataclass(frozen=True)
class SynthResult:
    """What was generated.

    Attributes:
        out: the output folder.
        deliveries: delivery folder names, oldest first.
        companies: companies written (perimeter, small companies and holdings).
        perimeter: companies with >= 10 employees at the start.
        failures: companies that opened a procédure collective during the delivered months.
        yearly_failure_rate: failures per year among the perimeter.
        files: data files written.
        rows: data rows written per file family.
        malformed_rows: rows made unreadable on purpose.
    """

    out: Path
    deliveries: list[str]
    companies: int
    perimeter: int
    failures: int
    yearly_failure_rate: float
    files: int
    rows: dict[str, int]
    malformed_rows: int

    @property
    def deliveries_dir(self) -> Path:
        """Folder of the monthly delivery folders."""
        return self.out / "deliveries"

    @property
    def ground_truth_dir(self) -> Path:
        """Folder of the ground truth (never read by the loaders)."""
        return self.out / "ground_truth"
