"""The experiments' JSON routes: marketing only, compliance review before start, results kept after stop."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api.handoff_helpers import Staff

EXPERIMENTS = "/api/v1/experiments"


def _body(challenger: str) -> dict[str, Any]:
    variants = [{"share": 50, "variations": [{"text": t}]} for t in ("Hello, how can I help?", challenger)]
    return {
        "response_name": "utter_greet_test",
        "primary_outcome": "verified",
        "minimum_sample": 5,
        "variants": variants,
    }


def test_agents_get_403(anonymous_client: TestClient, staff: dict[str, Staff]) -> None:
    reply = anonymous_client.post(EXPERIMENTS, json=_body("Hi!"), headers=staff["agent"].headers)

    assert reply.status_code == 403


def test_a_non_compliant_variant_cannot_start(anonymous_client: TestClient, staff: dict[str, Staff]) -> None:
    who = staff["marketing"].headers
    created = anonymous_client.post(
        EXPERIMENTS, json=_body("Pay now or we will have you arrested."), headers=who
    )
    started = anonymous_client.post(f"{EXPERIMENTS}/{created.json()['id']}/start", headers=who)

    assert created.status_code == 201 and started.status_code == 422


def test_stopping_keeps_the_results(anonymous_client: TestClient, staff: dict[str, Staff]) -> None:
    who = staff["marketing"].headers
    experiment = anonymous_client.post(
        EXPERIMENTS, json=_body("Hi there, what can I do for you?"), headers=who
    ).json()
    assert anonymous_client.post(f"{EXPERIMENTS}/{experiment['id']}/start", headers=who).status_code == 200
    assert anonymous_client.post(f"{EXPERIMENTS}/{experiment['id']}/stop", headers=who).status_code == 200

    found = anonymous_client.get(f"{EXPERIMENTS}/{experiment['id']}/results", headers=who).json()

    assert found["status"] == "stopped" and found["verdict"] == "collecting data: 0 of 5"
