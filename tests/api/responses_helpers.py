"""Editable responses in tests: the tables emptied and seeded from the real domain.yml."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from api.core.models import utcnow
from api.responses import live, service
from api.responses.models import BotResponse, ResponseVersion
from tests.api.table_helpers import empty_tables

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
RESPONSES = "/api/v1/responses"
NLG = "/api/v1/nlg"


def empty_responses_tables(url: str) -> None:
    """Responses tests share one database per backend; each starts without responses."""
    empty_tables(url, ResponseVersion, BotResponse)


@pytest.fixture
def seeded(database_url: str, session: Session) -> Iterator[dict[str, list[dict[str, Any]]]]:
    """domain.yml's responses as version 1 of each; the tables emptied before and after."""
    empty_responses_tables(database_url)
    live.forget()
    responses = service.read_domain_responses(DOMAIN)
    service.seed_from_domain(session, responses, utcnow())
    session.commit()
    yield responses
    empty_responses_tables(database_url)
    live.forget()


def nlg_request(response: str, slots: dict[str, Any] | None = None, **arguments: Any) -> dict[str, Any]:
    """A request as Rasa's callback generator sends it (tracker trimmed to what matters)."""
    tracker = {"sender_id": "c1", "slots": slots or {}, "events": [], "latest_message": {}}
    return {
        "response": response,
        "id": None,
        "arguments": arguments,
        "tracker": tracker,
        "channel": {"name": "rest"},
    }
