"""Read one sample of GET /metrics as Prometheus would."""

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families


def scrape(client: TestClient) -> str:
    """The exposition text of GET /metrics (asserting 200, no credentials needed)."""
    response = client.get("/metrics", headers={"Authorization": ""})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


def sample(client: TestClient, name: str, **labels: str) -> float:
    """The value of the sample with this name and labels (0 when it was never counted)."""
    for family in text_string_to_metric_families(scrape(client)):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return float(found.value)
    return 0.0
