"""Detection lists: the published monthly lists of new alerts per region, with filters and exports.

- ``scope``: which region, period and départements a caller may list (role
  ``detection``, the caller's zones only) and the filters.
- ``service``: the list read from the graph (one query).
- ``resolvers`` / ``types``: the ``detectionList`` root field.
- ``export``: the same list as CSV or XLSX over HTTP (``/exports/detection-list.csv|.xlsx``).
"""
