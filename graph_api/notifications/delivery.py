"""Delivery of one notification: a webhook call (httpx) or an e-mail (SMTP).

Delivery is at least once: a dispatcher that dies after the receiver got the
call but before recording it lets another one deliver again once its lease
ends. Every webhook call therefore carries ``Idempotency-Key`` (the
notification id, the same at every attempt) so the receiver can drop a repeat.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import smtplib
from email.message import EmailMessage
from typing import Any

import httpx

from graph_api.notifications.settings import NotifySettings

EVENT = "detection_list.published"


class DeliveryError(Exception):
    """The receiver did not take the notification (the message is recorded as ``last_error``)."""


def payload(row: dict[str, Any], settings: NotifySettings) -> dict[str, Any]:
    """What the agency receives: which list, how many companies, where to read it."""
    return {
        "event": EVENT,
        "id": row["id"],
        "agency": row["agency"],
        "region": row["region"],
        "period": row["period"],
        "items": row.get("items"),
        "graphql": f"{settings.public_url}/graphql",
    }


async def send_webhook(client: httpx.AsyncClient, row: dict[str, Any], settings: NotifySettings) -> None:
    """POSTs the payload as JSON to the agency's webhook URL.

    A ``webhook_secret`` on the agency signs the body (``X-Signaux-Signature:
    sha256=<hex HMAC>``) so the receiver can check where it comes from.

    Raises:
        DeliveryError: no URL, a transport error or a non-2xx answer.
    """
    url = row.get("target")
    if not url:
        raise DeliveryError("the agency has no webhook URL")
    body = json.dumps(payload(row, settings), sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": str(row["id"]), "X-Signaux-Event": EVENT}
    if row.get("secret"):
        digest = hmac.new(str(row["secret"]).encode(), body, hashlib.sha256).hexdigest()
        headers["X-Signaux-Signature"] = f"sha256={digest}"
    try:
        response = await client.post(str(url), content=body, headers=headers, timeout=settings.timeout)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"HTTP {response.status_code}")


def _send_mail(row: dict[str, Any], settings: NotifySettings) -> None:
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = str(row["target"])
    msg["Subject"] = f"[Signaux] Liste de détection publiée : région {row['region']}, {row['period']}"
    msg["Message-ID"] = f"<{hashlib.sha256(str(row['id']).encode()).hexdigest()}@signaux>"
    data = payload(row, settings)
    msg.set_content(
        f"La liste de détection de la région {data['region']} pour {data['period']} est publiée "
        f"({data['items']} entreprises).\nConsultez-la sur {data['graphql']}.\n"
    )
    assert settings.smtp_host is not None
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout) as smtp:
        smtp.send_message(msg)


async def send_email(row: dict[str, Any], settings: NotifySettings) -> None:
    """Sends the notification by e-mail through ``SIGNAUX_SMTP_HOST`` (in a thread: smtplib blocks).

    Raises:
        DeliveryError: no address or relay, or the relay refused.
    """
    if not row.get("target") or not settings.smtp_host:
        raise DeliveryError("no e-mail address or no SMTP relay configured")
    try:
        await asyncio.to_thread(_send_mail, row, settings)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
