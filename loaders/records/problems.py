"""What cannot be read: a rejected row (Reject) or a rejected file (FileRejected)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reject:
    """A row (or a cell) that could not be read; the rest of the file goes on.

    Attributes:
        file: the file name (no folder).
        line: 1-based line number (the header is line 1).
        column: the column at fault as named in the file's header, None for a
            line-level fault (e.g. a truncated line).
        value: the offending value as delivered (for a line-level fault, the
            line's text, capped at 500 characters); None for an empty value.
        reason: what is wrong, in plain words.
    """

    file: str
    line: int
    column: str | None
    value: str | None
    reason: str


class FileRejected(Exception):
    """A whole file cannot be read (missing header or column, encoding, delimiter…).

    Readers raise it before yielding anything, so a rejected file loads nothing.

    Attributes:
        file: the file name (no folder).
        reason: what is wrong, in plain words.
    """

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason
