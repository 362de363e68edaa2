"""Errors of the store layer, each with a message a person can act on."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of the store layer's errors."""


class StoreUnavailable(StoreError):
    """Neo4j cannot be reached (stopped, restarting, network)."""


class ConstraintViolation(StoreError):
    """A write broke a uniqueness or existence constraint."""


class LocalNeo4jError(StoreError):
    """The local embedded Neo4j cannot be started, stopped or inspected."""


class MigrationError(StoreError):
    """A migration cannot be applied or was changed after being applied."""
