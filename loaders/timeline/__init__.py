"""Timeline events derived by the loaders (``(TimelineEvent)-[:ABOUT]->(Company)``)."""

from loaders.timeline.events import Event, EventKind, event_id

__all__ = ["Event", "EventKind", "event_id"]
