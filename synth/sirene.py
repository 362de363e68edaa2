"""Sirene stock files (unités légales and établissements) as INSEE delivers them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from synth import reference as ref
from synth.calendar import iso_dates
from synth.population import PUBLIC
from synth.world import World

IntArray = NDArray[np.int64]


def band_codes(headcount: NDArray[np.float64]) -> NDArray[np.str_]:
    """INSEE band code of each headcount (``NN`` when never employed)."""
    lows = np.array([b[1] for b in ref.BANDS])
    codes = np.array([b[0] for b in ref.BANDS])
    h = np.round(headcount)
    return np.asarray(codes[np.searchsorted(lows, h, side="right") - 1])


def _year_average(world: World, m: int) -> NDArray[np.float64]:
    # INSEE bands describe the average headcount of a past year, not the current month.
    year_end = m - (world.first_month + m) % 12 - 1
    return np.asarray(np.mean([world.company_headcount(k) for k in range(year_end - 11, year_end + 1)], axis=0))


def _created(world: World) -> NDArray[np.str_]:
    comp = world.companies
    dates = iso_dates(comp.created, comp.created_day).astype(object)
    # INSEE leaves the creation date of some old units empty.
    unknown = (comp.siren % 97 == 0) & (comp.created < 1985 * 12)
    dates[unknown] = ""
    return np.asarray(dates.astype(str))


def unites_legales(world: World, ceased: IntArray, m: int) -> pd.DataFrame:
    """StockUniteLegale as of delivered month m."""
    comp = world.companies
    est = world.establishments
    avg = _year_average(world, m)
    band = band_codes(avg)
    band = np.where(comp.kind == PUBLIC, band_codes(comp.headcount), band)
    year = (world.first_month + m - (world.first_month + m) % 12 - 1) // 12
    head_nic = np.zeros(comp.n, dtype=np.int64)
    head_nic[est.company[est.head_office]] = est.nic[est.head_office]
    cat = np.where(avg >= 5000, "GE", np.where(avg >= 250, "ETI", "PME"))
    cat = np.where(comp.kind == PUBLIC, "", cat)
    etat = np.where(ceased <= m, "C", "A")
    n = comp.n
    return pd.DataFrame({
        "siren": [f"{s:09d}" for s in comp.siren.tolist()],
        "statutDiffusionUniteLegale": "O",
        "dateCreationUniteLegale": _created(world),
        "sigleUniteLegale": "",
        "prenom1UniteLegale": comp.first_name,
        "nomUniteLegale": comp.last_name,
        "denominationUniteLegale": comp.name,
        "trancheEffectifsUniteLegale": band,
        "anneeEffectifsUniteLegale": np.full(n, year),
        "categorieEntreprise": cat,
        "etatAdministratifUniteLegale": etat,
        "activitePrincipaleUniteLegale": comp.naf,
        "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
        "categorieJuridiqueUniteLegale": comp.legal_form,
        "nicSiegeUniteLegale": [f"{v:05d}" for v in head_nic.tolist()],
        "caractereEmployeurUniteLegale": np.where(avg > 0, "O", "N"),
    })  # fmt: skip


def etablissements(world: World, ceased: IntArray, m: int) -> pd.DataFrame:
    """StockEtablissement as of delivered month m."""
    comp = world.companies
    est = world.establishments
    avg = _year_average(world, m)[est.company] * est.share
    band = band_codes(avg)
    c = est.company
    return pd.DataFrame({
        "siren": [f"{s:09d}" for s in comp.siren[c].tolist()],
        "nic": [f"{v:05d}" for v in est.nic.tolist()],
        "siret": [f"{s:014d}" for s in est.siret.tolist()],
        "statutDiffusionEtablissement": "O",
        "dateCreationEtablissement": iso_dates(est.created, est.created_day),
        "trancheEffectifsEtablissement": band,
        "etablissementSiege": np.where(est.head_office, "true", "false"),
        "codePostalEtablissement": est.postal,
        "libelleCommuneEtablissement": est.town,
        "codeCommuneEtablissement": est.commune,
        "activitePrincipaleEtablissement": comp.naf[c],
        "etatAdministratifEtablissement": np.where((ceased[c] <= m) | (world.establishment_closed <= m), "F", "A"),
        "longitude": np.round(est.lon, 5),
        "latitude": np.round(est.lat, 5),
    })  # fmt: skip
