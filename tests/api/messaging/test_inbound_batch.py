"""POST /api/v1/messages/inbound/batch: several SMS in one transaction, each as POST /inbound stores it."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.conversations.models import InboundMessage
from tests.api.sms_helpers import OUR_NUMBER, inbound, message_sid
from tests.factories import create_account, debtor_payload, phone_number

BATCH = "/api/v1/messages/inbound/batch"


def _sms(sender: str | None, body: str = "hi", sid: str | None = None) -> dict[str, Any]:
    return {"message_sid": sid or message_sid(), "from": sender, "to": OUR_NUMBER, "body": body}


def _batch(client: TestClient, *messages: dict[str, Any], expect: int = 200) -> list[dict[str, Any]]:
    response = client.post(BATCH, json={"messages": list(messages)})
    assert response.status_code == expect, response.text
    return list(response.json()["results"]) if expect == 200 else []


def _rows(session: Session, sid: str) -> int:
    session.expire_all()
    query = select(func.count()).select_from(InboundMessage).where(InboundMessage.message_sid == sid)
    return int(session.scalar(query) or 0)


def test_each_message_of_a_batch_is_stored_and_answered_in_order(
    sms_client: TestClient, session: Session
) -> None:
    phone, stranger = phone_number(), phone_number()
    account = create_account(sms_client, debtor=debtor_payload(phone=phone))
    first, second, third = _sms(phone, "what do I owe?"), _sms(stranger), _sms(None)

    results = _batch(sms_client, first, second, third)

    assert [r["duplicate"] for r in results] == [False, False, False]
    assert [r["accepted"] for r in results] == [True, True, False]
    assert (results[0]["account_id"], results[1]["account_id"]) == (account["id"], None)
    assert results[0]["conversation_id"] != results[1]["conversation_id"]
    assert all(_rows(session, sms["message_sid"]) == 1 for sms in (first, second, third))


def test_a_batch_answers_as_single_posts_would(sms_client: TestClient) -> None:
    phone = phone_number()
    alone = inbound(sms_client, phone, "hello")

    [batched] = _batch(sms_client, _sms(phone, "hello"))

    assert {k: v for k, v in batched.items() if k != "id"} == {k: v for k, v in alone.items() if k != "id"}


def test_a_message_sid_twice_in_one_batch_is_stored_once(sms_client: TestClient, session: Session) -> None:
    sms = _sms(phone_number(), "hello")

    first, again = _batch(sms_client, sms, sms)

    assert (first["duplicate"], again["duplicate"]) == (False, True)
    assert first["id"] == again["id"] and _rows(session, sms["message_sid"]) == 1


def test_a_message_stored_earlier_is_a_duplicate_and_the_others_are_stored(
    sms_client: TestClient, session: Session
) -> None:
    phone, sid = phone_number(), message_sid()
    earlier = inbound(sms_client, phone, "hello", sid=sid)
    fresh = _sms(phone, "and again")

    retry, new = _batch(sms_client, _sms(phone, "hello", sid=sid), fresh)

    assert (retry["duplicate"], retry["id"]) == (True, earlier["id"])
    assert new["duplicate"] is False and _rows(session, fresh["message_sid"]) == 1
    assert _rows(session, sid) == 1


def test_a_stop_in_a_batch_opts_the_number_out_in_the_same_step(sms_client: TestClient) -> None:
    phone = phone_number()

    stop, after = _batch(sms_client, _sms(phone, "STOP"), _sms(phone, "hello?"))

    assert (stop["keyword"], stop["opted_out"]) == ("stop", True)
    assert after["opted_out"] is True


def test_concurrent_batches_carrying_the_same_messages_store_each_once(
    sms_client: TestClient, session: Session
) -> None:
    """Twilio retries that reach two channel processes at once: both batches answer, one row per sid."""
    messages = [_sms(phone_number(), f"message {i}") for i in range(8)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: _batch(sms_client, *messages), range(4)))

    for index, sms in enumerate(messages):
        assert _rows(session, sms["message_sid"]) == 1
        assert len({answer[index]["id"] for answer in answers}) == 1
        assert sum(not answer[index]["duplicate"] for answer in answers) == 1


def test_an_empty_or_oversized_batch_is_refused(sms_client: TestClient) -> None:
    _batch(sms_client, expect=422)
    _batch(sms_client, *[_sms(phone_number()) for _ in range(101)], expect=422)


def test_the_batch_needs_the_service_token(sms_client: TestClient) -> None:
    response = sms_client.post(
        BATCH, json={"messages": [_sms(phone_number())]}, headers={"Authorization": ""}
    )

    assert response.status_code == 401
