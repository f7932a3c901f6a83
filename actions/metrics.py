"""Prometheus metrics of the action server: run latency and errors by action name, the handoffs the bot
starts by reason; GET /metrics.

rasa_sdk's `create_app` makes its Sanic app ("rasa_sdk") and then imports this package, so importing this
module inside the action server finds that app, adds GET /metrics to it and times `ActionExecutor.run`.
Imported anywhere else (tests, Rasa) no app of that name exists and nothing is installed. Labels are action
names (the domain's) or "other"; never a sender id or text. The action server's port is internal only.
"""

from __future__ import annotations

import time
from typing import Any, Final

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request

APP_NAME: Final = "rasa_sdk"
OTHER: Final = "other"
RUN_SECONDS = Histogram("actions_run_seconds", "Action run latency in the action server", ["action"])
RUN_ERRORS = Counter("actions_run_errors_total", "Action runs that raised", ["action"])
HANDOFFS = Counter(
    "actions_handoffs_started_total", "Handoffs the bot started (or joined), by reason", ["reason"]
)
STOCK_RUN = ActionExecutor.run


def action_label(call: Any) -> str:
    """The called action's name when it is an identifier of ours, else 'other'."""
    name = str(call.get("next_action", "")) if isinstance(call, dict) else ""
    return name if name.startswith(("action_", "validate_")) and name.isidentifier() else OTHER


async def timed_run(self: Any, action_call: Any) -> Any:
    """ActionExecutor.run, timed (and its errors counted) by action name."""
    label = action_label(action_call)
    label = label if label in self.actions else OTHER  # registered actions only: a bounded label set
    started = time.perf_counter()
    try:
        return await STOCK_RUN(self, action_call)
    except Exception:
        RUN_ERRORS.labels(label).inc()
        raise
    finally:
        RUN_SECONDS.labels(label).observe(time.perf_counter() - started)


def handoff_started(reason: str, known: frozenset[str]) -> None:
    """Count one handoff the bot started; a reason outside `known` (the API's list) counts as 'other'."""
    HANDOFFS.labels(reason if reason in known else OTHER).inc()


async def metrics_endpoint(request: Request) -> response.HTTPResponse:
    """Every metric of this process in Prometheus' text exposition format."""
    return response.raw(generate_latest(), content_type=CONTENT_TYPE_LATEST)


def install(app: Sanic) -> None:
    """Time every action run of this process and serve GET /metrics on `app`."""
    ActionExecutor.run = timed_run
    if not any(route.path == "metrics" for route in app.router.routes):
        app.add_route(metrics_endpoint, "/metrics", methods=["GET"], name="prometheus_metrics")


def install_in_action_server() -> None:
    """install() on the action server's app when this process is the action server."""
    try:
        app = Sanic.get_app(APP_NAME)
    except SanicException:
        return
    install(app)


install_in_action_server()
