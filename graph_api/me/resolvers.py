"""``me`` and ``updateMyProfile``."""

from __future__ import annotations

import re

import strawberry

from graph_api.context import ApiInfo
from graph_api.errors import bad_input
from graph_api.fields import field, mutation
from graph_api.me import service
from graph_api.me.types import Me, Profile

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}$")


@strawberry.type
class MeQuery:
    @field(description="Who the token says the caller is.")
    def me(self, info: ApiInfo) -> Me:
        p = info.context.me
        return Me(
            sub=p.sub,
            name=p.name,
            agency=p.agency,
            zones=sorted(p.zones),
            roles=sorted(p.roles),
            client_id=p.client_id,
        )


@strawberry.type
class MeMutation:
    @mutation(description="Stores the caller's agent record (from its token) and contact e-mail. Audited.")
    async def update_my_profile(self, info: ApiInfo, email: str | None = None) -> Profile:
        if email is not None and not _EMAIL.match(email):
            raise bad_input("email is not an e-mail address", argument="email")
        ctx = info.context
        stored = await service.update_profile(ctx, email)
        return Profile(sub=ctx.me.sub, email=stored["email"], updates=int(stored["updates"]), request_id=ctx.request_id)
