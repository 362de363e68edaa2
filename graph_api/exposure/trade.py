"""Trade exposure aggregates: the share of a company's sales and purchases tied to partners at risk.

Shares come from SUPPLIES (``supplier_dependency``: a client's share of the
company's sales; ``client_dependency``: a supplier's share of its purchases,
both over 12 months). A partner is *in a procedure* when a judgment opened one
(public, BODACC); it is *on alert* when its latest score's level is moderate or
high, which is part of the partner's scores block: only partners whose score
block the doctrine grants count, each decided and audited; the share tied to the
others (not in a procedure) is reported as undisclosed rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ON_ALERT_LEVELS = frozenset({"moderate", "high"})


@dataclass
class SideTotals:
    """Aggregates of one side (sales or purchases)."""

    partners: int = 0
    amount_12m: float = 0.0
    share_in_procedure: float = 0.0
    share_on_alert: float = 0.0
    share_at_risk: float = 0.0
    share_undisclosed: float = 0.0
    amount_at_risk: float = 0.0
    at_risk: list[str] = field(default_factory=list)


def aggregate(rows: list[dict[str, Any]], alerts: dict[str, str | None], cleared: set[str]) -> dict[str, SideTotals]:
    """Sums the partners' shares per side.

    Args:
        rows: ``service.trade_partners`` rows (side, siren, share, amount, in_procedure).
        alerts: latest alert level of the cleared partners.
        cleared: partners whose score block the doctrine grants.

    Returns:
        ``{"SALES": ..., "PURCHASES": ...}``.
    """
    out = {"SALES": SideTotals(), "PURCHASES": SideTotals()}
    for r in rows:
        t = out[r["side"]]
        share = float(r["share"] or 0.0)
        amount = float(r["amount"] or 0.0)
        on_alert = r["siren"] in cleared and alerts.get(r["siren"]) in ON_ALERT_LEVELS
        t.partners += 1
        t.amount_12m += amount
        if r["in_procedure"]:
            t.share_in_procedure += share
        if on_alert:
            t.share_on_alert += share
        if r["in_procedure"] or on_alert:
            t.share_at_risk += share
            t.amount_at_risk += amount
            t.at_risk.append(r["siren"])
        elif r["siren"] not in cleared:
            t.share_undisclosed += share
    for t in out.values():
        t.at_risk.sort()
    return out
