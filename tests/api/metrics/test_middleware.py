"""Every request is timed under its route's template, 5xx answers are counted, raw paths never."""

from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

from api.metrics.middleware import RequestMetrics, route_template
from tests.api.metrics.helpers import sample
from tests.factories import create_account

LATENCY = "debtbot_http_request_duration_seconds_count"
ERRORS = "debtbot_http_server_errors_total"


def _failing_app() -> FastAPI:
    """A small app behind the middleware whose routes fail, and the real /metrics route."""
    from api.metrics.router import router as metrics_router

    app = FastAPI()
    app.add_middleware(RequestMetrics)
    app.include_router(metrics_router)

    @app.get("/boom/{item_id}")
    def boom(item_id: str) -> None:
        raise RuntimeError(item_id)

    @app.get("/unavailable")
    def unavailable() -> None:
        raise HTTPException(status_code=503)

    @app.get("/missing")
    def missing() -> None:
        raise HTTPException(status_code=404)

    return app


def test_a_request_is_timed_under_its_route_template_not_its_path(client: TestClient) -> None:
    labels = {"method": "GET", "route": "/api/v1/accounts/{account_id}"}
    before = sample(client, LATENCY, **labels)
    account_id = create_account(client)["id"]

    assert client.get(f"/api/v1/accounts/{account_id}").status_code == 200
    assert client.get("/api/v1/accounts/no-such-account").status_code == 404

    assert sample(client, LATENCY, **labels) == before + 2
    assert sample(client, ERRORS, **labels) == 0


def test_a_path_no_route_matches_is_labelled_other(client: TestClient) -> None:
    before = sample(client, LATENCY, method="GET", route="other")

    assert client.get("/+12025550143/ssn/123-45-6789").status_code == 404

    assert sample(client, LATENCY, method="GET", route="other") == before + 1


def test_an_unhandled_exception_and_a_503_count_as_server_errors_and_a_404_does_not() -> None:
    client = TestClient(_failing_app(), raise_server_exceptions=False)
    boom = {"method": "GET", "route": "/boom/{item_id}"}
    unavailable = {"method": "GET", "route": "/unavailable"}
    missing = {"method": "GET", "route": "/missing"}
    before = [sample(client, ERRORS, **labels) for labels in (boom, unavailable, missing)]

    assert client.get("/boom/1").status_code == 500
    assert client.get("/boom/2").status_code == 500
    assert client.get("/unavailable").status_code == 503
    assert client.get("/missing").status_code == 404

    after = [sample(client, ERRORS, **labels) for labels in (boom, unavailable, missing)]
    assert after == [before[0] + 2, before[1] + 1, before[2]]
    assert sample(client, LATENCY, **boom) >= 2


def test_a_prefix_that_is_not_a_literal_of_ours_is_left_out_of_the_label() -> None:
    from fastapi.routing import APIRoute

    route = APIRoute("/{item}", endpoint=lambda item: None)

    assert route_template({"route": route, "path": "/api/v1/42"}) == "/api/v1/{item}"
    assert route_template({"route": route, "path": "/+12025550143/42"}) == "/{item}"
    assert route_template({"route": route, "path": "/ACME-1001/42"}) == "/{item}"
    assert route_template({"path": "/+12025550143"}) == "other"
