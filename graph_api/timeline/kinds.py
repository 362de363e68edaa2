"""Which data block each timeline event kind belongs to (docs/access.md).

Public kinds (judgments, Sirene, group and ownership changes) are shown to every
agent; a kind tied to a data block only when the doctrine grants that block; any
other kind is hidden (default deny) until it is classified here.
"""

from __future__ import annotations

from graph_api.doctrine.blocks import DataBlock

PUBLIC_KINDS: frozenset[str] = frozenset(
    {
        "insolvency_judgment",
        "establishment_closed",
        "establishment_opened",
        "company_created",
        "company_closed",
        "group_change",
        "ownership_change",
    }
)
"""Kinds visible to every authenticated agent (BODACC, Sirene, links)."""

BLOCK_KINDS: dict[DataBlock, frozenset[str]] = {
    DataBlock.URSSAF: frozenset({"debt_appears", "debt_grows", "payment_plan", "ccsf", "headcount_drop"}),
    DataBlock.SHORT_TIME_WORK: frozenset({"short_time_work_requested", "short_time_work_used"}),
    DataBlock.SCORES: frozenset({"score", "score_crossing", "score_threshold", "alert", "alert_listed"}),
}
"""Kinds whose content comes from a data block (headcount comes from URSSAF declarations)."""


def block_of(kind: str) -> DataBlock | None:
    """The data block of ``kind``; None for a public or unclassified kind."""
    for block, kinds in BLOCK_KINDS.items():
        if kind in kinds:
            return block
    return None


def visible_kinds(granted: set[DataBlock]) -> list[str]:
    """Every kind an agent granted ``granted`` may see."""
    out = set(PUBLIC_KINDS)
    for block in granted:
        out |= BLOCK_KINDS[block]
    return sorted(out)
