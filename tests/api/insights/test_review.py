"""The review: filters, the gaps grouped commonest first, labels and their export as NLU training data."""

from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.insights import labels, review
from api.insights.exceptions import NotLabellable
from api.insights.models import ReviewTurn
from tests.api.insights.conftest import Ingest
from tests.api.insights.rasa_events import Broker, action, bot, paying_conversation, slot, user


def _gapped(broker: Broker) -> None:
    broker.publish("a", user("whats the damage", "nlu_fallback", 0.5), action("action_default_fallback"))
    broker.publish("b", user("what's the damage??", "nlu_fallback", 0.4, channel="webchat"))
    broker.publish("c", user("whats the damage then", "nlu_fallback", 0.3))
    broker.publish("d", user("can i talk to your boss", "request_human", 0.42, distress="high"))
    broker.publish("e", slot("requested_slot", "dob"), user("march 3rd", "nlu_fallback", 0.2))


def test_conversations_filter_by_outcome_intent_distress_channel_and_date(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    _gapped(broker)
    broker.publish("paid", *paying_conversation())
    ingested()

    def senders(**filters: object) -> set[str]:
        found = review.conversations(session, review.Filters(**filters))  # type: ignore[arg-type]
        return {row.sender_id for row in found}

    assert senders(outcome="plan_made") == {"paid"}
    assert senders(outcome="fallback") == {"a", "b", "c", "e"}
    assert senders(intent="request_human") == {"d"}
    assert senders(distress="elevated") == {"d", "paid"}
    assert senders(channel="webchat") == {"b"}
    assert senders(since=date(2026, 12, 5)) == set()
    assert len(senders(since=date(2026, 12, 4), until=date(2026, 12, 4))) == 6


def test_gaps_group_similar_messages_and_show_the_commonest_first(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    _gapped(broker)
    ingested()

    gaps = review.gaps(session)

    assert [len(gap.turns) for gap in gaps] == [3, 1]
    assert gaps[0].example.startswith("what")
    assert "march" not in " ".join(turn.text for gap in gaps for turn in gap.turns)  # identity answers never


def test_labelled_messages_export_as_rasa_nlu_yaml_and_leave_the_gaps(
    broker: Broker, ingested: Ingest, session: Session, tmp_path: Path
) -> None:
    _gapped(broker)
    ingested()
    for turn in review.gaps(session)[0].turns:
        labels.label(session, turn.id, "check_balance", None)

    written = labels.export(session, tmp_path / "nlu" / "reviewed.yml")

    data = yaml.safe_load((tmp_path / "nlu" / "reviewed.yml").read_text())
    assert written == 3 and data["version"] == "3.1"
    assert data["nlu"][0]["intent"] == "check_balance"
    assert "- what's the damage??" in data["nlu"][0]["examples"]
    assert [len(gap.turns) for gap in review.gaps(session)] == [1]


def test_only_visible_debtor_messages_and_domain_intents_can_be_labelled(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    _gapped(broker)
    broker.publish("f", bot("Hello", "utter_introduction"))
    ingested()
    withheld = session.scalars(select(ReviewTurn).where(ReviewTurn.withheld.is_(True))).one()
    bot_turn = session.scalars(select(ReviewTurn).where(ReviewTurn.sender == "bot")).one()
    visible = review.gaps(session)[0].turns[0]

    for turn_id, intent in ((withheld.id, "greet"), (bot_turn.id, "greet"), (visible.id, "no_such_intent")):
        with pytest.raises(NotLabellable):
            labels.label(session, turn_id, intent, None)


def test_the_reviewers_intents_are_domain_ymls() -> None:
    intents = labels.domain_intents()
    assert (
        "check_balance" in intents and "out_of_scope" in intents and len(intents) == 32
    )  # with the survey answer, two multi-intent labels and ask_credit_reporting
