"""A short SMS that only asks, in plain words, for the texts to stop is an opt-out exactly like STOP: acted
on by the API before the NLU, one confirmation, on the account's record; anything more stays with the NLU."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.accounts.models import AccountEvent
from shared.stop_texts import only_asks_to_stop
from tests.api.sms_helpers import inbound, message_sid, outbound, the_opt_out_confirmation
from tests.factories import create_account, debtor_payload, phone_number

IN_WORDS = [
    "stop texting me",
    "Stop texting me!!",
    "please don't message me anymore",
    "Please don\u2019t text me again.",
    "do not text this number",
    "never text me again",
    "stop messaging me please",
    "stop sending me texts",
    "no more texts",
    "i don't want any more messages",
    "take me off your list",
    "remove my number from your list",
    "quit texting me",
    "unsubscribe me",
    "take me off your texting list for good",
    "remove me from your text list please",
]

NOT_AN_OPT_OUT = [
    "don't text me before 9",
    "don't text me while i'm at work",
    "stop texting me about him, wrong number",
    "i'm not kevin, stop texting me about him",
    "stop texting me, i can't take this anymore",
    "please stop",
    "stop please",
    "can you text me after 6 instead",
    "i will pay, just stop texting me so early",
    "",
]


@pytest.mark.parametrize("body", IN_WORDS)
def test_plain_words_asking_the_texts_to_stop_are_recognised(body: str) -> None:
    assert only_asks_to_stop(body)


@pytest.mark.parametrize("body", NOT_AN_OPT_OUT)
def test_preferences_wrong_persons_and_longer_messages_are_left_to_the_nlu(body: str) -> None:
    assert not only_asks_to_stop(body)


def test_a_plain_words_opt_out_stops_the_texts_like_stop(sms_client: TestClient, session: Session) -> None:
    phone, sid = phone_number(), message_sid()

    result = inbound(sms_client, phone, "please don't message me anymore", sid=sid)

    assert (result["keyword"], result["opted_out"]) == ("stop", True)
    the_opt_out_confirmation(session, result, sid)
    assert outbound(sms_client, to=phone)["status"] == "blocked"


def test_the_record_says_the_opt_out_came_from_the_conversation(
    sms_client: TestClient, session: Session
) -> None:
    phone = phone_number()
    account = create_account(sms_client, debtor=debtor_payload(phone=phone))

    inbound(sms_client, phone, "stop texting me")

    events = session.scalars(select(AccountEvent).where(AccountEvent.account_id == account["id"])).all()
    assert [(e.type, e.data) for e in events if e.type.startswith("contact.")] == [
        ("contact.opted_out", {"channel": "sms", "source": "conversation"})
    ]


def test_a_preference_reaches_the_nlu_and_opts_out_nothing(sms_client: TestClient) -> None:
    result = inbound(sms_client, phone_number(), "don't text me before 9")

    assert (result["keyword"], result["opted_out"]) == (None, False)
