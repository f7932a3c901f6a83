"""The worker serves its own metrics (the sender's statuses happen in its process) when a port is set."""

import socket

import httpx

from api.core import metrics
from api.core.config import Settings
from api.metrics import exporter
from tests.factories import API_TOKEN, SECRET_KEY


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, API_TOKEN=API_TOKEN, SECRET_KEY=SECRET_KEY, **values)  # type: ignore[arg-type]


def test_the_worker_serves_the_statuses_it_sets_on_its_metrics_port() -> None:
    metrics.outbound_status("sms", "sent")
    server = exporter.serve_if_configured(_settings(WORKER_METRICS_PORT=_free_port()))
    assert server is not None
    try:
        response = httpx.get(f"http://127.0.0.1:{server.server_port}/metrics")
    finally:
        server.shutdown()
        server.server_close()

    assert response.status_code == 200
    assert 'debtbot_outbound_status_changes_total{channel="sms",status="sent"}' in response.text


def test_without_a_port_the_worker_serves_no_metrics() -> None:
    assert exporter.serve_if_configured(_settings()) is None
