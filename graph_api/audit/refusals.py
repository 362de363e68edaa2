"""Refused mutations are audited too, whatever their domain (outcome ``denied``).

``audited_write`` records a mutation that happened, in the mutation's own
transaction; a refusal rolls that transaction back (or comes before it), so this
field extension, put on every mutation by ``graph_api.fields.mutation``, appends
the denied attempt in a transaction of its own: the trail shows who tried to
change what without the right to. A domain that records its refusals itself
(``graph_api.follow.attempts``) marks the error ``audited`` so it is not
written twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from graph_api.audit import service as audit
from graph_api.audit.model import AuditEntry, Outcome
from graph_api.errors import ApiError, ErrorCode

log = logging.getLogger("signaux.api.audit")


def refusal_target(domain: str, arguments: Mapping[str, Any]) -> str:
    """What a refused mutation aimed at, as ``<kind>:<id>``.

    Args:
        domain: the mutation's domain package (``intervention``, ``alert``, ``note`` …).
        arguments: the mutation's arguments, as the resolver received them.
    """
    for name, kind in (("id", domain), ("alert_id", "alert"), ("siren", "company")):
        value = arguments.get(name)
        if value is not None:
            return f"{kind}:{value}"
    return f"{domain}:-"


class AuditRefusals(FieldExtension):
    """Appends a ``denied`` entry when the mutation answers FORBIDDEN.

    Args:
        domain: the mutation's domain package, the kind of its ``id`` argument.
    """

    def __init__(self, domain: str) -> None:
        super().__init__()
        self.domain = domain

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except ApiError as exc:
            principal = info.context.principal
            if exc.code is ErrorCode.FORBIDDEN and not exc.audited and principal is not None:
                entry = AuditEntry.new(
                    principal,
                    info.context.request_id,
                    f"mutation:{info.field_name}",
                    refusal_target(self.domain, kwargs),
                    outcome=Outcome.DENIED,
                )
                await audit.record(info.context.store, [entry])
                exc.audited = True
            raise
