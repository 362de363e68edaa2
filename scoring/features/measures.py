"""Fast as-of reads of the monthly measures: numpy arrays indexed once per panel.

A panel reads every measure at every month; filtering the long frame each time
dominated the feature time, so the rows are split per measure and sorted by the
month they became known, once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.features.inputs import FeatureInputs, Measure


@dataclass(frozen=True)
class _Rows:
    code: np.ndarray  # siren code in MeasureIndex.sirens
    month: np.ndarray
    known: np.ndarray
    value: np.ndarray


class MeasureIndex:
    """The ``monthly`` input split per measure, sorted by ``known_month``.

    Args:
        inputs: the facts (only ``monthly`` is read).
    """

    def __init__(self, inputs: FeatureInputs) -> None:
        m = inputs.monthly
        codes, uniques = pd.factorize(m["siren"])
        self.sirens = pd.Index(uniques)
        self._rows: dict[str, _Rows] = {}
        measure = m["measure"].astype(str).to_numpy()
        month = m["month"].to_numpy(np.int64)
        known = m["known_month"].to_numpy(np.int64)
        value = m["value"].to_numpy(np.float64)
        for name in np.unique(measure):
            sel = np.flatnonzero(measure == name)
            order = sel[np.argsort(known[sel], kind="stable")]
            self._rows[str(name)] = _Rows(codes[order], month[order], known[order], value[order])

    def matrix(self, measure: Measure, month: int, sirens: pd.Index, window: int) -> np.ndarray:
        """Values by lag ``0 .. window`` as known by the end of ``month`` (NaN when unknown).

        The latest known version of each (company, month) wins.

        Args:
            measure: which measure.
            month: month ordinal.
            sirens: rows wanted, in this order.
            window: largest lag.
        """
        out = np.full((len(sirens), window + 1), np.nan)
        rows = self._rows.get(measure.value)
        if rows is None or len(sirens) == 0:
            return out
        # Rows are sorted by known month: the known prefix is a slice.
        end = int(np.searchsorted(rows.known, month, side="right"))
        lag = month - rows.month[:end]
        ok = (lag >= 0) & (lag <= window)
        pos_of_code = np.full(len(self.sirens), -1, dtype=np.int64)
        wanted = self.sirens.get_indexer(sirens)
        pos_of_code[wanted[wanted >= 0]] = np.flatnonzero(wanted >= 0)
        pos = pos_of_code[rows.code[:end]]
        ok &= pos >= 0
        p, lg, v = pos[ok], lag[ok], rows.value[:end][ok]
        key = p * (window + 1) + lg
        # Last occurrence (latest known) of each key wins.
        _, first_rev = np.unique(key[::-1], return_index=True)
        last = len(key) - 1 - first_rev
        out[p[last], lg[last]] = v[last]
        return out
