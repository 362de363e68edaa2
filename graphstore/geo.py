"""French départements and regions (2016 regions, INSEE codes).

Zones in the access doctrine are départements; a region stands for its
départements. The département of an establishment is the first two characters of
its commune code (2A/2B for Corsica), three for overseas (971 to 976).
"""

from __future__ import annotations

from collections.abc import Iterable

REGIONS: dict[str, tuple[str, ...]] = {
    "84": ("01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"),  # Auvergne-Rhône-Alpes
    "27": ("21", "25", "39", "58", "70", "71", "89", "90"),  # Bourgogne-Franche-Comté
    "53": ("22", "29", "35", "56"),  # Bretagne
    "24": ("18", "28", "36", "37", "41", "45"),  # Centre-Val de Loire
    "94": ("2A", "2B"),  # Corse
    "44": ("08", "10", "51", "52", "54", "55", "57", "67", "68", "88"),  # Grand Est
    "32": ("02", "59", "60", "62", "80"),  # Hauts-de-France
    "11": ("75", "77", "78", "91", "92", "93", "94", "95"),  # Île-de-France
    "28": ("14", "27", "50", "61", "76"),  # Normandie
    "75": ("16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"),  # Nouvelle-Aquitaine
    "76": ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"),  # Occitanie
    "52": ("44", "49", "53", "72", "85"),  # Pays de la Loire
    "93": ("04", "05", "06", "13", "83", "84"),  # Provence-Alpes-Côte d'Azur
    "01": ("971",),  # Guadeloupe
    "02": ("972",),  # Martinique
    "03": ("973",),  # Guyane
    "04": ("974",),  # La Réunion
    "06": ("976",),  # Mayotte
}

REGION_NAMES: dict[str, str] = {
    "84": "Auvergne-Rhône-Alpes", "27": "Bourgogne-Franche-Comté", "53": "Bretagne",
    "24": "Centre-Val de Loire", "94": "Corse", "44": "Grand Est", "32": "Hauts-de-France",
    "11": "Île-de-France", "28": "Normandie", "75": "Nouvelle-Aquitaine", "76": "Occitanie",
    "52": "Pays de la Loire", "93": "Provence-Alpes-Côte d'Azur", "01": "Guadeloupe",
    "02": "Martinique", "03": "Guyane", "04": "La Réunion", "06": "Mayotte",
}  # fmt: skip

# Short aliases people use for regions in configuration and tokens.
REGION_ALIASES: dict[str, str] = {"BFC": "27", "ARA": "84", "IDF": "11", "GE": "44", "HDF": "32"}

DEPARTEMENT_TO_REGION: dict[str, str] = {d: r for r, ds in REGIONS.items() for d in ds}


def region_of(departement: str | None) -> str | None:
    """The region code of a département, or None when unknown."""
    return DEPARTEMENT_TO_REGION.get(departement or "")


def departement_of_commune(code_commune: str | None) -> str | None:
    """The département of an INSEE commune code (``21231`` -> ``21``, ``97411`` -> ``974``)."""
    code = (code_commune or "").strip().upper()
    if len(code) != 5:
        return None
    dep = code[:3] if code.startswith("97") else code[:2]
    return dep if dep in DEPARTEMENT_TO_REGION else None


def expand_zones(zones: Iterable[str]) -> frozenset[str]:
    """Départements covered by a list of zones.

    Args:
        zones: département codes (``21``), region codes prefixed ``R`` (``R27``), or
            region aliases (``BFC``).

    Raises:
        ValueError: a zone is neither a known département nor a known region.
    """
    out: set[str] = set()
    for raw in zones:
        z = raw.strip().upper()
        if z in DEPARTEMENT_TO_REGION:
            out.add(z)
        elif z in REGION_ALIASES:
            out.update(REGIONS[REGION_ALIASES[z]])
        elif z.startswith("R") and z[1:] in REGIONS:
            out.update(REGIONS[z[1:]])
        else:
            raise ValueError(f"unknown zone {raw!r}: expected a département code, R<region code> or a region alias")
    return frozenset(out)
