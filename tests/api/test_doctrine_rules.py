"""The pure rules of the doctrine, case by case (the HTTP matrix covers the data blocks
end to end; case notes get their HTTP tests with the notes domain)."""

from __future__ import annotations

import pytest

from graph_api.auth.principal import Principal
from graph_api.doctrine import (
    Basis,
    CompanyFacts,
    DataBlock,
    NoteFacts,
    NoteVisibility,
    can_read_note,
    decide_block,
    visible_blocks,
)


def agent(agency: str = "URSSAF-21", zones: tuple[str, ...] = ("21",), roles: tuple[str, ...] = ()) -> Principal:
    return Principal(
        sub="a", name="A", agency=agency, zones=frozenset(zones), roles=frozenset(roles),
        scopes=frozenset({"signaux"}), client_id="c", token_id="t",
    )  # fmt: skip


COMPANY = CompanyFacts("123456789", exists=True, departement="21", involved_agencies=frozenset({"DREETS-21", "BDF"}))


@pytest.mark.parametrize(
    ("visibility", "named", "reader", "expected"),
    [
        (NoteVisibility.AGENCY, (), "URSSAF-21", True),
        (NoteVisibility.AGENCY, (), "DREETS-21", False),
        (NoteVisibility.NAMED, ("BDF",), "BDF", True),
        (NoteVisibility.NAMED, ("BDF",), "DREETS-21", False),
        (NoteVisibility.NAMED, ("BDF",), "URSSAF-21", True),
        (NoteVisibility.INVOLVED, (), "DREETS-21", True),
        (NoteVisibility.INVOLVED, (), "PREFECTURE-21", False),
        (NoteVisibility.INVOLVED, (), "URSSAF-21", True),
    ],
)
def test_note_visibility(visibility: NoteVisibility, named: tuple[str, ...], reader: str, expected: bool) -> None:
    note = NoteFacts(visibility, author_agency="URSSAF-21", named_agencies=frozenset(named))
    assert can_read_note(agent(reader), note, COMPANY) is expected


def test_deleted_notes_are_visible_to_nobody() -> None:
    note = NoteFacts(NoteVisibility.AGENCY, author_agency="URSSAF-21", deleted=True)
    assert can_read_note(agent("URSSAF-21"), note, COMPANY) is False


def test_involved_note_without_company_facts_stays_with_the_author() -> None:
    note = NoteFacts(NoteVisibility.INVOLVED, author_agency="URSSAF-21")
    assert can_read_note(agent("DREETS-21"), note, None) is False
    assert can_read_note(agent("URSSAF-21"), note, None) is True


def test_unknown_company_is_refused_like_a_forbidden_one() -> None:
    p = agent(roles=("urssaf", "dgefp", "bdf", "score"))
    assert decide_block(p, DataBlock.URSSAF, None).allowed is False
    assert decide_block(p, DataBlock.URSSAF, CompanyFacts("1", exists=False)).allowed is False


def test_basis_order_and_visible_blocks() -> None:
    p = agent(roles=("urssaf", "score"))
    facts = CompanyFacts("1", exists=True, departement="21", listed=True, followed=True)
    assert decide_block(p, DataBlock.SCORES, facts).basis is Basis.ZONE_DETECTION
    assert visible_blocks(p, facts) == frozenset({DataBlock.URSSAF, DataBlock.SCORES})
    outside = CompanyFacts("1", exists=True, departement="75", listed=True, intervening=True)
    d = decide_block(p, DataBlock.URSSAF, outside)
    assert (d.allowed, d.in_zone, d.basis) == (True, False, Basis.INTERVENTION)
