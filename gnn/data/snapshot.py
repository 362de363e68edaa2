"""Cuts the HeteroData snapshot of month t out of the dated graph.

Time rule (docs/gnn.md): a node or edge is in the snapshot of month t only if it
was known by the end of t (``known_on``), an edge only if ``since <= end of t <
until``, and a procédure collective counts only if judged and known by the end of
t; ``GnnConfig.resent_facts`` says how facts re-sent by the sources are dated.
Supplier edges and weights come from the measure store's flows as known at t when
it has any, else from the SUPPLIES relationships. Labels (a failure in the following months) are attached separately, by training
code only, with the date up to which failures may be known.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import torch
from torch_geometric.data import HeteroData

from gnn.config import GnnConfig, ResentPolicy
from gnn.data.distress import MeasureReader
from gnn.data.extract import NEVER, TemporalGraph, day
from gnn.data.features import company_features
from gnn.data.months import add_months, month_end
from graphstore.measures.tables import Table

COMPANY, PERSON, GROUP = "company", "person", "group"

# Every snapshot has every edge type (possibly empty) so one model fits all months.
EDGE_TYPES: tuple[tuple[str, str, str], ...] = (
    (COMPANY, "supplies", COMPANY),
    (COMPANY, "rev_supplies", COMPANY),
    (COMPANY, "owns", COMPANY),
    (COMPANY, "rev_owns", COMPANY),
    (PERSON, "owns", COMPANY),
    (COMPANY, "rev_owns", PERSON),
    (COMPANY, "directs", COMPANY),
    (COMPANY, "rev_directs", COMPANY),
    (PERSON, "directs", COMPANY),
    (COMPANY, "rev_directs", PERSON),
    (COMPANY, "member_of", GROUP),
    (GROUP, "rev_member_of", COMPANY),
    (PERSON, "linked_to", COMPANY),
)


def _procedure_status(graph: TemporalGraph, t_day: int) -> pd.DataFrame:
    p = graph.procedures
    seen = p[(p["judgment_date"] <= t_day) & (p["known_on"] <= t_day)]
    seen = seen.assign(liquidation=(seen["kind"].astype(str).str.lower() == "liquidation").astype(float))
    return seen.groupby("siren").agg(
        first_judgment=("judgment_date", "min"),
        last_judgment=("judgment_date", "max"),
        liquidation=("liquidation", "max"),
    )


def _active_links(df: pd.DataFrame, t_day: int, policy: ResentPolicy) -> pd.DataFrame:
    known = df["known_on"] <= t_day
    if policy is ResentPolicy.VALID_TIME:
        # An ended link was re-sent with its end date, which rewrote its known_on.
        known |= df["until"] < NEVER
    return df[(df["since"] <= t_day) & (df["until"] > t_day) & known]


def _supply_edges(graph: TemporalGraph, month: date, t_day: int, reader: MeasureReader | None) -> pd.DataFrame:
    # Flows in the measure store carry their own known_on per month, so the weights
    # are exactly those known at t; the aggregated SUPPLIES edge only holds today's.
    if reader is not None and reader.has(Table.SUPPLIER_FLOWS):
        return reader.supplier_flows(month)
    s = graph.supplies
    year_ago = day(add_months(month, -11))
    live = s[(s["since"] <= t_day) & (s["known_on"] <= t_day) & (s["last_month"] >= year_ago)]
    return live[["src", "dst", "supplier_dependency", "client_dependency"]]


def _index(keys: pd.Series, index: dict[str, int]) -> np.ndarray:
    return keys.map(index).to_numpy(dtype=np.int64)


def _edge(src: np.ndarray, dst: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.stack([src, dst]).astype(np.int64)).reshape(2, -1)


def build_snapshot(
    graph: TemporalGraph,
    month: date,
    config: GnnConfig | None = None,
    reader: MeasureReader | None = None,
) -> HeteroData:
    """The graph as known at the end of ``month``.

    Args:
        graph: the dated graph (``read_temporal_graph``).
        month: the month t (any day of it).
        config: the GNN configuration (``resent_facts``); defaults when omitted.
        reader: the measure store reader; without it, no distress signals and
            supplier weights from the SUPPLIES edges.

    Returns:
        HeteroData with node types company, person, group (``x``; companies also
        ``siren``, ``in_procedure``), every edge type of ``EDGE_TYPES`` with
        ``edge_index`` and ``edge_weight``, and ``month`` (first day of t).
    """
    config = config or GnnConfig()
    month = date(month.year, month.month, 1)
    t_day = int(day(month_end(month)))

    c = graph.companies
    keep = c["created_on"] <= t_day
    if config.resent_facts is ResentPolicy.KNOWN_ON:
        keep &= c["known_on"] <= t_day
    companies = c[keep].sort_values("siren").reset_index(drop=True)
    cidx = {s: i for i, s in enumerate(companies["siren"])}
    in_graph = set(cidx)

    supplies = _supply_edges(graph, month, t_day, reader)
    supplies = supplies[supplies["src"].isin(in_graph) & supplies["dst"].isin(in_graph)]
    supplies = supplies[supplies["src"] != supplies["dst"]]
    owns = _active_links(graph.owns, t_day, config.resent_facts)
    directs = _active_links(graph.directs, t_day, config.resent_facts)
    links = pd.concat([owns.assign(rel="owns"), directs.assign(rel="directs")], ignore_index=True)
    links = links[links["dst"].isin(in_graph)]
    links = links[(links["src_type"] == PERSON) | links["src"].isin(in_graph)]
    links = links[~((links["src_type"] == COMPANY) & (links["src"] == links["dst"]))]
    m = graph.member_of
    m = m[m["src"].isin(in_graph)]
    if config.resent_facts is ResentPolicy.KNOWN_ON:
        m = m[m["known_on"] <= t_day]
    members = m.drop_duplicates(["src", "dst"])

    persons = sorted(set(links.loc[links["src_type"] == PERSON, "src"].astype(str)))
    groups = sorted(set(members["dst"].astype(str)))
    pidx = {p: i for i, p in enumerate(persons)}
    gidx = {g: i for i, g in enumerate(groups)}

    status = _procedure_status(graph, t_day)
    signals = pd.DataFrame(columns=["siren"]).set_index("siren")
    if reader is not None:
        signals = reader.company_signals(month).drop_duplicates("siren").set_index("siren")
    corporate = pd.concat([links["dst"], links.loc[links["src_type"] == COMPANY, "src"], members["src"]])
    degrees = pd.DataFrame(
        {
            "suppliers": supplies.groupby("dst").size(),
            "clients": supplies.groupby("src").size(),
            "corporate_links": corporate.value_counts(),
        }
    )
    x = company_features(companies, status, signals, degrees, t_day)

    data = HeteroData()
    data.month = month
    data[COMPANY].x = torch.from_numpy(x)
    data[COMPANY].siren = list(companies["siren"])
    data[COMPANY].in_procedure = torch.from_numpy(x[:, 0] > 0.5)
    # Persons and groups have no attributes of their own: they only relay messages.
    data[PERSON].x = torch.ones((len(persons), 1))
    data[PERSON].key = persons
    data[GROUP].x = torch.ones((len(groups), 1))
    data[GROUP].key = groups

    s_src, s_dst = _index(supplies["src"], cidx), _index(supplies["dst"], cidx)
    # Supplier -> client carries the client's dependency on that supplier, and back.
    data[COMPANY, "supplies", COMPANY].edge_index = _edge(s_src, s_dst)
    data[COMPANY, "supplies", COMPANY].edge_weight = torch.tensor(
        supplies["client_dependency"].to_numpy(), dtype=torch.float32
    )
    data[COMPANY, "rev_supplies", COMPANY].edge_index = _edge(s_dst, s_src)
    data[COMPANY, "rev_supplies", COMPANY].edge_weight = torch.tensor(
        supplies["supplier_dependency"].to_numpy(), dtype=torch.float32
    )

    for rel in ("owns", "directs"):
        for src_type, idx in ((COMPANY, cidx), (PERSON, pidx)):
            part = links[(links["rel"] == rel) & (links["src_type"] == src_type)]
            src, dst = _index(part["src"].astype(str), idx), _index(part["dst"], cidx)
            w = torch.tensor(part["weight"].to_numpy(dtype=float), dtype=torch.float32)
            data[src_type, rel, COMPANY].edge_index = _edge(src, dst)
            data[src_type, rel, COMPANY].edge_weight = w
            data[COMPANY, f"rev_{rel}", src_type].edge_index = _edge(dst, src)
            data[COMPANY, f"rev_{rel}", src_type].edge_weight = w.clone()

    # Each (person, company) pair once, whether the person owns, directs or both:
    # the shared-person relay of the group channel reads it every training step.
    person_links = links[links["src_type"] == PERSON].drop_duplicates(["src", "dst"])
    data[PERSON, "linked_to", COMPANY].edge_index = _edge(
        _index(person_links["src"].astype(str), pidx), _index(person_links["dst"], cidx)
    )
    data[PERSON, "linked_to", COMPANY].edge_weight = torch.ones(len(person_links), dtype=torch.float32)

    m_src, m_dst = _index(members["src"], cidx), _index(members["dst"].astype(str), gidx)
    ones = torch.ones(len(members), dtype=torch.float32)
    data[COMPANY, "member_of", GROUP].edge_index = _edge(m_src, m_dst)
    data[COMPANY, "member_of", GROUP].edge_weight = ones
    data[GROUP, "rev_member_of", COMPANY].edge_index = _edge(m_dst, m_src)
    data[GROUP, "rev_member_of", COMPANY].edge_weight = ones.clone()
    return data


def attach_labels(data: HeteroData, graph: TemporalGraph, horizon_months: int, known_by: date) -> None:
    """Adds ``y`` (failure within the horizon after t) and ``label_mask`` to the companies.

    A company is labelled only when the whole window (t, t + horizon] ended by
    ``known_by`` and it was not already in a procedure at t (judged by t, known by
    ``known_by``). Only procedures known by ``known_by`` count.

    Args:
        data: a snapshot from ``build_snapshot``.
        graph: the dated graph it came from.
        horizon_months: window length.
        known_by: the date up to which facts may be used for labels.

    Raises:
        ValueError: the window of this snapshot does not end by ``known_by``.
    """
    month: date = data.month
    t_day = int(day(month_end(month)))
    w_end = month_end(add_months(month, horizon_months))
    if w_end > known_by:
        raise ValueError(f"label window of {month:%Y-%m} ends {w_end}, after {known_by}: would use the future")
    p = graph.procedures
    known = p[p["known_on"] <= int(day(known_by))]
    first = known.groupby("siren")["judgment_date"].min()
    f = pd.Series(data[COMPANY].siren).map(first).to_numpy(dtype=float)
    y = (f > t_day) & (f <= int(day(w_end)))
    already = f <= t_day
    data[COMPANY].y = torch.from_numpy(y.astype(np.float32))
    data[COMPANY].label_mask = torch.from_numpy(~already)
