"""The compliance gate: a list of rules, every objection kept, the opt-out rule's single exception."""

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from api.compliance import gate as compliance
from api.compliance.gate import Candidate
from api.conversations import service as conversations
from api.messaging import outbox
from shared.vocabulary import BlockReason, Purpose
from tests.api.compliance_helpers import MONDAY_NOON_NEW_YORK, NEW_YORK, account_with

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


def _candidate(**overrides: str | bool | None) -> Candidate:
    fields: dict[str, str | bool | None] = {
        "message_id": "m1",
        "channel": "sms",
        "to": "+12025550143",
        "kind": "reply",
        "purpose": None,
        "conversation_id": "c-1",
        "account_id": None,
    }
    fields.update(overrides)
    return Candidate(**fields)  # type: ignore[arg-type]


def test_no_objection_means_allowed() -> None:
    decision = compliance.evaluate(None, _candidate(), NOW, rules=[lambda *_: None])  # type: ignore[arg-type]

    assert decision.allowed and decision.reasons == ()


def test_every_objection_is_reported_not_just_the_first() -> None:
    rules = [lambda *_: "a", lambda *_: None, lambda *_: "b"]

    decision = compliance.evaluate(None, _candidate(), NOW, rules=rules)  # type: ignore[arg-type]

    assert not decision.allowed and decision.reasons == ("a", "b")


def test_the_default_rules_include_the_opt_out_rule() -> None:
    assert compliance.opted_out in compliance.RULES
    assert BlockReason.OPTED_OUT == "opted_out"
    assert Purpose.OPT_OUT_CONFIRMATION == "opt_out_confirmation"


def test_an_unknown_address_has_not_opted_out(session: Session) -> None:
    assert compliance.opted_out(compliance.Context(session, _candidate(to="+19999999999"), NOW)) is None


def _statements(session: Session, evaluation: Callable[[], object]) -> list[str]:
    """The SQL statements `evaluation` sends through the session's connection."""
    sent: list[str] = []
    engine = session.get_bind()
    listener: Callable[..., None] = lambda _conn, _cursor, statement, *_: sent.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        evaluation()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return sent


def test_one_evaluation_queries_the_messages_accounts_once(client: TestClient, session: Session) -> None:
    account_with(client, NEW_YORK)
    account_with(client, NEW_YORK)
    reminder = _candidate(
        to=NEW_YORK, kind="reminder", initiated=True, body="A reminder. Reply STOP to opt out."
    )

    sent = _statements(session, lambda: compliance.evaluate(session, reminder, MONDAY_NOON_NEW_YORK))

    account_queries = [statement for statement in sent if re.search(r"\bFROM accounts\b", statement)]
    assert len(account_queries) == 1


def test_queueing_computes_the_disclosures_once_and_queries_the_accounts_once(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    account_with(client, NEW_YORK)
    computed: list[str] = []
    original = compliance.missing_disclosures

    def counted(context: compliance.Context) -> list[tuple[str, str]]:
        computed.append(context.candidate.body)
        return original(context)

    monkeypatch.setattr(compliance, "missing_disclosures", counted)
    contact = conversations.get_or_create(session, "test-secret", "sms", NEW_YORK)
    new = outbox.NewMessage(contact=contact, body="A reminder about your account.", kind="reminder")

    sent = _statements(session, lambda: outbox.enqueue(session, new, MONDAY_NOON_NEW_YORK))

    assert len(computed) == 1
    assert len([statement for statement in sent if re.search(r"\bFROM accounts\b", statement)]) == 1
