"""The sink's settings from the environment, and the switch between the sink and a real Twilio account."""

from __future__ import annotations

import pytest

from sms_sink.config import SinkConfig, points_at_sink, port_from_env
from sms_sink.exceptions import SinkConfigError

ENV = {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "token"}


def test_the_webhook_is_posted_to_and_signed_for_the_public_url_not_rasas() -> None:
    config = SinkConfig.from_env(
        {**ENV, "RASA_URL": "http://127.0.0.1:5005/", "PUBLIC_BASE_URL": "http://127.0.0.1:5006/"}
    )

    assert config.webhook_url == config.signed_webhook_url == "http://127.0.0.1:5006/webhooks/twilio/webhook"


def test_without_a_public_url_it_posts_to_the_default_ack_port() -> None:
    config = SinkConfig.from_env(ENV)

    assert config.signed_webhook_url == config.webhook_url == "http://localhost:5006/webhooks/twilio/webhook"


def test_texts_go_to_our_twilio_number() -> None:
    config = SinkConfig.from_env({**ENV, "TWILIO_FROM_NUMBER": "+15550001111"})

    assert config.our_number == "+15550001111"


@pytest.mark.parametrize("missing", ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"])
def test_missing_credentials_are_named(missing: str) -> None:
    with pytest.raises(SinkConfigError, match=missing):
        SinkConfig.from_env({k: v for k, v in ENV.items() if k != missing})


@pytest.mark.parametrize(
    ("name", "value"), [("PUBLIC_BASE_URL", "localhost:5006"), ("PUBLIC_BASE_URL", "file:///x")]
)
def test_a_url_that_is_not_http_is_refused(name: str, value: str) -> None:
    with pytest.raises(SinkConfigError, match=name):
        SinkConfig.from_env({**ENV, name: value})


def test_the_port_defaults_to_8025() -> None:
    assert port_from_env({}) == 8025
    assert port_from_env({"SMS_SINK_PORT": "9000"}) == 9000
    with pytest.raises(SinkConfigError, match="SMS_SINK_PORT"):
        port_from_env({"SMS_SINK_PORT": "eighty"})


@pytest.mark.parametrize(
    ("api_base_url", "selected"),
    [
        ("http://localhost:8025", True),
        ("http://127.0.0.1:8025/", True),
        ("http://[::1]:8025", True),
        (None, False),  # the real api.twilio.com
        ("", False),
        ("https://api.twilio.com", False),
        ("http://localhost:8011", False),  # another fake
        ("http://sms-sink.internal:8025", False),
        ("http://localhost:notaport", False),
    ],
)
def test_the_sink_serves_only_when_the_worker_is_pointed_at_it(
    api_base_url: str | None, selected: bool
) -> None:
    assert points_at_sink(api_base_url, 8025) is selected
