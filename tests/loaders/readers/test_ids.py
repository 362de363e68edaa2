"""SIREN/SIRET checks and the URSSAF pseudo-SIRET exception."""

from __future__ import annotations

import pytest

from loaders.parsing.errors import FieldError
from loaders.parsing.ids import luhn_ok, parse_siren, parse_sirens, parse_siret

from .helpers import BAD_SIREN, BAD_SIRET, PSEUDO_SIRET_A, SIREN_A, SIRET_A1


def test_luhn() -> None:
    assert luhn_ok(SIREN_A)
    assert not luhn_ok(BAD_SIREN)


def test_siren_accepts_spaces_and_checks_luhn() -> None:
    assert parse_siren("552 100 554") == SIREN_A
    with pytest.raises(FieldError, match="Luhn"):
        parse_siren(BAD_SIREN)


@pytest.mark.parametrize("text", ["55210055", "5521005540", "55210055A", "５５２１００５５４"])
def test_siren_must_be_nine_ascii_digits(text: str) -> None:
    with pytest.raises(FieldError, match="9 digits"):
        parse_siren(text)


def test_siret_valid_and_invalid() -> None:
    assert parse_siret(SIRET_A1) == (SIRET_A1, False)
    with pytest.raises(FieldError, match="Luhn"):
        parse_siret(BAD_SIRET)
    with pytest.raises(FieldError, match="14 digits"):
        parse_siret("5521005540001")


def test_pseudo_siret_accepted_and_flagged_only_in_urssaf_files() -> None:
    assert parse_siret(PSEUDO_SIRET_A, urssaf=True) == (PSEUDO_SIRET_A, True)
    with pytest.raises(FieldError, match="Luhn"):
        parse_siret(PSEUDO_SIRET_A)


@pytest.mark.parametrize("first", ["5", "6", "7", "9"])
def test_every_pseudo_nic_prefix_is_flagged(first: str) -> None:
    siret = SIREN_A + first + "0001"
    assert parse_siret(siret, urssaf=True) == (siret, True)


def test_nic_starting_with_8_is_not_a_pseudo_siret() -> None:
    siret = SIREN_A + "80000"
    assert not luhn_ok(siret)
    with pytest.raises(FieldError, match="Luhn"):
        parse_siret(siret, urssaf=True)


def test_pseudo_siret_still_needs_a_valid_siren() -> None:
    with pytest.raises(FieldError, match="SIREN part"):
        parse_siret(BAD_SIREN + "50001", urssaf=True)


def test_la_poste_uses_the_sum_of_digits() -> None:
    siret = "35600000000010"  # sum of digits 15
    assert not luhn_ok(siret)
    assert parse_siret(siret) == (siret, False)
    luhn_only = "35600000000014"
    assert luhn_ok(luhn_only)
    with pytest.raises(FieldError, match="La Poste"):
        parse_siret(luhn_only)


def test_bodacc_registre_lists() -> None:
    assert parse_sirens("552 100 554") == [SIREN_A]
    assert parse_sirens("552 100 554, 732 829 320,") == [SIREN_A, "732829320"]
    with pytest.raises(FieldError):
        parse_sirens(" , ")
