"""Store configuration, read once from the environment into a typed object."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class StoreSettings:
    """Where the graph and the measure store live.

    Attributes:
        uri: ``NEO4J_URI``; when set every command uses that server instead of the
            local embedded one.
        user: ``NEO4J_USER`` (default ``neo4j``).
        password: ``NEO4J_PASSWORD``; for the local server it is generated at first
            start and kept in ``<data_dir>/neo4j/password`` (mode 0600).
        database: ``NEO4J_DATABASE`` (default ``neo4j``).
        data_dir: ``SIGNAUX_DATA_DIR``: local Neo4j files, measure store, models.
        local_port: ``SIGNAUX_NEO4J_PORT``: Bolt port of the local server.
        local_heap: ``SIGNAUX_NEO4J_HEAP``: JVM heap of the local server.
        local_pagecache_mb: ``SIGNAUX_NEO4J_PAGECACHE_MB``.
        launcher_dir: the Maven project of the embedded launcher.
    """

    uri: str | None
    user: str
    password: str | None
    database: str
    data_dir: Path
    local_port: int
    local_heap: str
    local_pagecache_mb: int
    launcher_dir: Path

    @property
    def local_dir(self) -> Path:
        """Folder of the local embedded Neo4j (database files, pid, log, password)."""
        return self.data_dir / "neo4j"

    @property
    def measures_dir(self) -> Path:
        """Folder of the columnar measure store (Parquet)."""
        return self.data_dir / "measures"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> StoreSettings:
        """Builds the settings from environment variables.

        Args:
            env: the variables to read; ``os.environ`` when omitted.

        Raises:
            ValueError: a variable holds a value of the wrong type, named in the message.
        """
        e = dict(os.environ if env is None else env)

        def integer(name: str, default: int) -> int:
            raw = e.get(name, "").strip()
            if not raw:
                return default
            try:
                return int(raw)
            except ValueError:
                raise ValueError(f"{name} must be an integer, got {raw!r}") from None

        return cls(
            uri=e.get("NEO4J_URI") or None,
            user=e.get("NEO4J_USER") or "neo4j",
            password=e.get("NEO4J_PASSWORD") or None,
            database=e.get("NEO4J_DATABASE") or "neo4j",
            data_dir=Path(e.get("SIGNAUX_DATA_DIR") or PROJECT_ROOT / "var").resolve(),
            local_port=integer("SIGNAUX_NEO4J_PORT", 7687),
            local_heap=e.get("SIGNAUX_NEO4J_HEAP") or "2g",
            local_pagecache_mb=integer("SIGNAUX_NEO4J_PAGECACHE_MB", 1024),
            launcher_dir=PROJECT_ROOT / "graphstore" / "launcher",
        )


@lru_cache(maxsize=1)
def get_settings() -> StoreSettings:
    """The process-wide settings (read once)."""
    return StoreSettings.from_env()
