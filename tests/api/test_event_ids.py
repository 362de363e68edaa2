"""API event ids sort in the order the changes happened (the stream orders a day's events by id)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from graph_api.timeline.ids import api_event_id


def test_ids_sort_by_time_and_are_unique() -> None:
    start = datetime(2026, 11, 26, 9, 59, 59, 999_999, tzinfo=UTC)
    moments = [start + timedelta(microseconds=n) for n in (0, 1, 2, 1_000_000, 3_600_000_000)]
    ids = [api_event_id(m) for m in moments]
    assert ids == sorted(ids)
    assert len({api_event_id(start) for _ in range(1000)}) == 1000


def test_ids_compare_in_utc_whatever_the_offset() -> None:
    paris = timezone(timedelta(hours=1))
    earlier_in_paris = datetime(2026, 11, 26, 10, 30, tzinfo=paris)  # 09:30 UTC
    later_in_utc = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    assert api_event_id(earlier_in_paris) < api_event_id(later_in_utc)
