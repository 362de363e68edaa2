"""The ``collab`` fixture of the collaboration tests (helpers in ``collab_support``).

Test modules import ``Agent`` and ``Collab`` from ``collab_support``, never from
``conftest``: several directories have a ``conftest`` module, and which one that
name resolves to depends on the collection order.
"""

from __future__ import annotations

import pytest
from api_support import LiveApi
from collab_support import Collab

from graphstore.store import GraphStore


@pytest.fixture
def collab(api: LiveApi, store: GraphStore) -> Collab:
    """The live API on a clean graph (per test)."""
    return Collab(api, store)
