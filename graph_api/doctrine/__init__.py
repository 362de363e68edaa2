"""The access doctrine (docs/access.md), in one place.

- ``rules``: pure decisions (``decide_block``, ``can_read_note``, ``visible_blocks``).
- ``facts``: the graph facts they need, batched per request (``facts_loader``).
- ``guard``: enforcement with audit (``authorize_blocks``, ``require_role``).
"""

from graph_api.doctrine.blocks import AUDITOR_ROLE, BLOCK_ROLE, DETECTION_ROLE, DataBlock
from graph_api.doctrine.rules import (
    Basis,
    CompanyFacts,
    Decision,
    NoteFacts,
    NoteVisibility,
    can_read_note,
    decide_block,
    in_zone,
    readable_notes,
    visible_blocks,
)

__all__ = [
    "AUDITOR_ROLE",
    "BLOCK_ROLE",
    "DETECTION_ROLE",
    "Basis",
    "CompanyFacts",
    "DataBlock",
    "Decision",
    "NoteFacts",
    "NoteVisibility",
    "can_read_note",
    "decide_block",
    "in_zone",
    "readable_notes",
    "visible_blocks",
]
