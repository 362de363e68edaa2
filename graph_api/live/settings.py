"""Settings of the live updates (GraphQL subscriptions), read from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph_api.envvars import env_number


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    value = env_number(env, name, default)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


@dataclass(frozen=True)
class LiveSettings:
    """How subscriptions poll Neo4j.

    Attributes:
        poll_interval: seconds between two polls of one subscription
            (``SIGNAUX_LIVE_POLL_INTERVAL``).
        overlap: seconds a cursor on ``created_at`` looks back, so that a
            transaction committing after a later one is still seen
            (``SIGNAUX_LIVE_OVERLAP``).
        batch: most items read per poll (``SIGNAUX_LIVE_BATCH``).
    """

    poll_interval: float = 2.0
    overlap: float = 30.0
    batch: int = 200

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LiveSettings:
        """Reads the ``SIGNAUX_LIVE_*`` variables.

        Raises:
            ValueError: a variable is not a positive number.
        """
        return cls(
            poll_interval=_number(env, "SIGNAUX_LIVE_POLL_INTERVAL", cls.poll_interval),
            overlap=_number(env, "SIGNAUX_LIVE_OVERLAP", cls.overlap),
            batch=int(_number(env, "SIGNAUX_LIVE_BATCH", cls.batch)),
        )
