"""The data blocks of the access doctrine and the role each one needs."""

from __future__ import annotations

from enum import StrEnum


class DataBlock(StrEnum):
    """A family of confidential data about a company, guarded as one unit."""

    URSSAF = "urssaf"
    """URSSAF debts, contributions and payment plans."""
    SHORT_TIME_WORK = "short_time_work"
    """Short-time work (activité partielle) requests and usage, from the DGEFP."""
    BDF = "bdf"
    """Banque de France financial ratios."""
    SCORES = "scores"
    """Failure-risk scores and their explanations."""


BLOCK_ROLE: dict[DataBlock, str] = {
    DataBlock.URSSAF: "urssaf",
    DataBlock.SHORT_TIME_WORK: "dgefp",
    DataBlock.BDF: "bdf",
    DataBlock.SCORES: "score",
}
"""The data role a principal must hold to see each block (``Principal.roles``)."""

AUDITOR_ROLE = "auditor"
"""The role that may read the audit log."""

DETECTION_ROLE = "detection"
"""The role that may read the published detection lists (issue 6)."""
