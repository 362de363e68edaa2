"""Ids of the timeline events the API writes.

The stream is ordered by (occurred_on, id), and an API event's ``occurred_on``
is its day: an id that starts with the time of the change keeps a day's events
(a follow, then a note, then an intervention opened and closed) in the order
they happened, which random ids would shuffle.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def api_event_id(at: datetime) -> str:
    """A unique id that sorts by ``at`` (to the microsecond) among the API's events.

    Args:
        at: when the change happened (aware; converted to UTC).
    """
    return f"api-{at.astimezone(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:12]}"
