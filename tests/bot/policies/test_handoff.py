"""While a person owns the conversation the bot says nothing: every message is relayed, then it listens."""

import pytest
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.distress import DistressPolicy
from bot.policies.handoff import HandoffPolicy
from tests.bot.policies.conftest import create_policy


@pytest.fixture
def policy(tmp_path):
    return create_policy(HandoffPolicy, tmp_path, "handoff_policy")


def tracker_after(domain, text, *, handed_off, intent="check_balance", level="none"):
    events = [
        ActionExecuted("action_session_start"),
        ActionExecuted("action_listen"),
        SlotSet("handed_off", handed_off),
        UserUttered(text, {"name": intent, "confidence": 1.0}, parse_data={"distress": {"level": level}}),
    ]
    return DialogueStateTracker.from_events("someone", events, domain.slots)


def predicted(policy, tracker, domain):
    prediction = policy.predict_action_probabilities(tracker, domain)
    if prediction.max_confidence == 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def test_a_message_to_a_handed_off_conversation_is_relayed_not_answered(policy, domain):
    tracker = tracker_after(domain, "how much do i owe", handed_off=True)
    assert predicted(policy, tracker, domain) == "action_handoff_relay"


def test_after_relaying_the_bot_listens_and_sends_nothing(policy, domain):
    tracker = tracker_after(domain, "hello?", handed_off=True)
    tracker.update(ActionExecuted("action_handoff_relay"))
    assert predicted(policy, tracker, domain) == "action_listen"


def test_the_bot_answers_as_usual_when_no_person_owns_the_conversation(policy, domain):
    assert predicted(policy, tracker_after(domain, "how much do i owe", handed_off=False), domain) is None


def test_a_crisis_while_handed_off_goes_to_the_person_not_to_the_bot(policy, domain):
    tracker = tracker_after(domain, "i cant go on", handed_off=True, level="crisis")
    assert predicted(policy, tracker, domain) == "action_handoff_relay"
    ours = HandoffPolicy.get_default_config()["priority"]
    assert ours > DistressPolicy.get_default_config()["priority"]
