"""GraphQL types of detection lists.

An item carries the published alert, the caller's agency's handling of it and
the company as a ``Company``: its public identity for everyone, its data blocks
(scores, URSSAF…) through the same guarded loaders as the company page, so the
doctrine decides company by company and every block read is audited.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from graph_api.company.types import Company
from graph_api.detection.scope import HandlingStatus, ListFilters

DetectionHandlingStatus = strawberry.enum(
    HandlingStatus, name="DetectionHandlingStatus", description="The caller's agency's handling of an alert."
)


@strawberry.input(description="Filters of a detection list; every filter given must hold.")
class DetectionFilters:
    departements: list[str] | None = strawberry.field(
        default=None, description="Head-office départements; each must be one of the caller's zones."
    )
    naf_prefix: str | None = strawberry.field(default=None, description="Sector: NAF prefix (dots ignored), `56.1`.")
    size_bands: list[str] | None = strawberry.field(default=None, description="Sirene headcount bands, e.g. `11`.")
    levels: list[str] | None = strawberry.field(default=None, description="Alert levels: `moderate`, `high`.")
    first_alert_only: bool = strawberry.field(default=False, description="Only companies listed for the first time.")
    followed_by_my_agency: bool | None = strawberry.field(
        default=None, description="True: followed by the caller's agency now; false: not followed."
    )
    statuses: list[DetectionHandlingStatus] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="The caller's agency's handling statuses (`NEW`: not handled yet)."
    )

    def to_filters(self) -> ListFilters:
        """The domain's filters."""
        return ListFilters(
            departements=tuple(self.departements) if self.departements is not None else None,
            naf_prefix=self.naf_prefix,
            size_bands=tuple(self.size_bands) if self.size_bands is not None else None,
            levels=tuple(self.levels) if self.levels is not None else None,
            first_alert_only=self.first_alert_only,
            followed=self.followed_by_my_agency,
            statuses=tuple(HandlingStatus(s) for s in self.statuses) if self.statuses else None,
        )


@strawberry.type(description="A published alert: the company was on its region's detection list that month.")
class DetectionAlert:
    id: str
    period: str
    level: str | None
    region: str | None
    first_alert: bool | None = strawberry.field(description="False when the company was listed before.")
    rank: int | None = strawberry.field(description="Position in the region's published list.")
    listed_at: datetime | None


@strawberry.type(description="The caller's agency's handling of an alert (status NEW when not handled yet).")
class DetectionHandling:
    status: DetectionHandlingStatus  # type: ignore[valid-type]
    reason: str | None
    at: datetime | None
    by: str | None
    intervention_id: str | None


@strawberry.type(description="One company on a detection list.")
class DetectionItem:
    cursor: str
    alert: DetectionAlert
    company: Company = strawberry.field(
        description="Public identity for everyone; data blocks only where the doctrine grants them."
    )
    followed_by_my_agency: bool
    handling: DetectionHandling
    visible_blocks: list[str] = strawberry.field(
        description="The data blocks the caller may see for this company (`urssaf`, `short_time_work`, `bdf`, `scores`)."
    )


@strawberry.type(description="How many items have one value of a field.")
class DetectionCount:
    value: str
    count: int


@strawberry.type(description="A page of a region's detection list of one month, within the caller's zones.")
class DetectionList:
    region: str
    period: str | None = strawberry.field(description="The list's month; null when the region has none yet.")
    departements: list[str] = strawberry.field(description="The départements read: the caller's, within the region.")
    total_count: int = strawberry.field(description="Items matching the filters.")
    counts_by_level: list[DetectionCount]
    counts_by_status: list[DetectionCount]
    items: list[DetectionItem]
    end_cursor: str | None
    has_next_page: bool
