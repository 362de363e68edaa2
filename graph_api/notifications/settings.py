"""Settings of the notification outbox and its dispatcher, read from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph_api.envvars import env_flag, env_number


@dataclass(frozen=True)
class NotifySettings:
    """How detection-list notifications are found and delivered.

    Attributes:
        in_api: the API process runs the dispatcher in its lifespan
            (``SIGNAUX_NOTIFY_IN_API``); turn it off when ``signaux api notify``
            runs as its own process.
        interval: seconds between two dispatcher rounds (``SIGNAUX_NOTIFY_INTERVAL``).
        max_attempts: deliveries tried before a notification is ``failed``
            (``SIGNAUX_NOTIFY_MAX_ATTEMPTS``).
        backoff: seconds before the first retry, doubled at each further one
            (``SIGNAUX_NOTIFY_BACKOFF``).
        backoff_max: longest wait between two attempts (``SIGNAUX_NOTIFY_BACKOFF_MAX``).
        lease: seconds a claimed notification stays reserved to its dispatcher
            before another may take it over (``SIGNAUX_NOTIFY_LEASE``).
        timeout: seconds one webhook call or SMTP exchange may take (``SIGNAUX_NOTIFY_TIMEOUT``).
        lookback_days: only lists whose alerts were written in the last days give
            notifications, so a first start does not notify the whole history
            (``SIGNAUX_NOTIFY_LOOKBACK_DAYS``).
        batch: notifications claimed per round (``SIGNAUX_NOTIFY_BATCH``).
        smtp_host: SMTP relay for the e-mail channel (``SIGNAUX_SMTP_HOST``); unset:
            no e-mail notifications are created.
        smtp_port: ``SIGNAUX_SMTP_PORT`` (25).
        smtp_from: sender address (``SIGNAUX_SMTP_FROM``).
        public_url: the API's URL, quoted in messages (``SIGNAUX_PUBLIC_URL``).
    """

    in_api: bool = True
    interval: float = 5.0
    max_attempts: int = 6
    backoff: float = 30.0
    backoff_max: float = 3600.0
    lease: float = 60.0
    timeout: float = 10.0
    lookback_days: int = 45
    batch: int = 50
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "signaux@localhost"
    public_url: str = "http://127.0.0.1:8000"

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed attempt (exponential, capped)."""
        return float(min(self.backoff_max, self.backoff * 2 ** max(0, attempts - 1)))

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> NotifySettings:
        """Reads the ``SIGNAUX_NOTIFY_*`` and ``SIGNAUX_SMTP_*`` variables.

        Raises:
            ValueError: a variable holds a value of the wrong type.
        """
        d = cls()
        return cls(
            in_api=env_flag(env, "SIGNAUX_NOTIFY_IN_API", d.in_api),
            interval=env_number(env, "SIGNAUX_NOTIFY_INTERVAL", d.interval),
            max_attempts=max(1, int(env_number(env, "SIGNAUX_NOTIFY_MAX_ATTEMPTS", d.max_attempts))),
            backoff=env_number(env, "SIGNAUX_NOTIFY_BACKOFF", d.backoff),
            backoff_max=env_number(env, "SIGNAUX_NOTIFY_BACKOFF_MAX", d.backoff_max),
            lease=env_number(env, "SIGNAUX_NOTIFY_LEASE", d.lease),
            timeout=env_number(env, "SIGNAUX_NOTIFY_TIMEOUT", d.timeout),
            lookback_days=int(env_number(env, "SIGNAUX_NOTIFY_LOOKBACK_DAYS", d.lookback_days)),
            batch=max(1, int(env_number(env, "SIGNAUX_NOTIFY_BATCH", d.batch))),
            smtp_host=(env.get("SIGNAUX_SMTP_HOST") or "").strip() or None,
            smtp_port=int(env_number(env, "SIGNAUX_SMTP_PORT", d.smtp_port)),
            smtp_from=(env.get("SIGNAUX_SMTP_FROM") or "").strip() or d.smtp_from,
            public_url=(env.get("SIGNAUX_PUBLIC_URL") or d.public_url).rstrip("/"),
        )
