"""End to end: three agencies on one detection over HTTP and WebSocket (the demo scenario), and an outsider."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from api_support import LiveApi
from live_support import company, event, listed_alert

from graph_api.auth.seed import seed_demo
from graph_api.demo.client import Agent, Api, LiveFeed
from graph_api.demo.scenario import LIVE, NOTES, Cast, main, play
from graphstore.store import GraphStore

SIREN = "340000001"
COLLABORATION = ("note_created", "intervention_opened", "intervention_status_changed", "intervention_closed")


def _kinds(feed: LiveFeed) -> list[str]:
    return [p["data"]["companyTimeline"]["kind"] for p in feed.received if p.get("data")]


def _ids(feed: LiveFeed) -> list[str]:
    return [p["data"]["companyTimeline"]["id"] for p in feed.received if p.get("data")]


def _until_each_got(store: GraphStore, prefix: str) -> Callable[[list[LiveFeed]], None]:
    """Writes public events until every feed received one: then the feeds were running (or up to date)."""

    def wait(feeds: list[LiveFeed]) -> None:
        for k in range(60):
            marker = f"{SIREN}-{prefix}-{k}"
            event(store, SIREN, marker, "group_change", "2000-01-01")
            for _ in range(40):
                if all(any(i.startswith(f"{SIREN}-{prefix}-") for i in _ids(f)) for f in feeds):
                    return
                time.sleep(0.05)
        raise AssertionError("a live feed never received the marker")

    return wait


def test_three_agencies_work_on_one_detection_and_an_outsider_sees_none_of_it(live: LiveApi) -> None:
    store = GraphStore()
    company(store, SIREN, departement="21", name="Menuiserie du Scénario")
    listed_alert(store, SIREN, "2026-07")

    def agent(sub: str, agency: str, *roles: str) -> Agent:
        return Agent(sub, agency, live.token(sub, agency=agency, zones=("21",), roles=("detection", *roles)))

    cast = Cast(
        agent("e2e.urssaf", "E2E-URSSAF", "urssaf", "score"),
        agent("e2e.dreets", "E2E-DREETS", "dgefp"),
        agent("e2e.crp", "E2E-CRP", "urssaf", "dgefp", "score"),
    )
    outsider = agent("e2e.outsider", "E2E-OUTSIDER", "urssaf")
    lines: list[str] = []
    with httpx.Client(timeout=60) as http:
        api = Api(live.base_url, http)
        watch = LiveFeed(live.base_url, outsider, LIVE, {"siren": SIREN}).start()
        try:
            _until_each_got(store, "probe")([watch])
            done = play(
                api,
                cast,
                SIREN,
                out=lines.append,
                ready=_until_each_got(store, "ready"),
                settle=_until_each_got(store, "settled"),
            )
            _until_each_got(store, "end")([watch])
        finally:
            watch.stop()
        outsider_notes = api.call(outsider, NOTES, {"siren": SIREN})
    assert done.note_id and done.intervention_id
    dreets = [k for k in (e.get("kind") for e in done.live["E2E-DREETS"]) if k in COLLABORATION]
    assert dreets == list(COLLABORATION), lines
    assert not set(_kinds(watch)) - {"group_change"}, _kinds(watch)
    readable = [e["node"]["id"] for e in (outsider_notes.get("data") or {}).get("companyNotes", {}).get("edges", [])]
    assert done.note_id not in readable
    assert any("the DREETS reads it: yes" in line for line in lines), lines
    assert any("the CRP closes it: CLOSED" in line for line in lines), lines


def test_the_demo_command_logs_the_demo_agents_in_and_plays_every_step(
    live: LiveApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = GraphStore()
    # The command picks from region 27's newest list: this test's list only.
    store.write("MATCH (a:Alert {region: '27'}) DETACH DELETE a")
    seed_demo(store, live.settings.auth, password="demo-scenario-password")
    company(store, "340000002", departement="21", name="Scierie de la Démo")
    listed_alert(store, "340000002", "2026-12")  # the newest list of region 27 in this run
    monkeypatch.setenv("SIGNAUX_DEMO_PASSWORD", "demo-scenario-password")
    monkeypatch.setenv("SIGNAUX_LIVE_POLL_INTERVAL", "0.2")
    lines: list[str] = []
    assert main(live.base_url, out=lines.append) == 0, lines
    steps = [line.split("]")[0] + "]" for line in lines if line.startswith("[")]
    assert steps == ["[1]", "[2]", "[3]", "[4]", "[5]", "[6]"], lines
    assert any("picked 340000002" in line for line in lines), lines
    assert store.read(
        "MATCH (:Agency {code: 'CRP-BFC'})-[:PARTICIPATES_IN]->(i:Intervention)-[:ABOUT]->(:Company {siren: '340000002'}) "
        "RETURN i.status AS status"
    ) == [{"status": "closed"}]


def test_the_demo_command_needs_the_demo_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIGNAUX_DEMO_PASSWORD", raising=False)
    lines: list[str] = []
    assert main("http://127.0.0.1:9", out=lines.append) == 1
    assert "SIGNAUX_DEMO_PASSWORD" in lines[0]
