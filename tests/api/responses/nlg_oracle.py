"""The API's side of tests/test_nlg_equivalence.py, run in the API's environment as a subprocess.

Reads {"domain": path, "cases": [{"request": <Rasa's NLG request body>}]} on stdin; seeds a fresh SQLite
database from the domain file as `python -m api.seed` does; writes, per case, every message the API could
answer (its candidates, filled) and the answer POST /api/v1/nlg actually gave, as JSON on stdout.
"""

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.core.config import Settings
from api.core.db import get_engine, get_session_factory
from api.core.models import Base, utcnow
from api.main import create_app
from api.responses import rendering, service

TOKEN = "oracle-service-token-0123456789"


def _candidates(responses: dict[str, Any], request: dict[str, Any]) -> list[dict[str, Any]]:
    """Every message the API may answer for this request."""
    slots, arguments = request["tracker"]["slots"], request["arguments"]
    eligible = rendering.candidates(responses[request["response"]], request["channel"]["name"], slots)
    return [rendering.fill(variation, slots, arguments) for variation in eligible]


def main() -> None:
    """Answer every case on stdin."""
    job = json.load(sys.stdin)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'oracle.db'}"
        Base.metadata.create_all(get_engine(url))
        with get_session_factory(url)() as session:
            responses = service.read_domain_responses(Path(job["domain"]))
            service.seed_from_domain(session, responses, utcnow())
            session.commit()
        settings = Settings(_env_file=None, DATABASE_URL=url, API_TOKEN=TOKEN, SECRET_KEY="s" * 32)
        with TestClient(create_app(settings), headers={"Authorization": f"Bearer {TOKEN}"}) as client:
            results = [_answer(client, responses, case["request"]) for case in job["cases"]]
    json.dump(results, sys.stdout)


def _answer(client: TestClient, responses: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    """The candidates and the route's answer (None for a 404) for one request."""
    headers = {"Content-Type": "application/json"}  # as Rasa sends it
    reply = client.post("/api/v1/nlg", content=json.dumps(request), headers=headers)
    answer = reply.json() if reply.status_code == 200 else None
    return {"candidates": _candidates(responses, request), "answer": answer, "status": reply.status_code}


if __name__ == "__main__":
    main()
