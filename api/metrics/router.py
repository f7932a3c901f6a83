"""GET /metrics for Prometheus: counts and latencies only, no personal data in any label.

Unauthenticated, as /health, for the scraper on the internal network; like Rasa's HTTP API it is not
among the paths the public proxy routes to the API.
"""

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter(tags=["metrics"])


@router.get("/metrics", response_class=Response)
def metrics() -> Response:
    """Every metric of this process in Prometheus' text exposition format."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
