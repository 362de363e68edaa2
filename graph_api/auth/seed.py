"""Demo agencies, agents and clients for ``make demo`` and the embedded mode.

Passwords and the service secret are generated at seeding time (or taken from
``SIGNAUX_DEMO_PASSWORD``) and printed once: nothing secret is in the repository.
"""

from __future__ import annotations

import os
import secrets
import shlex
from collections.abc import Callable
from dataclasses import dataclass

from graph_api.auth import repository as repo
from graph_api.auth.metadata import AUTHORIZE_PATH, REVOKE_PATH, TOKEN_PATH
from graph_api.auth.models import AgentAccount, ClientKind, OAuthClient
from graph_api.auth.passwords import hash_secret
from graph_api.auth.principal import Role, Scope
from graph_api.auth.settings import AuthSettings, get_auth_settings
from graphstore.store import GraphStore

WEB_CLIENT_ID = "signaux-web"
SERVICE_CLIENT_ID = "signaux-scoring"

#: (code, name, kind)
DEMO_AGENCIES: tuple[tuple[str, str, str], ...] = (
    ("URSSAF-BFC", "URSSAF Bourgogne-Franche-Comté", "urssaf"),
    ("DREETS-BFC", "DREETS Bourgogne-Franche-Comté", "dreets"),
    ("BDF-BFC", "Banque de France — Bourgogne-Franche-Comté", "banque_de_france"),
    ("DGFIP-21", "DGFiP — Direction départementale des finances publiques de la Côte-d'Or", "dgfip"),
    ("CRP-BFC", "Commissaire aux restructurations et à la prévention des difficultés (BFC)", "crp"),
    ("PREF-21", "Préfecture de la Côte-d'Or", "prefecture"),
    ("CR-BFC", "Conseil régional de Bourgogne-Franche-Comté", "conseil_regional"),
    ("DGE", "Direction générale des entreprises — pilotage Signaux Faibles", "pilotage"),
)


def _agent(sub: str, name: str, agency: str, zones: tuple[str, ...], *roles: Role) -> AgentAccount:
    return AgentAccount(sub, name, agency, zones, tuple(r.value for r in roles))


_R = Role
#: The demo agents: each agency's typical rights in Bourgogne-Franche-Comté.
DEMO_AGENTS: tuple[AgentAccount, ...] = (
    _agent("claire.urssaf", "Claire Morel", "URSSAF-BFC", ("BFC",), _R.URSSAF, _R.SCORE, _R.DETECTION),
    _agent("marc.dreets", "Marc Perrin", "DREETS-BFC", ("BFC",), _R.DGEFP, _R.SCORE, _R.DETECTION),
    _agent("ines.bdf", "Inès Garnier", "BDF-BFC", ("21", "25"), _R.BDF, _R.DETECTION),
    _agent("paul.dgfip", "Paul Roux", "DGFIP-21", ("21",), _R.DETECTION),
    _agent("sophie.crp", "Sophie Lambert", "CRP-BFC", ("BFC",), _R.URSSAF, _R.DGEFP, _R.BDF, _R.SCORE, _R.DETECTION),
    _agent("julien.prefecture", "Julien Faure", "PREF-21", ("21",), _R.SCORE, _R.DETECTION),
    _agent("lea.region", "Léa Bonnet", "CR-BFC", ("BFC",), _R.DETECTION),
    _agent("alex.audit", "Alex Mercier", "DGE", (), _R.AUDITOR),
)

USER_SCOPES: tuple[str, ...] = ("openid", "profile", "email", Scope.READ.value, Scope.WRITE.value)


@dataclass(frozen=True)
class DemoSeed:
    """What ``seed_demo`` created, with the generated credentials.

    Attributes:
        agencies: agency codes.
        agents: the demo agents.
        password: the password of every demo agent.
        web_client: the public front-end client.
        service_client: the confidential service client.
        service_secret: its secret (only its hash is stored).
    """

    agencies: tuple[str, ...]
    agents: tuple[AgentAccount, ...]
    password: str
    web_client: OAuthClient
    service_client: OAuthClient
    service_secret: str


def web_client(settings: AuthSettings, client_id: str = WEB_CLIENT_ID) -> OAuthClient:
    """The public front-end client: code + PKCE, refresh tokens, local redirect URIs."""
    return OAuthClient(
        client_id=client_id,
        name="Signaux — application web",
        kind=ClientKind.PUBLIC,
        secret_hash=None,
        redirect_uris=(
            f"{settings.public_url}/callback",
            "http://127.0.0.1:5173/callback",
            "http://localhost:5173/callback",
        ),
        grant_types=("authorization_code", "refresh_token"),
        scopes=USER_SCOPES,
    )


def service_client(secret: str, client_id: str = SERVICE_CLIENT_ID) -> OAuthClient:
    """The confidential scoring service: client credentials, acting for the DGE nationwide."""
    from graphstore.geo import REGIONS

    return OAuthClient(
        client_id=client_id,
        name="Signaux — service de scoring",
        kind=ClientKind.CONFIDENTIAL,
        secret_hash=hash_secret(secret),
        redirect_uris=(),
        grant_types=("client_credentials",),
        scopes=(Scope.READ.value, Scope.WRITE.value),
        agency="DGE",
        zones=tuple(f"R{r}" for r in REGIONS),
        roles=(Role.SCORE.value, Role.DETECTION.value),
    )


def seed_demo(store: GraphStore, settings: AuthSettings, password: str | None = None) -> DemoSeed:
    """Creates (or updates) the demo agencies, agents and clients; idempotent.

    Args:
        store: the store.
        settings: for the front-end client's redirect URIs.
        password: the demo agents' password; ``SIGNAUX_DEMO_PASSWORD`` or a random one
            when omitted.

    Returns:
        What was created, with the credentials to print.
    """
    password = password or os.environ.get("SIGNAUX_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    for code, name, kind in DEMO_AGENCIES:
        repo.upsert_agency(store, code, name, kind)
    for agent in DEMO_AGENTS:
        repo.upsert_agent(store, agent, password)
    web = web_client(settings)
    secret = secrets.token_urlsafe(32)
    service = service_client(secret)
    repo.upsert_client(store, web)
    repo.upsert_client(store, service)
    return DemoSeed(tuple(a[0] for a in DEMO_AGENCIES), DEMO_AGENTS, password, web, service, secret)


def how_to_get_a_token(seed: DemoSeed, settings: AuthSettings) -> str:
    """Shell lines that obtain tokens from the embedded server, for ``make demo``."""
    base = settings.public_url
    q = shlex.quote
    agent = seed.agents[0]
    redirect = seed.web_client.redirect_uris[0]
    lines = [
        f"Demo agents (password {seed.password}):",
        *(
            f"  {a.sub:<18} {a.agency:<11} zones={','.join(a.zones) or '-':<8} roles={','.join(a.roles)}"
            for a in seed.agents
        ),
        "",
        "# A service token (client credentials):",
        f"curl -s -u {q(seed.service_client.client_id + ':' + seed.service_secret)} "
        f"-d grant_type=client_credentials -d scope=signaux {q(base + TOKEN_PATH)}",
        "",
        f"# An agent token (authorization code + PKCE), here for {agent.sub}:",
        "VERIFIER=$(openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | head -c 64)",
        'CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -binary -sha256 | openssl base64 -A '
        "| tr '+/' '-_' | tr -d '=')",
        f"AUTHZ={q(base + AUTHORIZE_PATH)}'?response_type=code&client_id={seed.web_client.client_id}"
        f"&redirect_uri={redirect}&scope=openid+signaux+signaux:write&state=demo"
        '&code_challenge_method=S256&code_challenge=\'"$CHALLENGE"',
        'CSRF=$(curl -s -c /tmp/signaux.jar "$AUTHZ" | sed -n \'s/.*name="csrf_token" value="\\([^"]*\\)".*/\\1/p\')',
        "CODE=$(curl -s -o /dev/null -w '%{redirect_url}' -b /tmp/signaux.jar \"$AUTHZ\" "
        f'--data-urlencode "csrf_token=$CSRF" -d username={q(agent.sub)} -d password={q(seed.password)} '
        "| sed -n 's/.*[?&]code=\\([^&]*\\).*/\\1/p')",
        f"curl -s {q(base + TOKEN_PATH)} -d grant_type=authorization_code -d client_id={seed.web_client.client_id} "
        f'-d redirect_uri={q(redirect)} -d "code=$CODE" -d "code_verifier=$VERIFIER"',
        "",
        '# Then: curl -H "Authorization: Bearer $ACCESS_TOKEN" ...',
        f"# Revoke a token: curl -s {q(base + REVOKE_PATH)} -d client_id={seed.web_client.client_id} -d token=...",
    ]
    return "\n".join(lines)


def seed_and_explain(
    store: GraphStore | None = None,
    settings: AuthSettings | None = None,
    out: Callable[[str], object] = print,
) -> DemoSeed:
    """Seeds the demo accounts and prints how to get tokens: the body of a ``seed-demo`` command.

    Args:
        store: the store; the process-wide one when omitted.
        settings: the settings; the process-wide ones when omitted.
        out: where to write the instructions.
    """
    settings = settings or get_auth_settings()
    seed = seed_demo(store or GraphStore(), settings)
    out(how_to_get_a_token(seed, settings))
    return seed
