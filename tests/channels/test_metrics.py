"""The Rasa process's metrics: names, labels from fixed lists only, no personal data; GET /metrics."""

from __future__ import annotations

import rasa.core.run  # type: ignore[import-untyped]
from prometheus_client import REGISTRY, generate_latest
from rasa.core.actions.action import RemoteAction  # type: ignore[import-untyped]

from channels import metrics


def sample(name: str, labels: dict[str, str]) -> float:
    """A metric's current value (0 when never recorded)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_turn_is_counted_and_timed_by_channel() -> None:
    before = sample("rasa_turns_total", {"channel": "sms"})
    metrics.turn_done("sms", 0.2, failed=False)
    assert sample("rasa_turns_total", {"channel": "sms"}) == before + 1
    assert sample("rasa_turn_seconds_count", {"channel": "sms"}) >= 1


def test_a_failed_turn_is_counted() -> None:
    before = sample("rasa_failed_turns_total", {"channel": "webchat"})
    metrics.turn_done("webchat", 0.1, failed=True)
    assert sample("rasa_failed_turns_total", {"channel": "webchat"}) == before + 1


def test_an_unknown_channel_or_action_name_is_other() -> None:
    metrics.turn_done("+15551234567", 0.1, failed=False)
    metrics.action_called("my card is 4111 1111 1111 1111", 0.1, failed=True)
    exposed = generate_latest().decode()
    assert "+15551234567" not in exposed and "4111" not in exposed
    assert sample("rasa_action_call_errors_total", {"action": "other"}) >= 1


def test_an_action_call_is_timed_by_name() -> None:
    metrics.action_called("action_verify_identity", 0.05, failed=False)
    assert sample("rasa_action_call_seconds_count", {"action": "action_verify_identity"}) >= 1


def test_install_times_remote_actions_and_serves_metrics() -> None:
    stock_run = RemoteAction.run
    try:
        metrics.install()
        metrics.install()
        assert metrics.installed()
    finally:
        RemoteAction.run = stock_run
        rasa.core.run.configure_app = metrics.STOCK_CONFIGURE_APP


def test_a_debtor_message_the_nlu_could_not_place_is_counted_by_channel_not_a_clause() -> None:
    before = {name: metrics.FALLBACKS.labels(name)._value.get() for name in ("sms", "rest", "other")}

    metrics.parsed("twilio", "nlu_fallback")
    metrics.parsed("rest", "check_balance")
    metrics.parsed(None, "nlu_fallback")  # a clause the segmenting step parsed
    metrics.parsed("somewhere", "nlu_fallback")

    after = {name: metrics.FALLBACKS.labels(name)._value.get() for name in ("sms", "rest", "other")}
    assert {name: after[name] - before[name] for name in after} == {"sms": 1, "rest": 0, "other": 1}
