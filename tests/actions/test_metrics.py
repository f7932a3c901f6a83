"""The action server's metrics: run latency and errors by action name, never anything else as a label."""

from __future__ import annotations

from typing import Any

import pytest
from prometheus_client import REGISTRY
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic

from actions import metrics


def test_a_known_action_is_its_own_label_anything_else_other() -> None:
    assert metrics.action_label({"next_action": "action_verify_identity"}) == "action_verify_identity"
    assert metrics.action_label({"next_action": "+15551234567"}) == "other"
    assert metrics.action_label(None) == "other"


async def test_a_failing_run_of_an_unregistered_action_is_timed_and_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def failing(self: Any, call: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(metrics, "STOCK_RUN", failing)
    labels = {"action": "other"}  # not a registered action
    before = REGISTRY.get_sample_value("actions_run_errors_total", labels) or 0.0
    with pytest.raises(RuntimeError):
        await metrics.timed_run(ActionExecutor(), {"next_action": "action_boom"})
    assert REGISTRY.get_sample_value("actions_run_errors_total", labels) == before + 1
    assert (REGISTRY.get_sample_value("actions_run_seconds_count", labels) or 0) >= 1


def test_install_adds_metrics_route(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ActionExecutor, "run", ActionExecutor.run)
    app = Sanic("metrics_probe_app")
    metrics.install(app)
    assert ActionExecutor.run is metrics.timed_run
    assert any(route.path == "metrics" for route in app.router.routes)
