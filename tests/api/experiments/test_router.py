"""The NLG route answers a running experiment's variant, the same one for the whole conversation."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.core.models import utcnow
from api.experiments import service
from tests.api.responses_helpers import NLG, nlg_request

NAME = "utter_greet_test"
TEXTS = ["Hello, how can I help you today?", "Hi there! What can I do for you?"]


def test_the_nlg_route_answers_the_conversation_s_variant(client: TestClient, session: Session) -> None:
    experiment = service.create(
        session, NAME, [(50, [{"text": TEXTS[0]}]), (50, [{"text": TEXTS[1]}])], "verified", 5
    )
    service.start(session, experiment, utcnow())
    session.commit()

    answers: dict[str, Any] = {}
    for sender in ("c1", "c2", "c3", "c4", "c5", "c6"):
        body = nlg_request(NAME)
        body["tracker"]["sender_id"] = sender
        first, again = (client.post(NLG, json=body).json()["text"] for _ in range(2))
        assert first == again and first in TEXTS
        answers[sender] = first

    session.expire_all()
    exposed = service.exposures(session, experiment)
    assert sorted(c for ids in exposed.values() for c in ids) == sorted(answers)
    for variant in service.variants(session, experiment):
        assert all(answers[c] == variant.variations[0]["text"] for c in exposed[variant.id])
