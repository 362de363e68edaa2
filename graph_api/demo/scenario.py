"""``signaux api demo-scenario``: agencies working together on one detection, step by step.

Plays against the running API, over HTTP and WebSocket, with the demo agents'
tokens (``signaux api seed-demo``): URSSAF picks a company from its region's
detection list; URSSAF and the DREETS follow it; URSSAF writes a note shared
with the agencies involved, which the DREETS reads; URSSAF opens an
intervention with the DREETS and the CRP; the DREETS moves it on; the CRP
closes it. The DREETS and the CRP watch the company's timeline live all along.
The API stays up afterwards for exploration.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from graph_api.demo.client import Agent, Api, LiveFeed, ScenarioError, login

DETECTION = """query ($region: String!) { detectionList(region: $region, first: 50) {
  period totalCount items { alert { id level rank } company { siren name departement } followedByMyAgency } } }"""
FOLLOW = """mutation ($siren: String!, $comment: String) {
  followCompany(siren: $siren, reason: DETECTION, comment: $comment) { id since by } }"""
NOTE = """mutation ($siren: String!, $body: String!) {
  createNote(siren: $siren, body: $body, visibility: INVOLVED) { id version authorAgency visibility } }"""
NOTES = "query ($siren: String!) { companyNotes(siren: $siren) { totalCount edges { node { id body authorAgency } } } }"
OPEN = """mutation ($siren: String!, $participants: [ParticipantInput!]) {
  openIntervention(siren: $siren, kind: URSSAF_PAYMENT_PLAN, participants: $participants) {
    id status participants { agency role active } } }"""
MOVE = """mutation ($id: ID!) { changeInterventionStatus(id: $id, status: IN_PROGRESS, expectedStatus: OPEN) {
  id status allowedTransitions } }"""
CLOSE = """mutation ($id: ID!, $outcome: String!) { closeIntervention(id: $id, outcome: $outcome) {
  id status outcome closedAt } }"""
LIVE = "subscription ($siren: String!) { companyTimeline(siren: $siren) { id kind occurredOn summary } }"

DEMO_AGENTS = {"urssaf": "claire.urssaf", "dreets": "marc.dreets", "crp": "sophie.crp"}


@dataclass
class Cast:
    """The three agencies of the scenario."""

    urssaf: Agent
    dreets: Agent
    crp: Agent


@dataclass
class Outcome:
    """What the scenario did, for the tests and the summary."""

    siren: str = ""
    note_id: str = ""
    intervention_id: str = ""
    live: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def pick_detection(api: Api, agent: Agent, region: str, out: Callable[[str], object]) -> str:
    """A company of the region's latest detection list that the agent's agency does not follow yet."""
    found = api.data(agent, DETECTION, {"region": region})["detectionList"]
    out(f"    {agent.sub}: list {found['period']} of region {region}: {found['totalCount']} companies")
    for item in found["items"]:
        if not item["followedByMyAgency"]:
            c, a = item["company"], item["alert"]
            out(f"    picked {c['siren']} {c['name']} ({c['departement']}), alert {a['level']}, rank {a['rank']}")
            return str(c["siren"])
    raise ScenarioError(f"no unfollowed company on the detection list of region {region} (run `signaux score`)")


def _follow(api: Api, agent: Agent, siren: str, comment: str, out: Callable[[str], object]) -> None:
    body = api.call(agent, FOLLOW, {"siren": siren, "comment": comment})
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
    if codes == ["CONFLICT"]:
        out(f"    {agent.agency} already follows {siren}")
    elif codes:
        raise ScenarioError(f"followCompany as {agent.sub}: {codes}")
    else:
        out(f"    {agent.agency} follows {siren} since {body['data']['followCompany']['since']}")


def play(
    api: Api,
    cast: Cast,
    siren: str,
    out: Callable[[str], object] = print,
    ready: Callable[[list[LiveFeed]], None] | None = None,
    settle: Callable[[list[LiveFeed]], None] | None = None,
) -> Outcome:
    """Plays the scenario on ``siren``; returns what it did and what the live feeds received.

    Args:
        api: the API client.
        cast: the three agencies' agents.
        siren: the detected company.
        out: where to print each step.
        ready: called once the live subscriptions are open (tests wait there for
            them to be running); a short pause by default.
        settle: called after the last step, before the feeds close (tests wait
            there for the last events); two poll intervals by default.
    """
    done = Outcome(siren=siren)
    out("[2] The DREETS and the CRP watch the company's timeline live (companyTimeline over WebSocket)")
    feeds = [LiveFeed(api.base_url, a, LIVE, {"siren": siren}).start() for a in (cast.dreets, cast.crp)]
    (ready or (lambda _: time.sleep(2.0)))(feeds)
    try:
        out("[3] Two agencies follow the company")
        _follow(api, cast.urssaf, siren, "Detected on the monthly list", out)
        _follow(api, cast.dreets, siren, "Short-time work requests to look at", out)

        out("[4] URSSAF writes a note shared with every agency involved")
        body = "Debts rising for three months; a payment plan is being discussed with the manager."
        note = api.data(cast.urssaf, NOTE, {"siren": siren, "body": body})["createNote"]
        done.note_id = note["id"]
        out(f"    note {note['id']} ({note['visibility']}, by {note['authorAgency']})")
        seen = api.data(cast.dreets, NOTES, {"siren": siren})["companyNotes"]
        shared = [e["node"] for e in seen["edges"] if e["node"]["id"] == note["id"]]
        out(f"    the DREETS reads it: {'yes' if shared else 'no'} ({seen['totalCount']} note(s) visible)")
        if not shared:
            raise ScenarioError("the shared note is not readable by the DREETS")

        out("[5] URSSAF opens an intervention with the DREETS and the CRP")
        participants = [
            {"agency": cast.dreets.agency, "role": "CONTRIBUTOR"},
            {"agency": cast.crp.agency, "role": "CONTRIBUTOR"},
        ]
        opened = api.data(cast.urssaf, OPEN, {"siren": siren, "participants": participants})["openIntervention"]
        done.intervention_id = opened["id"]
        who = ", ".join(f"{p['agency']} ({p['role']})" for p in opened["participants"])
        out(f"    intervention {opened['id']}: {opened['status']}; participants {who}")
        moved = api.data(cast.dreets, MOVE, {"id": opened["id"]})["changeInterventionStatus"]
        out(f"    the DREETS moves it to {moved['status']} (next: {', '.join(moved['allowedTransitions'])})")
        outcome = "Payment plan signed; short-time work granted for three months."
        closed = api.data(cast.crp, CLOSE, {"id": opened["id"], "outcome": outcome})["closeIntervention"]
        out(f"    the CRP closes it: {closed['status']} at {closed['closedAt']}: {closed['outcome']}")
        (settle or (lambda _: time.sleep(2 * _poll_interval())))(feeds)
    finally:
        for feed in feeds:
            done.live[feed.agent.agency] = [p.get("data", {}).get("companyTimeline") or p for p in feed.stop()]
    out("[6] What the live timelines received")
    for agency, events in done.live.items():
        out(f"    {agency}: {len(events)} event(s)")
        for e in events:
            out(f"      {e.get('occurredOn')} {e.get('kind')}: {e.get('summary') or ''}".rstrip())
    return done


def _poll_interval() -> float:
    try:
        return float(os.environ.get("SIGNAUX_LIVE_POLL_INTERVAL") or 2.0)
    except ValueError:
        return 2.0


def _wait_ready(base_url: str, out: Callable[[str], object], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/health/ready", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1.0)
    raise ScenarioError(f"the API at {base_url} is not ready")


def main(url: str | None = None, region: str = "27", out: Callable[[str], object] = print) -> int:
    """The command: logs the demo agents in, picks a detection and plays the scenario.

    Args:
        url: the API's base URL; ``SIGNAUX_PUBLIC_URL`` (or http://127.0.0.1:8000) when omitted.
        region: the region whose detection list is used.
        out: where to print.

    Returns:
        0 when every step passed, 1 otherwise (the API keeps running either way).
    """
    from graph_api.auth.seed import WEB_CLIENT_ID

    base = (url or os.environ.get("SIGNAUX_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")
    password = os.environ.get("SIGNAUX_DEMO_PASSWORD")
    if not password:
        out("SIGNAUX_DEMO_PASSWORD must hold the demo agents' password (as given to `signaux api seed-demo`)")
        return 1
    try:
        _wait_ready(base, out)
        out(f"[1] Demo agents log in at {base} (authorization code + PKCE) and URSSAF opens its detection list")
        agencies = {"urssaf": "URSSAF-BFC", "dreets": "DREETS-BFC", "crp": "CRP-BFC"}
        agents = {
            k: Agent(sub, agencies[k], login(base, sub, password, WEB_CLIENT_ID, f"{base}/callback"))
            for k, sub in DEMO_AGENTS.items()
        }
        cast = Cast(agents["urssaf"], agents["dreets"], agents["crp"])
        with httpx.Client(timeout=30) as http:
            api = Api(base, http)
            siren = pick_detection(api, cast.urssaf, region, out)
            play(api, cast, siren, out)
    except ScenarioError as exc:
        out(f"scenario stopped: {exc}")
        return 1
    out(f"Done. The API stays up at {base}/graphql (GraphiQL in a browser).")
    return 0
