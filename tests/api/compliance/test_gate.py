"""The compliance gate: a list of rules, every objection kept, the opt-out rule's single exception."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from api.compliance import gate as compliance
from api.compliance.gate import Candidate, Purpose, Reason

NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


def _candidate(**overrides: str | None) -> Candidate:
    fields: dict[str, str | None] = {
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
    assert Reason.OPTED_OUT == "opted_out"
    assert Purpose.OPT_OUT_CONFIRMATION == "opt_out_confirmation"


def test_an_unknown_address_has_not_opted_out(session: Session) -> None:
    assert compliance.opted_out(session, _candidate(to="+19999999999"), NOW) is None
