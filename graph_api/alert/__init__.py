"""Alert handling: what each agency does with a detection, and "was it useful?" (issue 7, part 4).

- ``model``: handling statuses and their transitions, who may handle (pure).
- ``service``: the Cypher; each mutation's change, timeline event and audit entry in one transaction.
- ``export``: the feedback for the model team (``signaux api export-feedback``).
- ``types``, ``resolvers``: the GraphQL surface. See docs/interventions.md.
"""
