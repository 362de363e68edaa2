"""The notification outbox against the real Neo4j and a real local webhook receiver.

Waiting is bounded by rounds, never asserted: the back-off values checked are
the ones recorded on each attempt.
"""

from __future__ import annotations

import asyncio
from email import message_from_string
from email.policy import default

import pytest
from api_support import async_store
from live_support import company, listed_alert
from notify_support import agency, notifications, receiver, reset_outbox, smtp_relay

from graph_api.notifications import outbox
from graph_api.notifications.dispatcher import Dispatcher
from graph_api.notifications.publications import publish_lists
from graph_api.notifications.settings import NotifySettings
from graphstore.settings import StoreSettings
from graphstore.store import GraphStore


@pytest.fixture
def store(neo4j_settings: StoreSettings) -> GraphStore:
    s = GraphStore()
    reset_outbox(s)
    return s


async def _until_settled(dispatchers: list[Dispatcher], store: GraphStore, prefix: str, rounds: int = 400) -> None:
    """Runs rounds (dispatchers side by side) until no notification of ``prefix`` is pending."""
    for _ in range(rounds):
        await asyncio.gather(*(d.run_once() for d in dispatchers))
        if not any(n["status"] == "pending" for n in notifications(store, prefix)):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("notifications still pending")


# Each test uses a region of its own: the lists of the other modules (region 27) stay recent.


def test_a_failing_receiver_is_retried_with_exponential_back_off_until_delivered(store: GraphStore) -> None:
    company(store, "330000001", departement="14")
    settings = NotifySettings(backoff=0.2, max_attempts=5)
    with receiver([500, 503]) as rec:
        agency(store, "RETRY-A", ["14"], ["detection"], webhook=rec.url)
        agency(store, "RETRY-NOROLE", ["14"], ["urssaf"], webhook=rec.url)  # no detection role: not notified
        agency(store, "RETRY-ELSEWHERE", ["75"], ["detection"], webhook=rec.url)  # another region
        agency(store, "RETRY-NOHOOK", ["R28"], ["detection"])  # no channel: the subscription only
        listed_alert(store, "330000001", "2026-08", region="28")

        async def run() -> None:
            async with async_store() as s:
                await _until_settled([Dispatcher(s, settings, worker="w1")], store, "RETRY-")

        asyncio.run(run())
    key = "RETRY-A|28|2026-08|webhook"
    assert rec.idempotency_keys() == [key, key, key]
    assert [c["status"] for c in rec.calls] == [500, 503, 200]
    assert rec.calls[0]["event"] == "detection_list.published"
    assert {k: rec.calls[0]["body"][k] for k in ("agency", "region", "period", "items")} == {
        "agency": "RETRY-A",
        "region": "28",
        "period": "2026-08",
        "items": 1,
    }
    assert notifications(store, "RETRY-") == [
        {
            "id": key,
            "status": "sent",
            "attempts": 3,
            "last_error": None,
            "no_next": False,
            "history": [["failed", "HTTP 500", 0.2], ["failed", "HTTP 503", 0.4], ["sent", None, None]],
        }
    ]


def test_a_notification_that_keeps_failing_ends_failed(store: GraphStore) -> None:
    company(store, "330000002", departement="69")
    with receiver([500] * 10) as rec:
        agency(store, "GIVEUP-A", ["69"], ["detection"], webhook=rec.url)
        listed_alert(store, "330000002", "2026-08", region="84")

        async def run() -> None:
            async with async_store() as s:
                await _until_settled([Dispatcher(s, NotifySettings(backoff=0.05, max_attempts=2))], store, "GIVEUP-")

        asyncio.run(run())
    assert len(rec.calls) == 2
    [n] = notifications(store, "GIVEUP-")
    assert (n["status"], n["attempts"], n["last_error"], n["no_next"]) == ("failed", 2, "HTTP 500", True)
    assert n["history"] == [["failed", "HTTP 500", 0.05], ["failed", "HTTP 500", None]]


def test_a_restart_in_the_middle_delivers_once(store: GraphStore) -> None:
    company(store, "330000003", departement="35")
    settings = NotifySettings(backoff=0.05, lease=1.0)
    with receiver() as rec:
        agency(store, "RESTART-A", ["35"], ["detection"], webhook=rec.url)
        listed_alert(store, "330000003", "2026-08", region="53")

        async def crashed() -> list[dict[str, object]]:
            # The first process found the list and claimed its notification, then died.
            async with async_store() as s:
                await publish_lists(s, settings)
                return await outbox.claim(s, "dead", "dead-claim", 10, settings.lease)

        claimed = asyncio.run(crashed())
        assert [c["id"] for c in claimed] == ["RESTART-A|53|2026-08|webhook"]

        async def restarted() -> bool:
            async with async_store() as s:
                # The new process scans again (nothing duplicated) and waits out the lease.
                await _until_settled([Dispatcher(s, settings, worker="new")], store, "RESTART-")
                for _ in range(3):
                    await Dispatcher(s, settings, worker="new").run_once()
                # The dead process's claim can no longer complete anything.
                return await outbox.mark_sent(s, "RESTART-A|53|2026-08|webhook", "dead-claim", "dead")

        assert asyncio.run(restarted()) is False
    assert rec.idempotency_keys() == ["RESTART-A|53|2026-08|webhook"]
    [n] = notifications(store, "RESTART-")
    assert (n["status"], n["attempts"], n["history"]) == ("sent", 1, [["sent", None, None]])


def test_two_dispatchers_side_by_side_deliver_each_notification_once(store: GraphStore) -> None:
    company(store, "330000004", departement="59")
    codes = [f"TWIN-{i}" for i in range(6)]
    with receiver() as rec:
        for code in codes:
            agency(store, code, ["59"], ["detection"], webhook=rec.url)
        listed_alert(store, "330000004", "2026-08", region="32")

        async def run() -> None:
            async with async_store() as a, async_store() as b:
                settings = NotifySettings(batch=2)
                await _until_settled([Dispatcher(a, settings, "a"), Dispatcher(b, settings, "b")], store, "TWIN-")

        asyncio.run(run())
    expected = sorted(f"{c}|32|2026-08|webhook" for c in codes)
    assert sorted(rec.idempotency_keys()) == expected
    assert [(n["id"], n["status"], n["attempts"]) for n in notifications(store, "TWIN-")] == [
        (k, "sent", 1) for k in expected
    ]
    assert store.read("MATCH (p:DetectionListPublication {id: '32:2026-08'}) RETURN p.items AS items") == [{"items": 1}]


def test_back_off_doubles_and_is_capped() -> None:
    s = NotifySettings(backoff=30, backoff_max=100)
    assert [s.delay(n) for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_the_email_channel_goes_through_the_smtp_relay(store: GraphStore) -> None:
    company(store, "330000005", departement="13")
    store.write("MERGE (ag:Agency {code: 'MAIL-A'}) SET ag.notify_email = 'veille@mail-a.example'")
    agency(store, "MAIL-A", ["13"], ["detection"])
    listed_alert(store, "330000005", "2026-08", region="93")
    with smtp_relay() as box:
        settings = NotifySettings(smtp_host="127.0.0.1", smtp_port=box.port, smtp_from="signaux@test.example")

        async def run() -> None:
            async with async_store() as s:
                await _until_settled([Dispatcher(s, settings)], store, "MAIL-")

        asyncio.run(run())
    assert box.recipients == ["veille@mail-a.example"]
    [raw] = box.messages
    mail = message_from_string(raw, policy=default)
    assert mail["Subject"] == "[Signaux] Liste de détection publiée : région 93, 2026-08"
    assert (mail["From"], mail["To"]) == ("signaux@test.example", "veille@mail-a.example")
    assert "(1 entreprises)" in mail.get_body().get_content()  # type: ignore[union-attr]
    [n] = notifications(store, "MAIL-")
    assert (n["id"], n["status"], n["attempts"]) == ("MAIL-A|93|2026-08|email", "sent", 1)


def test_without_an_smtp_relay_no_email_notification_is_created(store: GraphStore) -> None:
    company(store, "330000006", departement="06")
    store.write("MERGE (ag:Agency {code: 'NOMAIL-A'}) SET ag.notify_email = 'veille@nomail.example'")
    agency(store, "NOMAIL-A", ["06"], ["detection"])
    listed_alert(store, "330000006", "2026-08", region="93")

    async def run() -> None:
        async with async_store() as s:
            await Dispatcher(s, NotifySettings()).run_once()

    asyncio.run(run())
    assert notifications(store, "NOMAIL-") == []
