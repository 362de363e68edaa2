"""Fixtures of the API tests (helpers in ``api_support``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import LiveApi, running_api

from graphstore.settings import StoreSettings


@pytest.fixture(scope="module")
def api(neo4j_settings: StoreSettings) -> Iterator[LiveApi]:
    """An API in embedded mode, shared by a test module."""
    with running_api() as live:
        yield live
