"""A live API polling fast, without its own notification dispatcher (tests drive it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import LiveApi, running_api

from graphstore.settings import StoreSettings


@pytest.fixture(scope="module")
def live(neo4j_settings: StoreSettings) -> Iterator[LiveApi]:
    """An API whose subscriptions poll every 0.2 s."""
    with running_api(SIGNAUX_LIVE_POLL_INTERVAL="0.2", SIGNAUX_NOTIFY_IN_API="false") as api:
        yield api
