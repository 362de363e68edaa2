"""A delimited source file, checked as a whole and then streamed row by row.

Opening a :class:`Table` checks everything that concerns the whole file, so a
reader raises :class:`~loaders.records.FileRejected` before its first record:

- the bytes: gzip (recognised by its magic number, whatever the name) must be
  complete, and the text must be UTF-8 (a BOM is tolerated). This costs one
  extra streaming pass over the file, which buys the guarantee that a file is
  never rejected after some of its rows were loaded;
- the header: present, split by the expected delimiter, naming every required
  column (case-insensitively, in any order, unknown columns ignored).

Rows are then read with the csv module over a text stream: memory does not grow
with the file. A row that cannot be read becomes a :class:`~loaders.records.Reject`
and reading goes on.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TypeVar, cast

from loaders.parsing.errors import FieldError
from loaders.records import FileRejected, Reject

T = TypeVar("T")

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16
_OTHER_DELIMITERS = (";", ",", "\t", "|")
_MAX_REJECTED_TEXT = 500


@dataclass(frozen=True)
class Layout:
    """The columns and delimiter a source is expected to have.

    Column names are spelt as in SOURCES.md (that is how messages show them);
    they are matched case-insensitively, and readers access cells by the
    lower-case name.

    Attributes:
        delimiter: the field separator.
        required: columns whose absence rejects the file.
        optional: other known columns.
        dynamic: known columns recognised by a pattern (e.g. ``eff202401``),
            matched against the lower-cased header name.
    """

    delimiter: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    dynamic: re.Pattern[str] | None = None
    _known: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_known", frozenset(c.lower() for c in (*self.required, *self.optional)))

    def knows(self, column: str) -> bool:
        """True when a (lower-case) header name is one this layout expects."""
        if column in self._known:
            return True
        return self.dynamic is not None and self.dynamic.fullmatch(column) is not None


class RowError(Exception):
    """A row cannot be read; becomes a Reject naming the column and value.

    Args:
        column: the column as named in the file's header, or None.
        value: the offending value, or None.
        reason: what is wrong.
    """

    def __init__(self, column: str | None, value: str | None, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.value = value
        self.reason = reason


class Row:
    """One data line of a table: its line number and its cells by column name.

    The accessors are the readers' hot path (millions of calls per delivery):
    they are kept flat on purpose.
    """

    __slots__ = ("_cells", "_index", "_table", "line")

    def __init__(self, table: Table, line: int, cells: list[str]) -> None:
        self._table = table
        self._index = table.index
        self._cells = cells
        self.line = line

    def text(self, column: str) -> str | None:
        """The stripped cell of a column (lower-case name), None when empty or absent."""
        pos = self._index.get(column)
        if pos is None:
            return None
        return self._cells[pos].strip() or None

    def at(self, position: int) -> str | None:
        """The stripped cell at a header position, None when empty."""
        return self._cells[position].strip() or None

    def name(self, column: str) -> str:
        """A column as spelt in the file's header."""
        return self._table.header_name(column)

    def get(self, column: str, parse: Callable[[str], T]) -> T | None:
        """The parsed cell of a column, None when empty.

        Raises:
            RowError: the value does not parse.
        """
        pos = self._index.get(column)
        if pos is None:
            return None
        value = self._cells[pos].strip()
        if not value:
            return None
        try:
            return parse(value)
        except FieldError as exc:
            raise RowError(self._table.header_name(column), value, exc.reason) from None

    def need(self, column: str, parse: Callable[[str], T]) -> T:
        """The parsed cell of a column that must be filled.

        Raises:
            RowError: the value is empty or does not parse.
        """
        pos = self._index.get(column)
        value = self._cells[pos].strip() if pos is not None else ""
        if not value:
            raise RowError(self._table.header_name(column), None, "required value is empty")
        try:
            return parse(value)
        except FieldError as exc:
            raise RowError(self._table.header_name(column), value, exc.reason) from None

    def need_text(self, column: str) -> str:
        """The stripped text of a column that must be filled.

        Raises:
            RowError: the value is empty.
        """
        value = self.text(column)
        if value is None:
            raise RowError(self._table.header_name(column), None, "required value is empty")
        return value

    def fail(self, column: str | None, reason: str) -> RowError:
        """A RowError about a column of this row, with the cell's value."""
        value = self.text(column) if column else None
        return RowError(self._table.header_name(column) if column else None, value, reason)


class Table:
    """A source file opened for reading.

    Args:
        path: the file (plain or gzip-compressed).
        layout: the expected delimiter and columns.

    Raises:
        FileRejected: unreadable gzip, not UTF-8, empty, no header, wrong
            delimiter, duplicate or missing required columns.
    """

    def __init__(self, path: Path, layout: Layout) -> None:
        self.path = path
        self.file = path.name
        self.layout = layout
        self.header: list[str] = []
        self.index: dict[str, int] = {}
        self._header_line = 0
        self._check_bytes()
        self._read_header()

    def reject(self, line: int, column: str | None, value: str | None, reason: str) -> Reject:
        """A Reject of this file."""
        return Reject(self.file, line, column, value, reason)

    def header_name(self, column: str) -> str:
        """A column as spelt in the file's header (the lower-case name when absent)."""
        pos = self.index.get(column)
        return self.header[pos] if pos is not None else column

    def columns_matching(self, pattern: re.Pattern[str]) -> list[tuple[str, int]]:
        """(header name, position) of the columns whose lower-case name matches."""
        return [(self.header[i], i) for name, i in self.index.items() if pattern.fullmatch(name)]

    def rows(self) -> Iterator[Row | Reject]:
        """The data lines, in order, as Rows or (unreadable lines) Rejects.

        Blank lines carry nothing and are skipped.
        """
        for item in self.cells():
            yield item if isinstance(item, Reject) else Row(self, item[0], item[1])

    def cells(self) -> Iterator[tuple[int, list[str]] | Reject]:
        """The data lines as (line number, cells as delivered, one per header column) or Rejects.

        What :meth:`rows` yields, without the Row wrapper: the columnar readers
        (``loaders.columnar``) gather these into column arrays.
        """
        width = len(self.header)
        with self._open_text() as stream:
            reader = csv.reader(stream, delimiter=self.layout.delimiter)
            consumed = 0
            while True:
                start = consumed + 1
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    consumed = reader.line_num
                    where = f"line {start}" if consumed <= start else f"lines {start}-{consumed}"
                    yield self.reject(start, None, None, f"unreadable {where}: {exc}")
                    continue
                consumed = reader.line_num
                if start <= self._header_line or not cells or cells == [""]:
                    continue
                if len(cells) == width:
                    yield start, cells
                    continue
                if len(cells) == width + 1 and not cells[-1].strip():
                    # A trailing delimiter the header lacks: an export habit, no data lost.
                    yield start, cells[:width]
                    continue
                # A record spanning several lines with the wrong width is most
                # likely an unclosed quote that swallowed the following lines:
                # name them all, so that none is lost without a trace.
                span = f" (the record spans lines {start}-{consumed}: unclosed quote?)" if consumed > start else ""
                if len(cells) < width:
                    reason = f"truncated line: {len(cells)} fields, the header has {width}{span}"
                else:
                    reason = f"too many fields: {len(cells)}, the header has {width}{span}"
                yield self.reject(start, None, self._as_delivered(cells), reason)

    def _as_delivered(self, cells: list[str]) -> str:
        # The reject file keeps what the line held, so that it can be mended by
        # hand; capped, since an unclosed quote can swallow a whole file.
        text = self.layout.delimiter.join(cells)
        return text if len(text) <= _MAX_REJECTED_TEXT else text[:_MAX_REJECTED_TEXT] + "…"

    # --- whole-file checks -----------------------------------------------------------

    def _raw(self) -> IO[bytes]:
        # Compression is told by the content, not the name: a mis-named file still reads.
        with self.path.open("rb") as probe:
            magic = probe.read(2)
        if magic == _GZIP_MAGIC:
            return cast(IO[bytes], gzip.open(self.path, "rb"))
        return self.path.open("rb")

    def _open_text(self) -> io.TextIOWrapper:
        return io.TextIOWrapper(self._raw(), encoding="utf-8-sig", newline="")

    def _check_bytes(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")()
        lines_before = 0
        seen_text = False
        try:
            with self._raw() as raw:
                while chunk := raw.read(_CHUNK):
                    try:
                        text = decoder.decode(chunk)
                    except UnicodeDecodeError as exc:
                        line = lines_before + exc.object[: exc.start].count(b"\n") + 1
                        bad = exc.object[exc.start : exc.start + 1].hex()
                        raise FileRejected(
                            self.file, f"not UTF-8: invalid byte 0x{bad} on line {line} (re-export the file as UTF-8)"
                        ) from None
                    lines_before += chunk.count(b"\n")
                    seen_text = seen_text or bool(text.strip().lstrip("\ufeff").strip())
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileRejected(self.file, "not UTF-8: the file ends inside a multi-byte character") from None
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise FileRejected(self.file, f"unreadable gzip file: {exc}") from None
        except OSError as exc:
            raise FileRejected(self.file, f"cannot read the file: {exc}") from None
        if not seen_text:
            raise FileRejected(self.file, "empty file: no header and no data")

    def _read_header(self) -> None:
        layout = self.layout
        with self._open_text() as stream:
            reader = csv.reader(stream, delimiter=layout.delimiter)
            try:
                header = next(reader)
                while not header or header == [""]:
                    header = next(reader)
            except (StopIteration, csv.Error) as exc:
                raise FileRejected(self.file, f"no readable header line ({exc or 'empty'})") from None
            self._header_line = reader.line_num
        names = [h.strip() for h in header]
        lowered = [n.lower() for n in names]
        expected = ", ".join(layout.required)
        if len(names) == 1 and not layout.knows(lowered[0]):
            found = next((d for d in _OTHER_DELIMITERS if d != layout.delimiter and d in names[0]), None)
            if found is not None:
                raise FileRejected(
                    self.file,
                    f"wrong delimiter: expected {_show(layout.delimiter)} but the header is separated by {_show(found)}",
                )
        if not any(layout.knows(n) for n in lowered):
            raise FileRejected(
                self.file,
                f"missing header: the first line names none of the expected columns ({expected})",
            )
        duplicates = sorted({n for n in lowered if lowered.count(n) > 1 and n})
        if duplicates:
            raise FileRejected(self.file, f"duplicate column(s) in the header: {', '.join(duplicates)}")
        missing = [c for c in layout.required if c.lower() not in lowered]
        if missing:
            raise FileRejected(self.file, f"missing required column(s): {', '.join(missing)}")
        self.header = names
        self.index = {n: i for i, n in enumerate(lowered) if n}


def _show(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else f"'{delimiter}'"


def read_table(path: Path, layout: Layout, build: Callable[[Row], T]) -> Iterator[T | Reject]:
    """Streams a file as one record per row, or a Reject for each row that fails.

    Args:
        path: the file.
        layout: its expected delimiter and columns.
        build: makes the record of a row; raises RowError for a bad row.

    Raises:
        FileRejected: the file cannot be read at all (before anything is yielded).
    """
    table = Table(path, layout)
    for item in table.rows():
        if isinstance(item, Reject):
            yield item
            continue
        try:
            yield build(item)
        except RowError as exc:
            yield table.reject(item.line, exc.column, exc.value, exc.reason)
