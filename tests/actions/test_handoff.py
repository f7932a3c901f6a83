"""Handoffs: the record the agent gets, the pause, the relay, and a graceful answer when the API is down."""

import json

import httpx
import pytest

from actions import metrics
from actions.handoff import ActionHandoff, ActionHandoffRelay, handoff_request
from actions.identity import ActionIdentityOutcome
from tests.actions.conftest import ACCOUNT_ID, make_tracker, responses, slot_events

HANDOFF_ID = "5b0c1f0e-8a53-4a5e-9a57-3d0f1b1c2e11"


def conversation(**slots):
    tracker = make_tracker(slots=slots, text="can i talk to a real person", intent="request_human")
    tracker.events = [
        {"event": "bot", "text": "Hi, this is Acme Recovery Services.", "timestamp": 1.0},
        {
            "event": "user",
            "text": "how much do i owe",
            "timestamp": 2.0,
            "parse_data": {"intent": {"name": "check_balance"}, "distress": {"score": 0.2, "level": "none"}},
        },
        {
            "event": "user",
            "text": "can i talk to a real person",
            "timestamp": 3.0,
            "parse_data": {
                "intent": {"name": "request_human"},
                "distress": {"score": 0.7, "level": "elevated"},
            },
        },
    ]
    return tracker


async def test_asking_for_a_person_queues_a_handoff_and_pauses_the_bot(api, dispatcher, domain):
    route = api.post("/api/v1/handoffs").mock(return_value=httpx.Response(201, json={"id": HANDOFF_ID}))
    events = await ActionHandoff().run(dispatcher, conversation(), domain)
    assert responses(dispatcher) == ["utter_handoff_started"]
    assert slot_events(events) == {"requested_slot": None, "handed_off": True, "handoff_id": HANDOFF_ID}
    body = __import__("json").loads(route.calls.last.request.content)
    assert body["reason"] == "request_human" and body["conversation_id"] == "test-conversation"
    assert [turn["sender"] for turn in body["transcript"]] == ["bot", "debtor", "debtor"]
    assert [point["level"] for point in body["distress"]] == ["none", "elevated"]
    assert "check_balance" in body["summary"]


def test_an_unverified_conversation_never_sends_the_account(domain):
    body = handoff_request(conversation(account_id=ACCOUNT_ID, verified=False), "request_human")
    assert body["account_id"] is None
    verified = handoff_request(conversation(account_id=ACCOUNT_ID, verified=True), "request_human")
    assert verified["account_id"] == ACCOUNT_ID


def test_a_flags_handoff_is_on_the_account_the_flag_was_recorded_on(domain):
    body = handoff_request(conversation(verified=False), "bankruptcy", flagged="acct-9")

    assert body["account_id"] == "acct-9"


@pytest.mark.parametrize("failure", [httpx.Response(503), httpx.ConnectError("down")])
async def test_when_the_team_cannot_be_reached_the_debtor_gets_the_phone_number(
    api, dispatcher, domain, failure
):
    route = api.post("/api/v1/handoffs")
    route.mock(side_effect=failure) if isinstance(failure, Exception) else route.mock(return_value=failure)
    events = await ActionHandoff().run(dispatcher, conversation(), domain)
    assert responses(dispatcher) == ["utter_handoff_unavailable"]
    assert events == []


async def test_a_message_while_handed_off_reaches_the_agent_and_gets_no_bot_reply(api, dispatcher, domain):
    route = api.post(f"/api/v1/handoffs/{HANDOFF_ID}/messages").mock(
        return_value=httpx.Response(201, json={})
    )
    tracker = make_tracker(slots={"handed_off": True, "handoff_id": HANDOFF_ID}, text="are you still there")
    assert await ActionHandoffRelay().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages == []
    # Exactly the API's DebtorMessageIn (extra fields forbidden): an extra key was a 422, nothing relayed.
    assert json.loads(route.calls.last.request.content) == {"text": "are you still there"}


async def test_a_relayed_message_carries_its_distress_for_the_agents_markers(api, dispatcher, domain):
    route = api.post(f"/api/v1/handoffs/{HANDOFF_ID}/messages").mock(
        return_value=httpx.Response(201, json={})
    )
    tracker = make_tracker(slots={"handed_off": True, "handoff_id": HANDOFF_ID}, text="i can't cope")
    tracker.latest_message["distress"] = {"score": 0.83, "level": "high", "vader_compound": -0.6}
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert json.loads(route.calls.last.request.content) == {
        "text": "i can't cope",
        "distress": {"level": "high", "score": 0.83},
    }


async def test_a_relay_failure_is_silent_to_the_debtor(api, dispatcher, domain):
    api.post(f"/api/v1/handoffs/{HANDOFF_ID}/messages").mock(return_value=httpx.Response(500))
    tracker = make_tracker(slots={"handed_off": True, "handoff_id": HANDOFF_ID}, text="hello?")
    assert await ActionHandoffRelay().run(dispatcher, tracker, domain) == []
    assert dispatcher.messages == []


def relayed(api, handoff):
    api.post(f"/api/v1/handoffs/{HANDOFF_ID}/messages").mock(return_value=httpx.Response(200, json=handoff))


def waiting_tracker(text, distress=None, events=()):
    tracker = make_tracker(slots={"handed_off": True, "handoff_id": HANDOFF_ID}, text=text)
    if distress:
        tracker.latest_message["distress"] = distress
    tracker.events = [*events, {"event": "user", "text": text, "parse_data": {}}]
    return tracker


CRISIS_LINE_GIVEN = {"event": "bot", "text": "988", "metadata": {"utter_action": "utter_crisis_support"}}


@pytest.mark.parametrize(
    "distress",
    [{"level": "crisis", "score": 0.97}, {"level": "crisis_check", "score": 0.9}],
)
async def test_a_crisis_signal_while_waiting_for_a_person_gets_the_crisis_line_not_silence(
    api, dispatcher, domain, distress
):
    """Whoever the handoff is for and whether an agent has it: a crisis message is answered with 988."""
    relayed(api, {"reason": "request_human", "status": "claimed"})
    tracker = waiting_tracker("i dont want to be here anymore", distress, [CRISIS_LINE_GIVEN])
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_crisis_while_waiting"]


async def test_the_crisis_line_is_given_even_when_the_api_cannot_take_the_message(api, dispatcher, domain):
    api.post(f"/api/v1/handoffs/{HANDOFF_ID}/messages").mock(return_value=httpx.Response(503))
    tracker = waiting_tracker("i have pills here", {"level": "crisis", "score": 0.99})
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_crisis_while_waiting"]


async def test_a_crisis_handoff_nobody_has_claimed_answers_the_next_message_with_the_line(
    api, dispatcher, domain
):
    """'yeah. i have been thinking about it' after the 988 answer carries no signal of its own."""
    relayed(api, {"reason": "crisis", "status": "queued"})
    first = waiting_tracker("yeah. i have been thinking about it", None, [CRISIS_LINE_GIVEN])
    await ActionHandoffRelay().run(dispatcher, first, domain)
    assert responses(dispatcher) == ["utter_crisis_while_waiting"]


async def test_while_waiting_the_line_is_repeated_every_third_message_not_each(api, dispatcher, domain):
    relayed(api, {"reason": "crisis", "status": "queued"})
    given = {"event": "bot", "text": "988", "metadata": {"utter_action": "utter_crisis_while_waiting"}}
    since = [given, {"event": "user", "text": "ok"}]
    await ActionHandoffRelay().run(dispatcher, waiting_tracker("ok", None, since), domain)
    assert dispatcher.messages == []
    await ActionHandoffRelay().run(dispatcher, waiting_tracker("hello?", None, [*since, *since[1:]]), domain)
    assert responses(dispatcher) == ["utter_crisis_while_waiting"]


@pytest.mark.parametrize(
    ("handoff", "distress"),
    [
        ({"reason": "crisis", "status": "claimed"}, None),
        ({"reason": "request_human", "status": "queued"}, None),
        ({"reason": "request_human", "status": "queued"}, {"level": "high", "score": 0.9}),
        (
            {"reason": "request_human", "status": "queued"},
            {"level": "crisis_check", "score": 0.8, "by_similarity_only": True},
        ),
    ],
)
async def test_otherwise_the_bot_stays_silent_while_a_person_has_the_conversation(
    api, dispatcher, domain, handoff, distress
):
    relayed(api, handoff)
    await ActionHandoffRelay().run(dispatcher, waiting_tracker("ok thanks", distress), domain)
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("could a real human maybe reach out to me tomorrow", "request_human"),  # heldout15 524
        ("still waiting, is anybody there yet?", "promise_to_pay"),  # heldout15 533
        ("how long will this take", None),
    ],
)
async def test_asking_after_the_person_while_nobody_has_claimed_gets_an_answer_not_silence(
    api, dispatcher, domain, text, intent
):
    relayed(api, {"reason": "request_human", "status": "queued"})
    tracker = waiting_tracker(text)
    tracker.latest_message["intent"] = {"name": intent} if intent else {}
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_handoff_started"]


async def test_the_answer_that_a_person_is_coming_is_not_repeated_to_the_very_next_message(
    api, dispatcher, domain
):
    relayed(api, {"reason": "request_human", "status": "queued"})
    said = {"event": "bot", "text": "coming", "metadata": {"utter_action": "utter_handoff_started"}}
    await ActionHandoffRelay().run(dispatcher, waiting_tracker("still waiting??", None, [said]), domain)
    assert dispatcher.messages == []


async def test_a_question_about_the_wait_is_answered_even_right_after_the_handoff(api, dispatcher, domain):
    relayed(api, {"reason": "request_human", "status": "queued"})
    said = {"event": "bot", "text": "coming", "metadata": {"utter_action": "utter_handoff_started"}}
    tracker = waiting_tracker("how long is that gonna take", None, [said])  # heldout18 632
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_handoff_started"]


HANDED_OFF = {"event": "slot", "name": "handed_off", "value": True}
NOTED = {"event": "bot", "text": "passed on", "metadata": {"utter_action": "utter_handoff_noted"}}
LINE_GIVEN = {"event": "bot", "text": "988", "metadata": {"utter_action": "utter_crisis_while_waiting"}}


@pytest.mark.parametrize(
    "intent", ["request_payment_plan", "check_balance+request_payment_plan", "dispute_debt"]
)
async def test_a_question_about_the_account_while_nobody_has_claimed_is_told_the_person_takes_it_up(
    api, dispatcher, domain, intent
):
    relayed(api, {"reason": "crisis", "status": "queued"})
    tracker = waiting_tracker(
        "could we maybe do something small each month, like 20", None, [HANDED_OFF, LINE_GIVEN]
    )
    tracker.latest_message["intent"] = {"name": intent}  # heldout22 764: silence
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_handoff_noted"]


@pytest.mark.parametrize(
    ("handoff", "before"),
    [
        (
            {"reason": "crisis", "status": "queued"},
            [HANDED_OFF, LINE_GIVEN, NOTED, {"event": "user", "text": "ok"}],
        ),
        ({"reason": "crisis", "status": "claimed"}, [HANDED_OFF]),
    ],
)
async def test_told_once_per_handoff_and_never_once_a_person_has_it(api, dispatcher, domain, handoff, before):
    relayed(api, handoff)
    tracker = waiting_tracker("can i just pay 20 a month", None, before)
    tracker.latest_message["intent"] = {"name": "offer_payment"}
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []


async def test_told_again_in_a_later_handoff(api, dispatcher, domain):
    relayed(api, {"reason": "request_human", "status": "queued"})
    tracker = waiting_tracker("what do i owe", None, [HANDED_OFF, NOTED, HANDED_OFF])
    tracker.latest_message["intent"] = {"name": "check_balance"}
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_handoff_noted"]


@pytest.mark.parametrize(
    ("intent", "answer"), [("thank_you", "utter_you_are_welcome"), ("goodbye", "utter_goodbye")]
)
async def test_thanks_or_a_goodbye_while_nobody_has_claimed_is_answered(
    api, dispatcher, domain, intent, answer
):
    relayed(api, {"reason": "request_human", "status": "queued"})
    tracker = waiting_tracker("ok. gracias", None, [HANDED_OFF])  # heldout23 781: silence
    tracker.latest_message["intent"] = {"name": intent}
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [answer]


@pytest.mark.parametrize(
    ("text", "answered"),
    [
        ("ok appreciate it, i'll keep an eye on this chat", True),  # heldout26 873: silence
        ("thanks but is anyone actually coming?", False),  # a question: the person answers it
    ],
)
async def test_unplaced_thanks_while_nobody_has_claimed_are_the_thanks(
    api, dispatcher, domain, text, answered
):
    relayed(api, {"reason": "request_human", "status": "queued"})
    tracker = waiting_tracker(text, None, [HANDED_OFF])
    tracker.latest_message["intent"] = {"name": "nlu_fallback"}
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert ("utter_you_are_welcome" in responses(dispatcher)) is answered


@pytest.mark.parametrize(
    ("status", "before"),
    [
        ("claimed", [HANDED_OFF]),
        (
            "queued",
            [
                HANDED_OFF,
                {"event": "bot", "text": "welcome", "metadata": {"utter_action": "utter_you_are_welcome"}},
            ],
        ),
    ],
)
async def test_thanks_again_or_to_a_person_who_has_it_get_no_answer(api, dispatcher, domain, status, before):
    relayed(api, {"reason": "request_human", "status": status})
    tracker = waiting_tracker("thanks", None, before)
    tracker.latest_message["intent"] = {"name": "thank_you"}
    await ActionHandoffRelay().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []


async def test_once_an_agent_has_claimed_the_handoff_questions_go_to_them_alone(api, dispatcher, domain):
    relayed(api, {"reason": "request_human", "status": "claimed"})
    await ActionHandoffRelay().run(dispatcher, waiting_tracker("is anybody there?"), domain)
    assert dispatcher.messages == []


async def test_a_verification_lockout_queues_a_follow_up_without_pausing(api, dispatcher, domain):
    route = api.post("/api/v1/handoffs").mock(return_value=httpx.Response(201, json={"id": HANDOFF_ID}))
    tracker = make_tracker(slots={"identity_locked": True})
    events = await ActionIdentityOutcome().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_verification_locked"]
    assert __import__("json").loads(route.calls.last.request.content)["reason"] == "verification_lockout"
    assert "handed_off" not in slot_events(events)


def test_the_agent_never_sees_the_identity_facts_the_debtor_typed():
    """Reg F 1006.6(d) and data minimisation: the transcript says a fact was given, not what it was."""
    tracker = make_tracker(text="i want a person", intent="request_human")
    tracker.events = [
        {"event": "bot", "text": "What is your date of birth?", "timestamp": 1.0},
        {"event": "slot", "name": "requested_slot", "value": "dob"},
        {"event": "user", "text": "03/14/1985", "timestamp": 2.0, "parse_data": {"entities": []}},
        {"event": "slot", "name": "requested_slot", "value": "account_ref"},
        {"event": "user", "text": "ACME-1001", "timestamp": 3.0},
        {
            "event": "user",
            "text": "my zip is 20001",
            "timestamp": 4.0,
            "parse_data": {"entities": [{"entity": "zip", "value": "20001"}]},
        },
        {"event": "slot", "name": "requested_slot", "value": None},
        {"event": "user", "text": "i want a person", "timestamp": 5.0},
    ]
    texts = [turn["text"] for turn in handoff_request(tracker, "request_human")["transcript"]]
    assert texts == [
        "What is your date of birth?",
        "[identity details withheld]",
        "ACME-1001",
        "[identity details withheld]",
        "i want a person",
    ]


async def test_a_started_handoff_is_counted_by_its_reason(api, dispatcher, domain):
    api.post("/api/v1/handoffs").mock(return_value=httpx.Response(201, json={"id": HANDOFF_ID}))
    before = metrics.HANDOFFS.labels("request_human")._value.get()

    await ActionHandoff().run(dispatcher, conversation(), domain)

    assert metrics.HANDOFFS.labels("request_human")._value.get() == before + 1


def test_a_reason_outside_the_list_is_counted_as_other():
    before = metrics.HANDOFFS.labels("other")._value.get()
    metrics.handoff_started("+1 202 555 0143", frozenset({"crisis"}))
    assert metrics.HANDOFFS.labels("other")._value.get() == before + 1
