"""The NLG route answers a running experiment's variant, the same one for the whole conversation."""

import threading
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.core.models import utcnow
from api.experiments import service
from api.responses import live
from tests.api.concurrency_helpers import all_at_once
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


def test_many_new_conversations_at_once_all_get_their_line(
    client: TestClient, seeded: dict[str, list[dict[str, Any]]]
) -> None:
    """The Twilio bench's 50 new conversations at once, on a cold cache of live responses: each request had
    held its session's connection while its live lookup waited for a second one, so 15 of them drained the
    pool (5 + 10), every request waited the pool's 30 s, and the API answered 500 (218 times in one run)."""
    live.forget()

    def ask(n: int, start: threading.Barrier) -> int:
        body = nlg_request("utter_introduction")
        body["tracker"]["sender_id"] = f"c{n}"
        start.wait()
        return client.post(NLG, json=body).status_code

    assert all_at_once(40, ask) == [200] * 40
