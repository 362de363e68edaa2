"""The error a field parser raises: a reason in plain words, turned into a Reject."""

from __future__ import annotations


class FieldError(ValueError):
    """A value cannot be read; ``reason`` says why (without the value itself).

    Args:
        reason: what is wrong, e.g. ``"SIREN must be 9 digits"``.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
