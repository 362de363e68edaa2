"""Page-size rules shared by every paginated field."""

from __future__ import annotations

import strawberry

from graph_api.errors import bad_input
from graph_api.settings import Limits


def page_size(first: int | None, limits: Limits) -> int:
    """The number of items to return for a ``first`` argument.

    Args:
        first: what the client asked for; the default page size when None.
        limits: the configured limits.

    Raises:
        ApiError: ``BAD_USER_INPUT`` when ``first`` is below 1 or above the maximum
            page size (refused rather than silently capped, so a client never
            mistakes a capped page for the whole list).
    """
    if first is None:
        return limits.default_page_size
    if first < 1 or first > limits.max_page_size:
        raise bad_input(
            f"first must be between 1 and {limits.max_page_size}", argument="first", max=limits.max_page_size
        )
    return first


@strawberry.type(description="Where a page ends and whether more follows (Relay style).")
class PageInfo:
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")
    has_next_page: bool
