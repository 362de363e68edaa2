"""Page-size rules and offset cursors shared by every paginated field."""

from __future__ import annotations

import base64

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


class OffsetCursor:
    """Opaque cursors of positions in one kind of list (a list ranked by the database).

    The kind is part of the cursor, so a cursor of one list is refused by another.

    Args:
        kind: the list's tag (``search``, ``follows`` …).
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def encode(self, offset: int) -> str:
        """The cursor of the item at ``offset`` (the next page starts after it)."""
        return base64.urlsafe_b64encode(f"{self.kind}:{offset}".encode()).decode()

    def decode(self, cursor: str) -> int | None:
        """The offset of a cursor; None when it is not one of this list's."""
        try:
            raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        except (ValueError, UnicodeDecodeError):
            return None
        kind, _, value = raw.partition(":")
        if kind != self.kind or not value.isdigit():
            return None
        return int(value)

    def skip_after(self, after: str | None) -> int:
        """How many items precede the page that starts after ``after`` (0 without a cursor).

        Raises:
            ApiError: ``BAD_USER_INPUT`` (argument ``after``) for a cursor that is not this list's.
        """
        if after is None:
            return 0
        offset = self.decode(after)
        if offset is None:
            raise bad_input("invalid cursor", argument="after")
        return offset + 1


@strawberry.type(description="Where a page ends and whether more follows (Relay style).")
class PageInfo:
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")
    has_next_page: bool
