"""The Cypher of the Sirene stocks, fed with rows as lists of values.

A row is sent as a list in the order of ``COMPANY_FIELDS`` / ``ESTABLISHMENT_FIELDS``
rather than as a map: the Bolt driver then packs values only, not the same keys
again on every row, which is most of the client's cost of a large UNWIND. The
statements are written with ``row.<field>`` for reading, and
``loaders.ingest.positional`` turns that into ``row[i]``.

Rows of entities the graph does not hold yet take the ``*_NEW`` statements,
which CREATE the node (and its PART_OF, which cannot exist yet) instead of
MERGE-ing it: no lookup, no closure to detect. The uniqueness constraints still
guard against a duplicate.
"""

from __future__ import annotations

from loaders.ingest.positional import positional

COMPANY_FIELDS = (
    "siren", "name", "created_on", "headcount_band", "legal_form", "naf", "category", "active",
    "head_office_siret", "public_sector", "row_hash",
)  # fmt: skip

ESTABLISHMENT_FIELDS = (
    "siret", "siren", "nic", "name", "created_on", "headcount_band", "head_office", "postal_code", "commune",
    "commune_code", "departement", "region", "naf", "active", "longitude", "latitude", "row_hash",
    "closure_summary", "closure_payload",
)  # fmt: skip

_COMPANY_PROPS = """
    c.name = row.name, c.created_on = row.created_on, c.headcount_band = row.headcount_band,
    c.legal_form = row.legal_form, c.naf = row.naf, c.category = row.category, c.active = row.active,
    c.head_office_siret = row.head_office_siret, c.public_sector = row.public_sector,
    c.in_stock = true, c.absent_since = null, c.stock_known_on = $known_on,
    c.row_hash = row.row_hash, c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on
"""

COMPANIES_UPSERT = positional(
    """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.first_known_on = $known_on
WITH c, row WHERE c.stock_known_on IS NULL OR c.stock_known_on <= $known_on
SET """
    + _COMPANY_PROPS,
    COMPANY_FIELDS,
)

COMPANIES_NEW = positional(
    """
UNWIND $rows AS row
CREATE (c:Company {siren: row.siren})
SET c.first_known_on = $known_on, """
    + _COMPANY_PROPS,
    COMPANY_FIELDS,
)

_ESTABLISHMENT_PROPS = """
    e.siren = row.siren, e.nic = row.nic, e.name = row.name, e.created_on = row.created_on,
    e.headcount_band = row.headcount_band, e.head_office = row.head_office, e.postal_code = row.postal_code,
    e.commune = row.commune, e.commune_code = row.commune_code, e.departement = row.departement,
    e.region = row.region, e.naf = row.naf, e.active = row.active, e.longitude = row.longitude,
    e.latitude = row.latitude, e.pseudo_siret = false,
    e.in_stock = true, e.absent_since = null, e.stock_known_on = $known_on,
    e.row_hash = row.row_hash, e.source_file = $source_file, e.delivery = $delivery, e.known_on = $known_on
"""

_COMPANY_STUB = """
UNWIND $rows AS row
MERGE (c:Company {siren: row.siren})
  ON CREATE SET c.source_file = $source_file, c.delivery = $delivery, c.known_on = $known_on,
    c.first_known_on = $known_on
"""

_HEAD_OFFICE = """
FOREACH (_ IN CASE WHEN row.head_office THEN [1] ELSE [] END |
  SET c.departement = row.departement, c.region = row.region)
"""

ESTABLISHMENTS_UPSERT = positional(
    _COMPANY_STUB
    + """
MERGE (e:Establishment {siret: row.siret})
  ON CREATE SET e.first_known_on = $known_on
WITH c, e, row, e.active AS was_active
WHERE e.stock_known_on IS NULL OR e.stock_known_on <= $known_on
SET """
    + _ESTABLISHMENT_PROPS
    + """
MERGE (e)-[p:PART_OF]->(c)
  ON CREATE SET p.first_known_on = $known_on
SET p.source_file = $source_file, p.delivery = $delivery, p.known_on = $known_on
"""
    + _HEAD_OFFICE
    + """
WITH c, row, was_active WHERE was_active = true AND row.active = false
MERGE (t:TimelineEvent {id: 'establishment_closed:' + row.siret})
  ON CREATE SET t.known_on = $known_on, t.delivery = $delivery, t.source_file = $source_file, t.pinned = false,
    t.siren = row.siren, t.kind = 'establishment_closed', t.source = 'sirene', t.occurred_on = $known_on,
    t.summary = row.closure_summary, t.payload = row.closure_payload, t.first_known_on = $known_on
MERGE (t)-[a:ABOUT]->(c)
  ON CREATE SET a.source_file = $source_file, a.delivery = $delivery, a.known_on = $known_on,
    a.first_known_on = $known_on
""",
    ESTABLISHMENT_FIELDS,
)

ESTABLISHMENTS_NEW = positional(
    _COMPANY_STUB
    + """
CREATE (e:Establishment {siret: row.siret})
SET e.first_known_on = $known_on, """
    + _ESTABLISHMENT_PROPS
    + """
CREATE (e)-[p:PART_OF]->(c)
SET p.source_file = $source_file, p.delivery = $delivery, p.known_on = $known_on, p.first_known_on = $known_on
"""
    + _HEAD_OFFICE,
    ESTABLISHMENT_FIELDS,
)

# What the graph holds of a stock's entities, stubs included: [key, hash of the last
# row written, whether in stock, whether a stock wrote it], all in one list of one
# record (a record per entity cost the driver and the server more than the lists),
# and the date of the newest stock loaded. Per-entity dates are left out on purpose
# (the driver builds an object per date, tens of thousands per read).
KNOWN_COMPANIES = """
MATCH (c:Company)
RETURN collect([c.siren, c.row_hash, c.in_stock, c.stock_known_on IS NOT NULL]) AS known,
       max(c.stock_known_on) AS newest
"""

KNOWN_ESTABLISHMENTS = """
MATCH (e:Establishment)
RETURN collect([e.siret, e.row_hash, e.in_stock, e.stock_known_on IS NOT NULL]) AS known,
       max(e.stock_known_on) AS newest
"""

NEWEST_COMPANIES = "MATCH (c:Company) RETURN max(c.stock_known_on) AS newest"

NEWEST_ESTABLISHMENTS = "MATCH (e:Establishment) RETURN max(e.stock_known_on) AS newest"

ABSENT_COMPANIES = """
UNWIND $rows AS row
MATCH (c:Company {siren: row.key})
SET c.in_stock = false, c.absent_since = $known_on
"""

ABSENT_ESTABLISHMENTS = """
UNWIND $rows AS row
MATCH (e:Establishment {siret: row.key})
SET e.in_stock = false, e.absent_since = $known_on
"""
