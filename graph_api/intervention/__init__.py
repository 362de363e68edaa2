"""Interventions (accompagnements): several agencies working on one company (issue 7, part 3).

- ``model``: kinds, statuses, the transition matrix, roles (pure).
- ``access``: who may read and who may change an intervention (pure).
- ``events``: the timeline events written with each change.
- ``service``: the Cypher, one write transaction per mutation.
- ``types``, ``resolvers``: the GraphQL surface. See docs/interventions.md.
"""
