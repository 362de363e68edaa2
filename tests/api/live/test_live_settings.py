"""Live and notification settings from the environment."""

from __future__ import annotations

import pytest

from graph_api.settings import ApiSettings


def test_defaults_and_overrides_come_from_the_environment() -> None:
    default = ApiSettings.from_env({})
    assert (default.live.poll_interval, default.live.overlap, default.notify.in_api) == (2.0, 30.0, True)
    assert default.notify.smtp_host is None
    s = ApiSettings.from_env(
        {
            "SIGNAUX_LIVE_POLL_INTERVAL": "0.5",
            "SIGNAUX_NOTIFY_IN_API": "false",
            "SIGNAUX_NOTIFY_BACKOFF": "10",
            "SIGNAUX_NOTIFY_MAX_ATTEMPTS": "3",
            "SIGNAUX_SMTP_HOST": "relay.example",
            "SIGNAUX_PUBLIC_URL": "https://signaux.example/",
        }
    )
    assert s.live.poll_interval == 0.5
    assert (s.notify.in_api, s.notify.backoff, s.notify.max_attempts) == (False, 10.0, 3)
    assert (s.notify.smtp_host, s.notify.public_url) == ("relay.example", "https://signaux.example")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SIGNAUX_LIVE_POLL_INTERVAL", "soon"),
        ("SIGNAUX_LIVE_POLL_INTERVAL", "0"),
        ("SIGNAUX_NOTIFY_INTERVAL", "often"),
        ("SIGNAUX_NOTIFY_IN_API", "maybe"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        ApiSettings.from_env({name: value})
