"""Persons, ownership links, directors and group heads, as initial pictures and later changes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synth.calendar import days_in_month, iso_date
from synth.world import World

PERSON_COLUMNS = ["personne_id", "nom", "prenoms", "annee_naissance"]
LINK_COLUMNS = ["detenteur_siren", "detenteur_personne_id", "detenu_siren", "pourcentage", "nature", "date_debut",
                "date_fin"]  # fmt: skip
DIRECTOR_COLUMNS = ["siren", "personne_id", "dirigeant_siren", "qualite", "date_debut", "date_fin"]
GROUP_COLUMNS = ["siren", "siren_tete_de_groupe", "nom_groupe", "date_reference"]


def _date(am: int, day: int) -> str:
    return iso_date(am, day)


def link_frames(world: World, m: int, persons_sent: set[int]) -> dict[str, pd.DataFrame]:
    """The four files of delivered month m: the full picture at m = 0, then changes.

    Args:
        world: the world.
        m: delivered month.
        persons_sent: persons already delivered (updated).
    """
    own = world.ownership
    comp = world.companies
    month = world.first_month + m
    sir = [f"{s:09d}" for s in comp.siren.tolist()]

    def due(start: int, end: int) -> tuple[bool, bool]:
        new = start == month or (m == 0 and start < month)
        ended = end == month or (m == 0 and 0 <= end < month)
        return new, ended

    links = []
    for lk in own.links:
        new, ended = due(lk.start, lk.end)
        if not (new or ended):
            continue
        links.append({
            "detenteur_siren": sir[lk.owner_company] if lk.owner_company >= 0 else "",
            "detenteur_personne_id": own.persons_id[lk.owner_person] if lk.owner_person >= 0 else "",
            "detenu_siren": sir[lk.owned], "pourcentage": f"{lk.percentage:.2f}", "nature": lk.nature,
            "date_debut": _date(lk.start, lk.start_day),
            "date_fin": _date(lk.end, lk.end_day) if ended else "",
        })  # fmt: skip
    directors = []
    new_persons: set[int] = set()
    for dr in own.directorships:
        new, ended = due(dr.start, dr.end)
        if not (new or ended):
            continue
        if dr.person >= 0 and dr.person not in persons_sent:
            new_persons.add(dr.person)
        directors.append({
            "siren": sir[dr.company], "personne_id": own.persons_id[dr.person] if dr.person >= 0 else "",
            "dirigeant_siren": sir[dr.director_company] if dr.director_company >= 0 else "",
            "qualite": dr.qualite, "date_debut": _date(dr.start, dr.start_day),
            "date_fin": _date(dr.end, dr.end_day) if ended else "",
        })  # fmt: skip
    for lk in own.links:
        if lk.owner_person >= 0 and lk.owner_person not in persons_sent and due(lk.start, lk.end)[0]:
            new_persons.add(lk.owner_person)
    persons_sent |= new_persons
    pl = sorted(new_persons)
    persons = pd.DataFrame({
        "personne_id": own.persons_id[pl] if pl else [], "nom": own.persons_last[pl] if pl else [],
        "prenoms": own.persons_first[pl] if pl else [], "annee_naissance": own.persons_birth[pl] if pl else [],
    }, columns=PERSON_COLUMNS)  # fmt: skip
    return {
        "personnes": persons,
        "liens_capitalistiques": pd.DataFrame(links, columns=LINK_COLUMNS),
        "dirigeants": pd.DataFrame(directors, columns=DIRECTOR_COLUMNS),
        "tetes_de_groupe": _groups(world, m, sir),
    }


def _groups(world: World, m: int, sir: list[str]) -> pd.DataFrame:
    own = world.ownership
    month = world.first_month + m
    head = own.head_of.copy()
    for ch in own.group_changes:
        if ch.month <= month:
            head[ch.company] = ch.new_head
    ref_month = month - 1
    ref_date = _date(ref_month, int(days_in_month(np.array([ref_month]))[0]))
    if m == 0 or month % 12 == 0:
        members = np.flatnonzero(head >= 0).tolist()
    else:
        members = [ch.company for ch in own.group_changes if ch.month == month]
        ref_date = _date(month, 1)
    names = world.companies.name
    rows = [(sir[c], sir[head[c]], f"GROUPE {names[head[c]]}".strip(), ref_date) for c in members]
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)
