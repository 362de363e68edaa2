"""Re-authorisation of a running subscription, before each batch of events.

A WebSocket lives much longer than a request: the token may expire or be
revoked, and the facts the doctrine decides on (follows, interventions,
detection lists) may change. So before any event leaves, the token is checked
again (expiry and revocation) and the doctrine is asked again on fresh facts.
"""

from __future__ import annotations

from graph_api.auth.errors import AuthError
from graph_api.auth.principal import Principal
from graph_api.auth.resource_server import VALIDATOR_STATE_KEY, TokenValidator
from graph_api.context import RequestContext
from graph_api.doctrine.blocks import DataBlock
from graph_api.doctrine.guard import authorize_blocks
from graph_api.http.bearer import connection_token


async def still_valid(ctx: RequestContext) -> Principal | None:
    """The caller when its token is still valid (not expired, not revoked), else None.

    Over HTTP the request was authenticated moments ago: the principal stands.
    """
    if ctx.connection_params is None:
        return ctx.principal
    token = connection_token(ctx.connection_params)
    validator = getattr(ctx.request.app.state, VALIDATOR_STATE_KEY, None)
    if token is None or not isinstance(validator, TokenValidator):
        return None
    try:
        principal = await validator.validate(token)
    except AuthError:
        return None
    # The same token must stand for the same caller; anything else ends the stream.
    return principal if ctx.principal is not None and principal.sub == ctx.principal.sub else None


async def granted_blocks(ctx: RequestContext, siren: str, blocks: set[DataBlock]) -> set[DataBlock]:
    """The blocks among ``blocks`` the doctrine grants now for the company (each decision audited).

    The context's loaders are reset first, so the facts are read again rather
    than taken from an earlier event's cache.
    """
    ctx.reset_loaders()
    out: set[DataBlock] = set()
    for block in sorted(blocks):
        if (await authorize_blocks(ctx, block, [siren]))[siren].allowed:
            out.add(block)
    return out
