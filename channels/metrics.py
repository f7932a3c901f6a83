"""Prometheus metrics of the Rasa process: turns, their latency, failed turns, NLU fallbacks, action calls;
GET /metrics.

Labels come from fixed lists only (channel names; action names, which are the domain's): never a sender id,
a phone number or a message's text. `install()` (channels/serve.py) times every RemoteAction call and adds
GET /metrics to Rasa's Sanic app. Rasa's port is not routed by the public proxy (deploy/nginx.conf.template
routes only /webhooks/twilio/* and /socket.io/* to Rasa), so /metrics is for the scraper on the internal
network, as the API's. With N Rasa processes each serves its own counts: scrape each process.
"""

from __future__ import annotations

import time
from typing import Any, Final

import rasa.core.run  # type: ignore[import-untyped]
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from rasa.core.actions.action import RemoteAction  # type: ignore[import-untyped]
from sanic import Sanic, response
from sanic.request import Request

CHANNELS: Final = frozenset({"rest", "sms", "webchat"})
"""FailedTurns' channel names: REST, Twilio SMS (sms), socket.io webchat (webchat)."""
OTHER: Final = "other"

TURNS = Counter("rasa_turns_total", "Debtor messages handled, by channel", ["channel"])
TURN_SECONDS = Histogram("rasa_turn_seconds", "From message received to the turn's end", ["channel"])
FAILED_TURNS = Counter("rasa_failed_turns_total", "Turns that failed on our side", ["channel"])
ACTION_SECONDS = Histogram("rasa_action_call_seconds", "Action server call latency", ["action"])
ACTION_ERRORS = Counter("rasa_action_call_errors_total", "Action server calls that failed", ["action"])
FALLBACKS = Counter("rasa_nlu_fallbacks_total", "Debtor messages the NLU could not place", ["channel"])
TED_STATES = Counter("rasa_ted_predictions_total", "TED forward passes, run or remembered", ["result"])
INPUT_CHANNELS: Final = {"rest": "rest", "twilio": "sms", "webchat": "webchat", "socketio": "webchat"}
"""Rasa's input channel names (UserMessage.input_channel) in the turn metrics' channel names."""

STOCK_CONFIGURE_APP = rasa.core.run.configure_app
_TIMED_RUN: dict[str, Any] = {}


def channel_label(channel: str) -> str:
    """The channel's name when it is one of ours, else 'other'."""
    return channel if channel in CHANNELS else OTHER


def action_label(name: str) -> str:
    """An action name from the domain (custom actions start action_/validate_), else 'other'."""
    return name if name.startswith(("action_", "validate_", "utter_")) and name.isidentifier() else OTHER


def turn_done(channel: str, seconds: float, failed: bool) -> None:
    """Count one turn of `channel` and its latency; a failed one in failed turns too."""
    label = channel_label(channel)
    TURNS.labels(label).inc()
    TURN_SECONDS.labels(label).observe(seconds)
    if failed:
        FAILED_TURNS.labels(label).inc()


def parsed(input_channel: str | None, intent: str) -> None:
    """Count a debtor message (not a clause the segmenting step parsed: those have no input channel) that
    the NLU could not place."""
    if input_channel is not None and intent == "nlu_fallback":
        FALLBACKS.labels(channel_label(INPUT_CHANNELS.get(input_channel, OTHER))).inc()


def ted_predicted(remembered: bool) -> None:
    """One TED prediction step, from memory (channels/ted_cache.py) or run through the model."""
    TED_STATES.labels("remembered" if remembered else "run").inc()


def action_called(name: str, seconds: float, failed: bool) -> None:
    """Record one action server call's latency (and its failure)."""
    label = action_label(name)
    ACTION_SECONDS.labels(label).observe(seconds)
    if failed:
        ACTION_ERRORS.labels(label).inc()


def timed_run(stock: Any) -> Any:
    """RemoteAction.run (as installed when this is called), timed by action name."""

    async def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        started, failed = time.perf_counter(), True
        try:
            result = await stock(self, *args, **kwargs)
            failed = False
            return result
        finally:
            action_called(str(self.name()), time.perf_counter() - started, failed)

    return run


async def metrics_endpoint(request: Request) -> response.HTTPResponse:
    """Every metric of this process in Prometheus' text exposition format."""
    return response.raw(generate_latest(), content_type=CONTENT_TYPE_LATEST)


def configure_app_with_metrics(*args: Any, **kwargs: Any) -> Sanic:
    """Rasa's configure_app, its app serving GET /metrics."""
    app: Sanic = STOCK_CONFIGURE_APP(*args, **kwargs)
    app.add_route(metrics_endpoint, "/metrics", methods=["GET"], name="prometheus_metrics")
    return app


def install() -> None:
    """Time every RemoteAction call of this process; GET /metrics on Rasa's app. Idempotent."""
    if "run" not in _TIMED_RUN:
        _TIMED_RUN["run"] = timed_run(RemoteAction.run)
        RemoteAction.run = _TIMED_RUN["run"]
    rasa.core.run.configure_app = configure_app_with_metrics


def installed() -> bool:
    """Whether this process times its action calls and serves /metrics."""
    return (
        RemoteAction.run is _TIMED_RUN.get("run")
        and rasa.core.run.configure_app is configure_app_with_metrics
    )
