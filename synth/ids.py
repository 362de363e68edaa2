"""SIREN and SIRET numbers with valid Luhn check digits, vectorised."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


def _digits(values: IntArray, width: int) -> IntArray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers[None, :]) % 10


def luhn_valid(values: IntArray, width: int) -> NDArray[np.bool_]:
    """Whether each number, written on ``width`` digits, passes the Luhn check."""
    d = _digits(np.asarray(values, dtype=np.int64), width)
    # Luhn doubles every second digit from the right, the check digit excluded.
    double = (np.arange(width)[::-1] % 2) == 1
    dd = np.where(double[None, :], d * 2, d)
    dd = np.where(dd > 9, dd - 9, dd)
    return np.asarray(dd.sum(axis=1) % 10 == 0)


def with_check_digit(body: IntArray, width: int) -> IntArray:
    """Appends the Luhn check digit to each ``width - 1``-digit body."""
    body = np.asarray(body, dtype=np.int64)
    base = body * 10
    d = _digits(base, width)
    double = (np.arange(width)[::-1] % 2) == 1
    dd = np.where(double[None, :], d * 2, d)
    dd = np.where(dd > 9, dd - 9, dd)
    check = (10 - dd.sum(axis=1) % 10) % 10
    return np.asarray(base + check, dtype=np.int64)


def make_sirens(rng: np.random.Generator, first_digit: IntArray) -> IntArray:
    """Unique SIRENs whose first digit is given per company (it follows the creation era).

    Args:
        rng: random generator.
        first_digit: leading digit wanted for each SIREN (1 to 9).
    """
    n = len(first_digit)
    out = np.zeros(n, dtype=np.int64)
    todo = np.arange(n)
    seen: set[int] = set()
    while len(todo):
        body = first_digit[todo] * 10**7 + rng.integers(0, 10**7, size=len(todo))
        cand = with_check_digit(body, 9)
        keep = []
        for k, c in zip(todo.tolist(), cand.tolist(), strict=True):
            if c not in seen:
                seen.add(c)
                out[k] = c
                keep.append(k)
        todo = np.setdiff1d(todo, np.array(keep, dtype=np.int64))
    return out


def make_nics(siren: IntArray, sequence: IntArray) -> IntArray:
    """NICs ``SSSSC``: a 4-digit sequence plus the digit that makes the SIRET Luhn-valid."""
    body = np.asarray(siren, dtype=np.int64) * 10**4 + np.asarray(sequence, dtype=np.int64)
    siret = with_check_digit(body, 14)
    return np.asarray(siret % 10**5, dtype=np.int64)


def siret_of(siren: IntArray, nic: IntArray) -> IntArray:
    """SIRET = SIREN followed by the 5-digit NIC."""
    return np.asarray(np.asarray(siren, dtype=np.int64) * 10**5 + nic, dtype=np.int64)
