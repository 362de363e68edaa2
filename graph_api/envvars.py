"""Typed reads of environment variables, with errors that name the variable.

Shared by the settings objects of the API (``graph_api.settings``) and of its
parts (live updates, notifications), which each read their variables once.
"""

from __future__ import annotations

from collections.abc import Mapping


def env_integer(env: Mapping[str, str], name: str, default: int) -> int:
    """``name`` as an integer; ``default`` when unset or blank.

    Raises:
        ValueError: the value is not an integer (the message names the variable).
    """
    raw = env.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None


def env_number(env: Mapping[str, str], name: str, default: float) -> float:
    """``name`` as a number; ``default`` when unset or blank.

    Raises:
        ValueError: the value is not a number (the message names the variable).
    """
    raw = env.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a number, got {raw!r}") from None


def env_flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """``name`` as a boolean (1/true/yes/on, 0/false/no/off); ``default`` when unset or blank.

    Raises:
        ValueError: any other value (the message names the variable).
    """
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be true or false, got {raw!r}")
