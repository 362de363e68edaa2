"""Parquet partitions written atomically, read through DuckDB "as known by" a date.

Layout: ``<measures_dir>/<table>/delivery=<id>/<source file>.parquet``. A partition
holds what one source file of one delivery brought to one table; its path is
deterministic, so reloading a file overwrites its partition (idempotent), and it
is written to a temporary name then renamed (a killed load leaves either the old
partition or the new one, never half of one).
"""

# SQL text here is assembled from fixed fragments and our own table paths; every
# value from callers goes in as a DuckDB parameter.
# ruff: noqa: S608

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from graphstore.measures.tables import SPECS, Table, full_schema
from graphstore.settings import get_settings

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class Provenance:
    """Where rows come from.

    Attributes:
        delivery: the delivery id (its folder name, e.g. ``2025-03``).
        known_on: the date the delivery became known.
        source_file: the file name within the delivery.
    """

    delivery: str
    known_on: date
    source_file: str


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _quote(path: Path | str) -> str:
    # Paths are ours (settings + sanitised names), quoting guards the odd apostrophe.
    return "'" + str(path).replace("'", "''") + "'"


class MeasureStore:
    """Writes and reads the measure tables.

    Args:
        root: the store folder; ``StoreSettings.measures_dir`` when omitted.
        memory_limit: DuckDB's memory cap (it spills to disk beyond), so that a
            query over many deliveries does not make the process grow with them.
        threads: DuckDB's worker threads.
    """

    def __init__(self, root: Path | None = None, memory_limit: str = "512MB", threads: int = 2) -> None:
        self.root = root or get_settings().measures_dir
        self._con = duckdb.connect(config={"memory_limit": memory_limit, "threads": threads})
        self._lock = threading.Lock()

    # -- write side ---------------------------------------------------------

    def partition_path(self, table: Table, delivery: str, source_file: str) -> Path:
        """The deterministic path of one (table, delivery, source file) partition."""
        return (
            self.root / table.value / f"delivery={_SAFE.sub('_', delivery)}" / f"{_SAFE.sub('_', source_file)}.parquet"
        )

    def write(self, table: Table, rows: Iterable[Mapping[str, Any]], prov: Provenance, chunk_rows: int = 25_000) -> int:
        """Writes one partition, replacing the one the same file wrote before.

        Rows are consumed lazily in chunks (one Parquet row group each), so memory
        does not grow with the file.

        Args:
            table: the target table.
            rows: mappings with the table's data columns (missing ones are null).
            prov: the delivery and file they come from.
            chunk_rows: rows per row group.

        Returns:
            The number of rows written.
        """
        schema = full_schema(table)
        names = SPECS[table].schema.names
        path = self.partition_path(table, prov.delivery, prov.source_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}{_TMP_SUFFIX}{os.getpid()}")
        total = 0
        try:
            with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
                for chunk in _chunks(rows, chunk_rows):
                    cols: dict[str, list[Any]] = {n: [r.get(n) for r in chunk] for n in names}
                    cols["known_on"] = [prov.known_on] * len(chunk)
                    cols["source_file"] = [prov.source_file] * len(chunk)
                    writer.write_table(pa.Table.from_pydict(cols, schema=schema))
                    total += len(chunk)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return total

    def write_arrow(
        self, table: Table, pieces: Iterable[pa.Table], prov: Provenance, row_group_rows: int = 100_000
    ) -> int:
        """Writes one partition from Arrow pieces holding the data columns, consumed one at a time.

        Like ``write`` (same atomic replacement), for readers that build columns
        directly; memory holds one piece at a time. Nothing is written when there
        are no rows.

        Args:
            table: the target table.
            pieces: tables with the table's data columns (same types).
            prov: the delivery and file they come from.
            row_group_rows: the largest Parquet row group.

        Returns:
            The number of rows written.
        """
        schema = full_schema(table)
        path = self.partition_path(table, prov.delivery, prov.source_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}{_TMP_SUFFIX}{os.getpid()}")
        known_on = pa.scalar(prov.known_on, pa.date32())
        source_file = pa.scalar(prov.source_file, pa.string())
        total = 0
        writer: pq.ParquetWriter | None = None
        try:
            for piece in pieces:
                n = piece.num_rows
                if n == 0:
                    continue
                if writer is None:
                    writer = pq.ParquetWriter(tmp, schema, compression="zstd")
                cols = [piece.column(f.name) for f in SPECS[table].schema]
                cols += [pa.repeat(known_on, n), pa.repeat(source_file, n)]
                writer.write_table(pa.Table.from_arrays(cols, schema=schema), row_group_size=row_group_rows)
                total += n
            if writer is not None:  # no rows, no partition (as ``load_measures`` of an empty file)
                writer.close()
                writer = None
                os.replace(tmp, path)
        except BaseException:
            if writer is not None:
                writer.close()
            tmp.unlink(missing_ok=True)
            raise
        return total

    def write_table(self, table: Table, data: pa.Table, prov: Provenance) -> int:
        """Writes one partition from an Arrow table holding the data columns."""
        cols = {
            n: data.column(n) if n in data.column_names else pa.nulls(data.num_rows) for n in SPECS[table].schema.names
        }
        cols["known_on"] = pa.array([prov.known_on] * data.num_rows, pa.date32())
        cols["source_file"] = pa.array([prov.source_file] * data.num_rows, pa.string())
        arrow = pa.Table.from_pydict(cols).cast(full_schema(table))
        path = self.partition_path(table, prov.delivery, prov.source_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}{_TMP_SUFFIX}{os.getpid()}")
        try:
            pq.write_table(arrow, tmp, compression="zstd")
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return int(data.num_rows)

    def has_partition(self, table: Table, delivery: str, source_file: str) -> bool:
        """True when that file of that delivery already wrote that table."""
        return self.partition_path(table, delivery, source_file).exists()

    def drop_delivery(self, delivery: str) -> int:
        """Removes every partition of a delivery (all tables); returns how many."""
        n = 0
        for table in Table:
            folder = self.root / table.value / f"delivery={_SAFE.sub('_', delivery)}"
            for f in folder.glob("*.parquet"):
                f.unlink()
                n += 1
        return n

    # -- read side ----------------------------------------------------------

    def _files(self, table: Table) -> list[Path]:
        return sorted((self.root / table.value).glob("delivery=*/*.parquet"))

    def raw_sql(self, table: Table) -> str:
        """A DuckDB relation (SQL text) over every row of a table, all deliveries."""
        if not self._files(table):
            cols = ", ".join(f"CAST(NULL AS {_duck_type(f.type)}) AS {f.name}" for f in full_schema(table))
            return f"(SELECT {cols}, CAST(NULL AS VARCHAR) AS delivery WHERE false)"
        glob = _quote(self.root / table.value / "delivery=*" / "*.parquet")
        return f"read_parquet({glob}, hive_partitioning = true, hive_types = {{'delivery': 'VARCHAR'}})"

    def current_sql(self, table: Table, known_by: date | None = None, where: str = "") -> str:
        """SQL of a table as known by a date: one row per key, the latest known one.

        Args:
            table: the table.
            known_by: only deliveries known on or before this date count; all when None.
            where: ``AND ...`` conditions applied before picking the latest version of
                each key, so that the window runs over the rows they keep only. They must
                hold for every version of a key alike (key columns, or columns the key
                determines, such as the SIREN of a SIRET), or the result changes.
        """
        spec = SPECS[table]
        key = ", ".join(spec.key)
        # A file listing a key twice (a messy export) would otherwise let the pick
        # vary from one query to the next: the other columns break the tie.
        ties = "".join(f", {n} DESC NULLS LAST" for n in spec.schema.names if n not in spec.key)
        where = (f"WHERE known_on <= DATE '{known_by.isoformat()}' " if known_by else "WHERE true ") + where
        return (
            f"(SELECT * FROM {self.raw_sql(table)} {where} "
            f"QUALIFY row_number() OVER (PARTITION BY {key} "
            f"ORDER BY known_on DESC, delivery DESC, source_file DESC{ties}) = 1)"
        )

    def query(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Runs DuckDB SQL (built with ``current_sql``/``raw_sql``) and returns a DataFrame.

        Args:
            sql: the query; values go in ``params`` (``?`` or ``$name`` placeholders).
            params: the query parameters.
        """
        with self._lock:
            cur = self._con.cursor()
        try:
            df: pd.DataFrame = cur.execute(sql, params or []).df()
            return df
        finally:
            cur.close()

    def arrow(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pa.Table:
        """Like ``query`` but returns an Arrow table (no pandas conversion)."""
        with self._lock:
            cur = self._con.cursor()
        try:
            return cur.sql(sql, params=params or None).to_arrow_table()
        finally:
            cur.close()

    def batches(
        self, sql: str, params: list[Any] | dict[str, Any] | None = None, rows: int = 20_000
    ) -> Iterator[pa.RecordBatch]:
        """Like ``arrow`` but streamed, ``rows`` rows at a time (memory does not grow with the result)."""
        with self._lock:
            cur = self._con.cursor()
        try:
            yield from cur.sql(sql, params=params or None).to_arrow_reader(rows)
        finally:
            cur.close()

    def deliveries(self) -> list[str]:
        """Every delivery id present in the store, sorted."""
        found = {p.parent.name.split("=", 1)[1] for t in Table for p in self._files(t)}
        return sorted(found)


def _duck_type(t: pa.DataType) -> str:
    if pa.types.is_date32(t):
        return "DATE"
    if pa.types.is_int64(t):
        return "BIGINT"
    if pa.types.is_floating(t):
        return "DOUBLE"
    return "VARCHAR"
