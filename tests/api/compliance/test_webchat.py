"""The compliance gate on webchat: a conversation the debtor opened and has open, with no phone number.

Replies (bot, agent, system) answer the debtor, so contact hours, the SMS cap and the opt-out leave them
alone; forbidden language, stopped collection and the disclosures apply as on SMS, about the account the
conversation verified as. Messages go through the one outbound path (POST /messages/outbound), which
records a webchat message the gate allows as `sent` for the caller to emit.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.compliance import gate as compliance
from api.compliance.client_rules import MINI_MIRANDA
from api.compliance.language_lint import Category
from api.conversations import service as conversations
from api.conversations.models import Contact
from api.messaging import outbox
from api.messaging.sender import SenderConfig, send_pending
from shared.vocabulary import BlockReason, Purpose
from tests.api.compliance_helpers import (
    MONDAY_NOON_NEW_YORK,
    outbound_row,
    pin_clock,
)
from tests.api.sms_helpers import OPT_OUT, inbound, outbound
from tests.factories import DOB, ZIP_CODE, create_account, phone_number, verify

THREE_AM_NEW_YORK = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
"""03:00 in New York on a Tuesday: outside every contact window."""


def _conversation() -> str:
    """A webchat session id as the API issues them (random hex)."""
    return uuid.uuid4().hex


def _say(
    client: TestClient, conversation: str, body: str, when: datetime = THREE_AM_NEW_YORK, **fields: Any
) -> dict[str, Any]:
    """A webchat message (a bot reply unless `kind` says otherwise) at `when`; the outbox's answer."""
    pin_clock(client, when)
    return outbound(client, channel="webchat", conversation_id=conversation, body=body, **fields)


def _verified_as(client: TestClient, conversation: str, **account: Any) -> str:
    """The conversation verifies as a new account's debtor (as the bot does); the account's id."""
    account_id = str(create_account(client, **account)["id"])
    response = verify(client, account_id, dob=DOB, zip_code=ZIP_CODE, conversation_id=conversation)
    assert response.json()["verified"] is True, response.text
    return account_id


def _flag(client: TestClient, account_id: str, flag: str) -> None:
    response = client.post(f"/api/v1/accounts/{account_id}/flags", json={"flag": flag})
    assert response.status_code == 201, response.text


def test_a_webchat_reply_at_3am_goes_and_is_recorded_as_sent(client: TestClient, session: Session) -> None:
    conversation = _conversation()

    reply = _say(client, conversation, "Thanks, how can I help?")

    assert (reply["status"], reply["reasons"]) == ("sent", [])
    row = outbound_row(session, reply["id"])
    assert (row.channel, row.to_address, row.conversation_id) == ("webchat", conversation, conversation)
    assert (row.kind, row.initiated, row.attempts, row.sent_at) == ("reply", False, 1, THREE_AM_NEW_YORK)


@pytest.mark.parametrize("kind", ["reply", "agent", "system"])
def test_every_reply_kind_on_webchat_answers_the_debtor(client: TestClient, kind: str) -> None:
    """No time zone is known for an unverified chat; a reply needs none (1006.6(b)(1) binds initiated)."""
    assert _say(client, _conversation(), "Hello", kind=kind)["status"] == "sent"


FORBIDDEN = [
    ("If you don't pay we will have you arrested.", Category.THREAT_OF_ARREST),
    ("We will sue you next week.", Category.LEGAL_THREAT),
    ("Your wages will be garnished.", Category.GARNISHMENT),
    ("This is your last chance.", Category.FALSE_URGENCY),
    ("Stop being such a deadbeat.", Category.PROFANITY),
]
"""A message in each forbidden category (Reg F 1006.14 and .18), and the category."""


@pytest.mark.parametrize(("body", "category"), FORBIDDEN)
@pytest.mark.parametrize("kind", ["reply", "agent"])
def test_1006_18_forbidden_language_never_goes_out_on_webchat(
    client: TestClient, body: str, category: str, kind: str
) -> None:
    refused = _say(client, _conversation(), body, when=MONDAY_NOON_NEW_YORK, kind=kind)

    assert (refused["status"], refused["reasons"]) == (
        "blocked",
        [f"{BlockReason.FORBIDDEN_LANGUAGE}:{category}"],
    )


def test_1006_26_b_a_chat_verified_as_a_time_barred_account_never_mentions_court(client: TestClient) -> None:
    barred, fresh = _conversation(), _conversation()
    _verified_as(client, barred, time_barred=True)
    _verified_as(client, fresh)
    body = "Nothing about this goes to court today."

    refused = _say(client, barred, body)

    expected = [f"{BlockReason.FORBIDDEN_LANGUAGE}:{Category.TIME_BARRED_LEGAL_MENTION}"]
    assert (refused["status"], refused["reasons"]) == ("blocked", expected)
    assert _say(client, fresh, body)["status"] == "sent"


def test_1006_6_b_2_collection_talk_stops_once_the_chat_verified_as_a_represented_debtor(
    client: TestClient,
) -> None:
    conversation = _conversation()
    before = _say(client, conversation, "You owe $1,320.40.")
    account_id = _verified_as(client, conversation)
    _flag(client, account_id, "attorney")

    stopped = _say(client, conversation, "You owe $1,320.40.")
    acknowledged = _say(
        client, conversation, "We'll deal with your attorney.", purpose=Purpose.NO_COLLECTION_CONTENT
    )

    assert before["status"] == "sent"
    assert (stopped["status"], stopped["reasons"]) == (
        "blocked",
        [f"{BlockReason.COLLECTION_STOPPED}:attorney"],
    )
    assert acknowledged["status"] == "sent"


def test_no_sms_cap_on_webchat_replies(client: TestClient) -> None:
    """The 7-in-7-days cap counts bot-initiated texts; a chat the debtor keeps writing in is not one."""
    conversation = _conversation()

    statuses = [
        _say(client, conversation, f"Answer {n}.", when=MONDAY_NOON_NEW_YORK)["status"] for n in range(12)
    ]

    assert set(statuses) == {"sent"}


def test_a_webchat_opt_out_stops_only_what_the_debtor_did_not_ask_for(client: TestClient) -> None:
    """The bot's confirmation ("we won't contact you on this channel again") and later answers still go."""
    conversation = _conversation()
    opted = client.post(OPT_OUT, json={"conversation_id": conversation, "channel": "webchat"})
    assert opted.json()["opted_out"] is True, opted.text

    confirmation = _say(client, conversation, "Understood. We won't contact you on this channel again.")
    unprompted = _say(
        client, conversation, "A reminder about your plan.", when=MONDAY_NOON_NEW_YORK, kind="reminder"
    )

    assert confirmation["status"] == "sent"
    assert unprompted["status"] == "blocked" and BlockReason.OPTED_OUT in unprompted["reasons"]


def test_1006_18_e_2_a_bot_initiated_webchat_message_says_it_is_from_a_debt_collector(
    client: TestClient, session: Session
) -> None:
    """Required disclosures still apply on webchat: the outbox adds them to anything bot-initiated."""
    conversation = _conversation()
    _verified_as(client, conversation)

    sent = _say(
        client, conversation, "A reminder about your plan.", when=MONDAY_NOON_NEW_YORK, kind="reminder"
    )

    row = outbound_row(session, sent["id"])
    assert (sent["status"], row.initiated, row.body) == (
        "sent",
        True,
        f"A reminder about your plan. {MINI_MIRANDA}",
    )
    assert "STOP" not in row.body  # the SMS opt-out notice is for texts


def test_the_gate_refuses_a_webchat_message_without_the_disclosure_it_could_not_add(
    client: TestClient, session: Session
) -> None:
    conversation = _conversation()
    account_id = _verified_as(client, conversation)
    candidate = compliance.Candidate(
        message_id="m1",
        channel="webchat",
        to=conversation,
        kind="reminder",
        purpose=None,
        conversation_id=conversation,
        account_id=account_id,
        body="A reminder about your plan.",
        initiated=True,
    )

    decision = compliance.evaluate(session, candidate, MONDAY_NOON_NEW_YORK)

    assert decision.reasons == (f"{BlockReason.MISSING_DISCLOSURE}:mini_miranda",)


def test_a_crisis_answer_reaches_a_webchat_debtor_whatever_the_account(client: TestClient) -> None:
    """At 3am, opted out, on a time-barred account with every stop flag: the 988 line still goes.

    tests/channels/test_gate.py proves the same for every variation of the real template.
    """
    conversation = _conversation()
    account_id = _verified_as(client, conversation, time_barred=True)
    for flag in ("attorney", "bankruptcy", "cease_communication"):
        _flag(client, account_id, flag)
    client.post(OPT_OUT, json={"conversation_id": conversation, "channel": "webchat"})
    crisis = (
        "I'm really sorry you're feeling this way. Please call or text 988 (Suicide & Crisis Lifeline) now, "
        "free and 24/7, or call 911 if you're in danger. You matter far more than any debt."
    )

    answer = _say(client, conversation, crisis, purpose=Purpose.NO_COLLECTION_CONTENT)

    assert (answer["status"], answer["reasons"]) == ("sent", [])


def test_the_same_idempotency_key_records_a_webchat_reply_once(client: TestClient) -> None:
    conversation = _conversation()

    first = _say(client, conversation, "Hello", idempotency_key="webchat:m1:0")
    again = _say(client, conversation, "Hello", idempotency_key="webchat:m1:0")

    assert (again["id"], again["status"], again["duplicate"]) == (first["id"], "sent", True)


def test_a_webchat_message_names_its_conversation_never_a_number(client: TestClient) -> None:
    outbound(client, expect=422, channel="webchat", to=phone_number())
    outbound(client, expect=422, channel="webchat", conversation_id=_conversation(), to=phone_number())


def test_an_sms_conversation_is_not_a_webchat_one(client: TestClient) -> None:
    conversation = inbound(client, phone_number())["conversation_id"]

    outbound(client, expect=404, channel="webchat", conversation_id=conversation)


def test_the_worker_never_sends_a_webchat_message(client: TestClient, session: Session) -> None:
    """Even one left queued (a crash between recording and hand-over) is not the SMS worker's."""
    new = outbox.NewMessage(contact=_webchat_contact(session), body="Hello", kind="reply")
    queued = outbox.enqueue(session, new, MONDAY_NOON_NEW_YORK)
    session.commit()

    report = send_pending(session, _NoTwilio(), MONDAY_NOON_NEW_YORK, SenderConfig(status_callback_url=None))

    assert (report.handled, outbound_row(session, queued.id).status) == (0, "queued")


def _webchat_contact(session: Session) -> Contact:
    contact = conversations.webchat_contact(session, _conversation())
    assert contact is not None
    return contact


class _NoTwilio:
    """A Twilio client that must never be used."""

    @property
    def messages(self) -> Any:
        raise AssertionError("the worker tried to send a webchat message through Twilio")
