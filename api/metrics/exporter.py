"""The worker's metrics: the sender's outbound statuses (sent, failed, retried) happen in its process.

prometheus-client's own HTTP server on a port of its own, in a daemon thread, since the worker serves no
HTTP otherwise; the API process exposes its metrics at GET /metrics instead.
"""

import logging
import threading
from wsgiref.simple_server import WSGIServer

from prometheus_client import start_http_server

from api.core.config import Settings

logger = logging.getLogger(__name__)


def serve(host: str, port: int) -> tuple[WSGIServer, threading.Thread]:
    """Serve this process's metrics at http://host:port/metrics until the process ends (or shutdown())."""
    server, thread = start_http_server(port, addr=host)
    logger.info("metrics served", extra={"port": port})
    return server, thread


def serve_if_configured(settings: Settings) -> WSGIServer | None:
    """Serve the metrics when WORKER_METRICS_PORT is set; None otherwise."""
    if settings.WORKER_METRICS_PORT is None:
        return None
    return serve(settings.WORKER_METRICS_HOST, settings.WORKER_METRICS_PORT)[0]
