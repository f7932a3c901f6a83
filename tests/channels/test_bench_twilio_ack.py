"""scripts/bench_twilio_ack.py's load generator: its requests are signed as Twilio signs them, and it
times every acknowledgement (real Sanic server on loopback; no API, no channel)."""

from __future__ import annotations

from types import ModuleType

import pytest
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from channels.sanic_server import running
from tests.scripts import load_script


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_script("bench_twilio_ack")


def twilio_like(bench: ModuleType) -> Sanic:
    """A webhook that answers 200 to requests signed with the bench's token, 403 (which stops the
    bench with SystemExit) to others."""
    app = Sanic("bench-twilio-ack")
    validator = RequestValidator(bench.AUTH_TOKEN)

    async def webhook(request: Request) -> HTTPResponse:
        params = {key: values[0] for key, values in request.form.items()}
        url = bench.PUBLIC_BASE_URL + bench.WEBHOOK_PATH
        if not validator.validate(url, params, request.headers.get("X-Twilio-Signature", "")):
            return response.text("invalid signature", status=403)
        return response.text("<Response/>", content_type="text/xml")

    app.add_route(webhook, bench.WEBHOOK_PATH, methods=["POST"])
    return app


async def test_every_request_is_signed_and_timed(bench: ModuleType) -> None:
    async with running(twilio_like(bench)) as port:
        latencies = await bench.generate(f"http://127.0.0.1:{port}", 30, 4, 5)

    assert len(latencies) == 30
    assert all(seconds > 0 for seconds in latencies)
