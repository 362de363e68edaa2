"""Per-file and per-delivery load reports: printed as a table, stored on the Delivery."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class FileStatus(StrEnum):
    """What happened to one file of a delivery."""

    LOADED = "loaded"  # read and loaded (bad rows, if any, are in the reject file)
    REJECTED = "rejected"  # unreadable as a whole (missing column, encoding…): nothing loaded
    FAILED = "failed"  # an unexpected error while loading; retried by the next refresh
    UNCHANGED = "unchanged"  # already loaded with the same checksum: not read again
    IGNORED = "ignored"  # not a recognised source file name


class DeliveryStatus(StrEnum):
    """State of a delivery in the graph."""

    LOADING = "loading"  # started, not finished (a killed run leaves this)
    LOADED = "loaded"  # every file loaded or rejected
    INCOMPLETE = "incomplete"  # some file failed: the next refresh retries it
    SKIPPED = "skipped"  # already loaded with the same files (nothing done; never stored)


@dataclass
class FileReport:
    """The outcome of one file.

    Attributes:
        name: file name.
        source: the source id (``sirene_unites_legales``…), None when not recognised.
        sha256: checksum of the file's bytes.
        lines_read: data lines read (header excluded).
        loaded: records now in the graph or the measure store (a stock row identical to
            what the graph holds counts as loaded without being written again; wide
            headcount files give one record per month cell).
        rejected: rows written to the reject file.
        skipped: records read but deliberately not loaded (e.g. the rows of a stock
            older than the newest one loaded).
        status: see ``FileStatus``.
        error: why the file was rejected or failed.
        reject_file: where its rejected rows are, when any.
        seconds: wall time of its load.
    """

    name: str
    source: str | None
    sha256: str
    lines_read: int = 0
    loaded: int = 0
    rejected: int = 0
    skipped: int = 0
    status: FileStatus = FileStatus.LOADED
    error: str | None = None
    reject_file: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        d = asdict(self)
        d["status"] = self.status.value
        return d


@dataclass
class DeliveryReport:
    """The outcome of one delivery.

    Attributes:
        delivery: delivery id (folder name).
        status: see ``DeliveryStatus``.
        files: one report per file, in load order.
        derived_events: timeline events derived from its measures.
        supplies: SUPPLIES relationships recomputed (0 when not recomputed).
        absent: companies and establishments flagged as no longer in the stocks.
        seconds: wall time of the load.
        phases: wall seconds per phase of the load (``graph_files``, ``wait_workers``,
            ``absent``, ``events``, ``supplies``); for benchmarks, not stored.
    """

    delivery: str
    status: DeliveryStatus
    files: list[FileReport] = field(default_factory=list)
    derived_events: int = 0
    supplies: int = 0
    absent: tuple[int, int] = (0, 0)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        """The JSON stored as ``Delivery.report``."""
        return json.dumps(
            {
                "delivery": self.delivery,
                "status": self.status.value,
                "files": [f.as_dict() for f in self.files],
                "derived_events": self.derived_events,
                "supplies": self.supplies,
                "absent_companies": self.absent[0],
                "absent_establishments": self.absent[1],
                "seconds": round(self.seconds, 1),
            },
            ensure_ascii=False,
        )

    def table(self) -> str:
        """A fixed-width table for the terminal."""
        head = ("file", "source", "read", "loaded", "rejected", "skipped", "s", "status", "error")
        rows = [
            (f.name, f.source or "-", str(f.lines_read), str(f.loaded), str(f.rejected), str(f.skipped),
             f"{f.seconds:.1f}", f.status.value, (f.error or "")[:80])
            for f in self.files
        ]  # fmt: skip
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
        numeric = {2, 3, 4, 5, 6}

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(
                c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        title = f"delivery {self.delivery}: {self.status.value} in {self.seconds:.1f} s"
        extra = (
            f"  derived events {self.derived_events}, SUPPLIES {self.supplies}, "
            f"no longer in stock: {self.absent[0]} companies, {self.absent[1]} establishments"
        )
        return "\n".join([title, line(head), line(tuple("-" * w for w in widths)), *map(line, rows), extra])
