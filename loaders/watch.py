"""``signaux refresh --watch``: a polling loop that loads new delivery folders.

Every ``interval`` seconds the root folder is listed; a delivery folder is loaded
once its listing (names, sizes, modification times) has stayed the same for one
whole interval, so a folder still being copied is not loaded half-written. A
folder already loaded is not looked at again unless its listing changes (then
the refresh's checksums decide what to reload).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from loaders.refresh import Refresher, is_delivery_folder
from loaders.report import DeliveryReport

Listing = tuple[tuple[str, int, int], ...]


def listing(folder: Path) -> Listing:
    """A fingerprint of a folder's files: (name, size, mtime in ns), sorted."""
    return tuple(sorted((f.name, (st := f.stat()).st_size, st.st_mtime_ns) for f in folder.iterdir() if f.is_file()))


class Watcher:
    """Polls a folder of deliveries and loads what is new or changed.

    Args:
        root: the folder of delivery folders.
        refresher: does the loading.
        interval: seconds between polls.
    """

    def __init__(self, root: Path, refresher: Refresher, interval: float = 60.0) -> None:
        self.root = root
        self.refresher = refresher
        self.interval = interval
        self._seen: dict[str, Listing] = {}  # last listing of each folder
        self._loaded: dict[str, Listing] = {}  # listing each folder was loaded with

    def poll(self) -> list[DeliveryReport]:
        """One pass: loads, oldest first, the folders that are new or changed and now stable."""
        folders = sorted((p for p in self.root.iterdir() if is_delivery_folder(p)), key=lambda p: p.name)
        ready = []
        for folder in folders:
            now = listing(folder)
            stable = self._seen.get(folder.name) == now
            self._seen[folder.name] = now
            if stable and self._loaded.get(folder.name) != now:
                ready.append((folder, now))
        reports = []
        for i, (folder, now) in enumerate(ready):
            reports.append(self.refresher.load_delivery(folder, last=i == len(ready) - 1))
            self._loaded[folder.name] = now
        return reports

    def run(self, stop: Callable[[], bool] = lambda: False, max_polls: int | None = None) -> None:
        """Polls until ``stop()`` is true or ``max_polls`` passes were made.

        Args:
            stop: checked before each pass.
            max_polls: bound on the number of passes (None: forever).
        """
        polls = 0
        while not stop() and (max_polls is None or polls < max_polls):
            self.poll()
            polls += 1
            if max_polls is None or polls < max_polls:
                time.sleep(self.interval)
