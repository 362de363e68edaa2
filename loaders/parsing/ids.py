"""SIREN and SIRET: format, Luhn check, URSSAF pseudo-SIRETs.

A SIREN is 9 digits, a SIRET 14 (SIREN + 5-digit NIC); both satisfy the Luhn
check. Exceptions:

- La Poste (SIREN 356000000) numbers its many establishments with a check on
  the sum of the digits (multiple of 5) instead of Luhn.
- URSSAF pseudo-SIRETs have a NIC starting with 5, 6, 7 or 9 (temporary-work
  and similar accounts): their SIREN is real but the SIRET check digit is not,
  so URSSAF readers accept them and flag them instead of rejecting them.
"""

from __future__ import annotations

from functools import lru_cache

from loaders.parsing.errors import FieldError

LA_POSTE_SIREN = "356000000"
PSEUDO_NIC_FIRST_DIGITS = frozenset("5679")


# Luhn doubles every second digit from the right; a doubled digit over 9 loses 9.
_DOUBLED = {str(d): (2 * d - 9 if d > 4 else 2 * d) for d in range(10)}

# Ids repeat across rows (a company has many debt lines, many months): parsing
# is cached, in bounded caches so that memory stays flat whatever the file size.
CACHE_SIZE = 4096


def luhn_ok(digits: str) -> bool:
    """True when a string of digits satisfies the Luhn check."""
    reverse = digits[::-1]
    total = sum(map(int, reverse[0::2])) + sum(_DOUBLED[c] for c in reverse[1::2])
    return total % 10 == 0


def _digits(text: str, length: int, what: str) -> str:
    # Spaces are how people and some exports group digits ("123 456 789").
    compact = text.replace(" ", "").replace("\u00a0", "")
    if len(compact) != length or not compact.isascii() or not compact.isdigit():
        raise FieldError(f"{what} must be {length} digits")
    return compact


@lru_cache(maxsize=CACHE_SIZE)
def parse_siren(text: str) -> str:
    """A checked SIREN.

    Args:
        text: 9 digits, spaces allowed between them.

    Raises:
        FieldError: not 9 digits, or the Luhn check fails.
    """
    siren = _digits(text, 9, "SIREN")
    if not luhn_ok(siren):
        raise FieldError("SIREN fails the Luhn check")
    return siren


def is_pseudo_nic(nic: str) -> bool:
    """True when a NIC has the form of an URSSAF pseudo-SIRET (first digit 5, 6, 7 or 9)."""
    return nic[:1] in PSEUDO_NIC_FIRST_DIGITS


def parse_siret(text: str, *, urssaf: bool = False) -> tuple[str, bool]:
    """A checked SIRET and whether it is an URSSAF pseudo-SIRET.

    Args:
        text: 14 digits, spaces allowed between them.
        urssaf: the SIRET comes from an URSSAF file, where a NIC starting with
            5, 6, 7 or 9 marks a pseudo-SIRET: flagged, and never rejected for
            its check digit alone.

    Returns:
        (siret, pseudo_siret).

    Raises:
        FieldError: not 14 digits, the SIREN part fails its check, or the SIRET
            fails its check and is not an URSSAF pseudo-SIRET.
    """
    return _check_siret(text, urssaf)


def parse_urssaf_siret(text: str) -> tuple[str, bool]:
    """:func:`parse_siret` for URSSAF files (pseudo-SIRETs accepted and flagged)."""
    return _check_siret(text, True)


@lru_cache(maxsize=CACHE_SIZE)
def _check_siret(text: str, urssaf: bool) -> tuple[str, bool]:
    siret = _digits(text, 14, "SIRET")
    siren = siret[:9]
    if not luhn_ok(siren):
        raise FieldError("SIRET: its SIREN part fails the Luhn check")
    pseudo = urssaf and is_pseudo_nic(siret[9:])
    if pseudo:
        return siret, True
    if siren == LA_POSTE_SIREN:
        if sum(ord(c) - 48 for c in siret) % 5 == 0:
            return siret, False
        raise FieldError("SIRET fails La Poste's check (sum of digits not a multiple of 5)")
    if not luhn_ok(siret):
        raise FieldError("SIRET fails the Luhn check")
    return siret, False


def parse_sirens(text: str) -> list[str]:
    """The raw SIRENs of a BODACC ``registre``: comma-separated, spaces inside.

    Returns the compacted candidates without checking them, so that the caller
    can reject a bad one and keep the others.

    Raises:
        FieldError: no SIREN at all.
    """
    parts = [p.replace(" ", "").replace("\u00a0", "") for p in text.split(",")]
    found = [p for p in parts if p]
    if not found:
        raise FieldError("no SIREN in registre")
    return found
