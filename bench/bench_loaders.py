"""Loader benchmark (a script, not a test): load time, rows/s against LOAD CSV, peak memory.

Runs against a private local Neo4j started in ``--work`` (never the configured
one: the benchmark wipes the graph), and prints:

(a) the time to load the synthetic region (``signaux synth`` default: 14,000
    companies x 48 months) with ``signaux refresh``; target under 3 minutes;
(b) rows/second of the same upsert (the Sirene establishment stock: MERGE
    Company, MERGE Establishment, PART_OF, closure events) through our loader
    (reading and validating the CSV included) against Neo4j's own
    ``LOAD CSV ... CALL { ... } IN TRANSACTIONS`` of the same file in the same
    run, both on an empty graph, and their ratio (goal >= 1);
(c) the peak resident memory of a refresh process on 1x and 4x the input
    (companies), and their ratio (goal: flat).

Usage: ``python bench/bench_loaders.py [--work var/bench] [--skip a,b,c]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Same statement body as loaders.ingest.sirene_queries.ESTABLISHMENTS_UPSERT, fed by
# LOAD CSV: the département and region are derived in Cypher instead of Python.
LOAD_CSV = """
LOAD CSV WITH HEADERS FROM $url AS line
CALL (line) {
  WITH line,
       CASE WHEN line.codeCommuneEtablissement STARTS WITH '97' THEN substring(line.codeCommuneEtablissement, 0, 3)
            ELSE substring(line.codeCommuneEtablissement, 0, 2) END AS dep
  MERGE (c:Company {siren: line.siren})
    ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on,
      c.first_known_on = $known_on
  MERGE (e:Establishment {siret: line.siret})
    ON CREATE SET e.first_known_on = $known_on
  WITH c, e, line, dep, e.active AS was_active
  WHERE e.stock_known_on IS NULL OR e.stock_known_on <= $known_on
  SET e.siren = line.siren, e.nic = line.nic, e.created_on = date(line.dateCreationEtablissement),
      e.headcount_band = line.trancheEffectifsEtablissement, e.head_office = line.etablissementSiege = 'true',
      e.postal_code = line.codePostalEtablissement, e.commune = line.libelleCommuneEtablissement,
      e.commune_code = line.codeCommuneEtablissement, e.departement = dep, e.region = $regions[dep],
      e.naf = line.activitePrincipaleEtablissement, e.active = line.etatAdministratifEtablissement = 'A',
      e.longitude = toFloat(line.longitude), e.latitude = toFloat(line.latitude), e.pseudo_siret = false,
      e.in_stock = true, e.absent_since = null, e.stock_delivery = $delivery, e.stock_known_on = $known_on,
      e.source_file = $source_file, e.delivery = $delivery, e.known_on = $known_on
  MERGE (e)-[p:PART_OF]->(c)
    ON CREATE SET p.first_known_on = $known_on
  SET p.source_file = $source_file, p.delivery = $delivery, p.known_on = $known_on
  FOREACH (_ IN CASE WHEN line.etablissementSiege = 'true' THEN [1] ELSE [] END |
    SET c.departement = dep, c.region = $regions[dep])
  WITH c, line, was_active WHERE was_active = true AND line.etatAdministratifEtablissement = 'F'
  MERGE (t:TimelineEvent {id: 'establishment_closed:' + line.siret})
    ON CREATE SET t.known_on = $known_on, t.delivery = $delivery, t.source_file = $source_file,
      t.siren = line.siren, t.kind = 'establishment_closed', t.source = 'sirene', t.occurred_on = $known_on,
      t.first_known_on = $known_on
  MERGE (t)-[a:ABOUT]->(c)
    ON CREATE SET a.source_file = $source_file, a.delivery = $delivery, a.known_on = $known_on,
      a.first_known_on = $known_on
} IN TRANSACTIONS OF 5000 ROWS
"""

MEMORY_CHILD = """
import resource, sys
from pathlib import Path
from graphstore.measures import MeasureStore
from graphstore.store import GraphStore
from loaders.refresh import Refresher, RefreshOptions
Refresher(GraphStore(), MeasureStore(Path(sys.argv[2])), Path(sys.argv[3]),
          RefreshOptions(progress=False, print_reports=False)).refresh(Path(sys.argv[1]))
# The refresh process, then its largest worker process (measure files load there).
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _load() -> str:
    # The machine is shared: absolute figures mean little without the load next to them.
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min) / {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def _server_cpu() -> float:
    """CPU seconds used so far by the private Neo4j (user + system), 0 when unknown."""
    from graphstore.local import status
    from graphstore.settings import get_settings

    pid = status(get_settings()).pid
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _client_cpu() -> float:
    """CPU seconds of this process and its reaped children (the refresh's worker processes)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _env(work: Path) -> None:
    # A private server and data folder: the benchmark wipes the graph.
    os.environ.pop("NEO4J_URI", None)
    os.environ["SIGNAUX_DATA_DIR"] = str(work / "data")
    os.environ.setdefault("SIGNAUX_NEO4J_HEAP", "2g")
    os.environ.setdefault("SIGNAUX_NEO4J_PAGECACHE_MB", "1024")


def _wipe(store: object) -> None:
    from graphstore.store import GraphStore

    assert isinstance(store, GraphStore)
    while store.write("MATCH (n) WHERE NOT n:Migration WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS d")[0][
        "d"
    ]:
        pass


def _synth(out: Path, *args: str) -> Path:
    deliveries = out / "deliveries"
    if not deliveries.exists():
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-m", "signaux.cli", "synth", "--out", str(out), "--quiet", *args], check=True)
        print(f"  generated {out} in {time.monotonic() - t0:.0f} s")
    return deliveries


def bench_load(work: Path) -> None:
    """(a) Time to load the default region."""
    import shutil

    from graphstore.measures import MeasureStore
    from graphstore.store import GraphStore
    from loaders.refresh import Refresher, RefreshOptions

    deliveries = _synth(work / "region")
    store = GraphStore()
    _wipe(store)
    shutil.rmtree(work / "load-measures", ignore_errors=True)
    refresher = Refresher(
        store, MeasureStore(work / "load-measures"), work / "rejects", RefreshOptions(print_reports=False)
    )
    t0, client0, server0 = time.monotonic(), _client_cpu(), _server_cpu()
    reports = refresher.refresh(deliveries)
    seconds = time.monotonic() - t0
    client, server = _client_cpu() - client0, _server_cpu() - server0
    files = [f for r in reports for f in r.files]
    read = sum(f.lines_read for f in files)
    loaded = sum(f.loaded for f in files)
    rejected = sum(f.rejected for f in files)
    slowest = sorted(files, key=lambda f: -f.seconds)[:5]
    print(f"(a) region: {len(reports)} deliveries, {len(files)} files, {read:,} lines read, {loaded:,} records loaded, "
          f"{rejected:,} rejected in {seconds:.1f} s ({seconds / 60:.2f} min; target < 3 min) "
          f"= {read / seconds:,.0f} lines/s")  # fmt: skip
    print(f"    {_load()}; CPU: loader {client:.0f} s (workers included), Neo4j {server:.0f} s, "
          f"total {client + server:.0f} s = {(client + server) / seconds:.2f} CPUs busy on average")  # fmt: skip
    print("    slowest files: " + ", ".join(f"{f.name} {f.seconds:.1f} s" for f in slowest))
    by_source: dict[str, list[float]] = {}
    for f in files:
        acc = by_source.setdefault(f.source or "-", [0.0, 0.0])
        acc[0] += f.seconds
        acc[1] += f.lines_read
    top = sorted(by_source.items(), key=lambda kv: -kv[1][0])[:8]
    print("    per source (s, lines): " + ", ".join(f"{k} {v[0]:.0f} s/{v[1]:,.0f}" for k, v in top))
    # Measure files load in worker processes, alongside the main process's files: only
    # the main process's files count against a delivery's time.
    from loaders.ingest.dispatch import is_measure_type
    from loaders.sources import recognise

    def in_main(name: str) -> bool:
        spec = recognise(name)
        return spec is not None and not is_measure_type(spec.record_type)

    per_delivery = sorted(
        ((r.seconds - sum(f.seconds for f in r.files if in_main(f.name)), r.delivery) for r in reports), reverse=True
    )
    print(f"    outside the main process's files (waiting for the workers, events, absences, SUPPLIES): "
          f"{sum(x for x, _ in per_delivery):.0f} s in all, "
          f"most in {per_delivery[0][1]} ({per_delivery[0][0]:.0f} s)")  # fmt: skip
    phases: dict[str, float] = {}
    for r in reports:
        for k, v in r.phases.items():
            phases[k] = phases.get(k, 0.0) + v
    print("    main process wall time per phase (s): " + ", ".join(f"{k} {v:.0f}" for k, v in phases.items()))
    for r in sorted(reports, key=lambda r: -r.seconds)[:4] + reports[1:3] + reports[-2:]:
        print(f"      {r.delivery} {r.seconds:.1f} s: " + ", ".join(f"{k} {v:.1f}" for k, v in r.phases.items()))
    nodes = store.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
    rels = store.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    print(f"    graph: {nodes:,} nodes, {rels:,} relationships")


def bench_upsert(work: Path) -> None:
    """(b) Our upsert against LOAD CSV ... CALL { } IN TRANSACTIONS on the same file."""
    from graphstore.driver import get_driver
    from graphstore.geo import DEPARTEMENT_TO_REGION
    from graphstore.measures import MeasureStore
    from graphstore.store import GraphStore
    from loaders.ingest.context import LoadContext
    from loaders.ingest.sirene import load_establishments
    from loaders.records import Etablissement, Reject
    from loaders.refresh import delivery_date
    from loaders.sources import read_file

    deliveries = _synth(work / "region")
    folder = sorted(p for p in deliveries.iterdir() if any(p.glob("StockEtablissement*")))[-1]
    path = next(folder.glob("StockEtablissement*"))
    known_on = delivery_date(folder.name)
    # The synthetic files hold malformed rows on purpose; LOAD CSV would abort on the
    # first one, so it gets the same file without the rows our reader rejects.
    items = list(read_file(path))
    # A row with a bad cell may still give a record (the cell emptied): leave it out too.
    good = {r.line for r in items if isinstance(r, Etablissement)} - {r.line for r in items if isinstance(r, Reject)}
    clean = work / f"clean_{path.name}"
    with path.open(encoding="utf-8") as src, clean.open("w", encoding="utf-8") as dst:
        for number, text in enumerate(src, start=1):
            if number == 1 or number in good:
                dst.write(text)
    params = {"delivery": folder.name, "known_on": known_on, "source_file": path.name}
    store = GraphStore()
    results = {}
    for attempt in range(2):  # the first round warms the query caches and the page cache
        _wipe(store)
        ctx = LoadContext(store, MeasureStore(work / "upsert-measures"), folder.name, known_on, path.name)
        t0 = time.monotonic()
        records = (r for r in read_file(path) if isinstance(r, Etablissement))
        ours = load_establishments(ctx, records).loaded
        t_ours = time.monotonic() - t0

        _wipe(store)
        driver, database = get_driver()
        t0 = time.monotonic()
        # IN TRANSACTIONS needs an implicit (auto-commit) transaction, which the
        # store layer's managed transactions are not: the driver is used directly here.
        with driver.session(database=database) as session:
            summary = session.run(
                LOAD_CSV, {**params, "url": clean.resolve().as_uri(), "regions": DEPARTEMENT_TO_REGION}
            ).consume()
        t_csv = time.monotonic() - t0
        # Rows LOAD CSV processed (the file may list a SIRET twice: nodes would undercount).
        theirs = len(good)
        results[attempt] = (ours, t_ours, theirs, t_csv, summary.counters.nodes_created)
    ours, t_ours, theirs, t_csv, _ = results[1]
    print(f"    LOAD CSV read {clean.name}: the {len(good):,} rows our reader accepted")
    print(f"    {_load()}")
    print(f"(b) upsert of {path.name} ({folder.name}): ours {ours:,} rows in {t_ours:.2f} s = {ours / t_ours:,.0f} rows/s "
          f"(CSV parsing and validation included); LOAD CSV ... IN TRANSACTIONS {theirs:,} rows in {t_csv:.2f} s = "
          f"{theirs / t_csv:,.0f} rows/s; ratio ours/LOAD CSV = {(ours / t_ours) / (theirs / t_csv):.2f} (goal >= 1)")  # fmt: skip


def _peak_rss(deliveries: Path, work: Path, tag: str) -> tuple[int, int]:
    import shutil

    from graphstore.store import GraphStore

    _wipe(GraphStore())
    shutil.rmtree(work / f"mem-{tag}", ignore_errors=True)
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, str(deliveries), str(work / f"mem-{tag}" / "measures"), str(work / f"mem-{tag}" / "rejects")],
        check=True, capture_output=True, text=True, env=os.environ.copy(),
    )  # fmt: skip
    main, worker = out.stdout.strip().splitlines()[-1].split()
    return int(main), int(worker)  # kilobytes on Linux


def bench_memory(work: Path, companies: int, months: int, scale: str) -> None:
    """(c) Peak RSS of a refresh on 1x and 4x the input: 4x the companies or 4x the months."""
    big = (4 * companies, months) if scale == "companies" else (companies, 4 * months)
    one = _synth(work / f"mem-{companies}x{months}", "--companies", str(companies), "--months", str(months))
    four = _synth(work / f"mem-{big[0]}x{big[1]}", "--companies", str(big[0]), "--months", str(big[1]))
    size = {p: sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) for p in (one, four)}
    (rss1, kid1), (rss4, kid4) = _peak_rss(one, work, "1x"), _peak_rss(four, work, "4x")
    print(f"(c) peak RSS of a refresh: 1x ({companies} companies x {months} months, {size[one] / 1e6:.0f} MB of files) "
          f"{rss1 / 1024:.0f} MiB, 4x the {scale} ({big[0]} x {big[1]}, {size[four] / 1e6:.0f} MB) {rss4 / 1024:.0f} MiB; "
          f"ratio 4x/1x = {rss4 / rss1:.2f} (goal: flat, ~1); largest worker process {kid1 / 1024:.0f} -> "
          f"{kid4 / 1024:.0f} MiB ({kid4 / max(kid1, 1):.2f}); {_load()}")  # fmt: skip


def main() -> int:
    """Runs the selected parts of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--work", type=Path, default=ROOT / "var" / "bench", help="work folder (data, synthetic inputs)"
    )
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: a, b, c")
    parser.add_argument("--mem-companies", type=int, default=1000, help="companies of the 1x input of (c)")
    parser.add_argument("--mem-months", type=int, default=12, help="months of the 1x input of (c)")
    parser.add_argument(
        "--mem-scale", choices=("companies", "months"), default="companies", help="what (c) multiplies by 4"
    )
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    _env(work)

    from graphstore import local
    from graphstore.driver import close_drivers
    from graphstore.migrate import migrate
    from graphstore.settings import get_settings
    from graphstore.store import GraphStore

    os.environ["SIGNAUX_NEO4J_PORT"] = str(local.free_port())
    get_settings.cache_clear()
    settings = get_settings()
    print(
        f"private Neo4j in {settings.local_dir} (heap {settings.local_heap}, page cache {settings.local_pagecache_mb} MB)"
    )
    local.start(settings)
    try:
        migrate(GraphStore())
        skip = set(args.skip.split(","))
        # Quickest first.
        if "b" not in skip:
            bench_upsert(work)
        if "c" not in skip:
            bench_memory(work, args.mem_companies, args.mem_months, args.mem_scale)
        if "a" not in skip:
            bench_load(work)
    finally:
        close_drivers()
        local.stop(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
