"""Tone follows the conversation's distress; crisis support stops collection and records the decision;
the crisis check-in stops collecting and asks directly."""

import json

import httpx

from actions.support import (
    ActionCrisisCheckIn,
    ActionCrisisCheckInCleared,
    ActionCrisisSupport,
    ActionOfferSupport,
    ValidateSlotMappings,
)
from tests.actions.conftest import ACCOUNT_ID, make_tracker, slot_events


def tracker_with_levels(*levels, active_loop=None):
    tracker = make_tracker(active_loop=active_loop)
    tracker.events = [
        {"event": "user", "text": f"turn {i}", "parse_data": {"distress": {"level": level, "score": 0.5}}}
        for i, level in enumerate(levels)
    ]
    tracker.latest_message = {"text": "last", "distress": {"level": levels[-1], "score": 0.9}}
    return tracker


def ends_the_form(events):
    """Whether the events deactivate the active form (an active_loop event naming none)."""
    return {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]


async def run_during_a_form(action, level, dispatcher, domain):
    """Run `action` on a message at `level` inside the promise form; it must end the form.

    Returns the first response the action sent and the slots it set."""
    tracker = tracker_with_levels("none", level, active_loop="promise_form")
    events = await action.run(dispatcher, tracker, domain)
    assert ends_the_form(events)
    return dispatcher.messages[0]["response"], slot_events(events)


async def test_the_tone_slot_follows_escalating_distress(dispatcher, domain):
    tracker = tracker_with_levels("elevated", "none", "elevated")
    events = await ValidateSlotMappings().run(dispatcher, tracker, domain)
    assert slot_events(events)["distress_level"] == "high"


async def test_calm_identity_answers_do_not_wash_out_the_tone_the_debtor_set(dispatcher, domain):
    """'im so stressed i cant even sleep', then the date of birth and the ZIP: the balance comes gently."""
    tracker = tracker_with_levels("high", "none", "none")
    tracker.events[1]["parse_data"] |= {"intent": {"name": "inform_identity"}}
    tracker.events[2]["parse_data"] |= {"entities": [{"entity": "zip", "value": "20001"}]}
    events = await ValidateSlotMappings().run(dispatcher, tracker, domain)
    assert slot_events(events)["distress_level"] == "high"
    tracker.events[2]["parse_data"] = {"distress": {"level": "none"}, "intent": {"name": "check_balance"}}
    events = await ValidateSlotMappings().run(dispatcher, tracker, domain)
    assert slot_events(events)["distress_level"] == "none"  # a calm request of their own: the normal tone


async def test_calm_conversations_keep_the_normal_tone(dispatcher, domain):
    events = await ValidateSlotMappings().run(dispatcher, tracker_with_levels("none", "none"), domain)
    assert slot_events(events)["distress_level"] == "none"


async def test_crisis_support_ends_any_form_and_records_the_decision(dispatcher, domain):
    response, slots = await run_during_a_form(ActionCrisisSupport(), "crisis", dispatcher, domain)
    assert response == "utter_crisis_support"
    assert slots["collection_paused"] is True
    assert slots["crisis_check_in_open"] is False  # an open check-in is answered by the crisis support
    assert slots["distress_decision"]["action"] == "action_crisis_support"
    assert slots["distress_decision"]["level"] == "crisis"


def test_the_crisis_line_is_the_988_lifeline_in_the_us_and_configurable_per_locale(domain):
    variants = domain["responses"]["utter_crisis_support"]
    default = next(v for v in variants if not v.get("condition"))
    assert "988" in default["text"]
    assert any(v.get("condition") and "116 123" in v["text"] for v in variants)


async def test_offering_support_is_recorded(dispatcher, domain):
    events = await ActionOfferSupport().run(dispatcher, tracker_with_levels("elevated", "high"), domain)
    assert dispatcher.messages[0]["response"] == "utter_offer_support"
    assert slot_events(events)["distress_decision"]["conversation_level"] == "high"


async def test_support_offered_to_an_unverified_debtor_goes_on_to_gentle_verification(dispatcher, domain):
    events = await ActionOfferSupport().run(dispatcher, tracker_with_levels("elevated", "high"), domain)

    assert events[-1] == {"event": "followup", "timestamp": None, "name": "identity_form"}


async def test_support_offered_to_a_verified_debtor_asks_for_nothing_more(api, dispatcher, domain):
    api.post(f"/api/v1/accounts/{ACCOUNT_ID}/distress-decisions").mock(
        return_value=httpx.Response(201, json={})
    )
    events = await ActionOfferSupport().run(
        dispatcher, verified_tracker_with_levels("elevated", "high"), domain
    )

    assert not [e for e in events if e.get("event") == "followup"]


ACTION_OFFER = "action_offer_support"


def verified_tracker_with_levels(*levels):
    tracker = tracker_with_levels(*levels)
    tracker.slots.update({"verified": True, "account_id": ACCOUNT_ID})
    return tracker


async def test_a_verified_debtors_distress_decision_joins_the_account_record(api, dispatcher, domain):
    route = api.post(f"/api/v1/accounts/{ACCOUNT_ID}/distress-decisions").mock(
        return_value=httpx.Response(201, json={"id": "e1", "type": "distress.decision"})
    )
    await ActionOfferSupport().run(dispatcher, verified_tracker_with_levels("elevated", "high"), domain)
    body = json.loads(route.calls.last.request.content)
    assert body == {"score": 0.9, "level": "high", "conversation_level": "high", "action": ACTION_OFFER}


async def test_support_is_offered_even_when_the_decision_cannot_be_recorded(api, dispatcher, domain):
    api.post(f"/api/v1/accounts/{ACCOUNT_ID}/distress-decisions").mock(return_value=httpx.Response(503))
    events = await ActionCrisisSupport().run(dispatcher, verified_tracker_with_levels("crisis"), domain)
    assert dispatcher.messages[0]["response"] == "utter_crisis_support"
    assert slot_events(events)["collection_paused"] is True


async def test_the_check_in_stops_the_form_asks_directly_and_opens_the_question(dispatcher, domain):
    response, slots = await run_during_a_form(ActionCrisisCheckIn(), "crisis_check", dispatcher, domain)
    assert response == "utter_crisis_check_in"
    assert slots["crisis_check_in_open"] is True
    assert slots["offer_pending"] is False
    assert "collection_paused" not in slots  # a no lets the debtor carry on
    assert slots["distress_decision"] == {
        "score": 0.9,
        "level": "crisis_check",
        "conversation_level": "crisis_check",
        "action": "action_crisis_check_in",
    }


async def test_a_no_to_the_check_in_closes_the_question_and_is_recorded(dispatcher, domain):
    events = await ActionCrisisCheckInCleared().run(
        dispatcher, tracker_with_levels("crisis_check", "none"), domain
    )
    assert dispatcher.messages[0]["response"] == "utter_crisis_check_in_cleared"
    slots = slot_events(events)
    assert slots["crisis_check_in_open"] is False
    assert slots["distress_decision"]["action"] == "action_crisis_check_in_cleared"
    assert slots["distress_decision"]["conversation_level"] == "high"  # the gentle tone stays


def test_the_check_in_asks_about_suicide_directly_with_the_crisis_line_per_locale(domain):
    for response, line_us, line_gb in (
        ("utter_crisis_check_in", "988", "116 123"),
        ("utter_crisis_check_in_cleared", "988", "116 123"),
    ):
        variants = domain["responses"][response]
        default = next(v for v in variants if not v.get("condition"))
        assert line_us in default["text"]
        assert any(v.get("condition") and line_gb in v["text"] for v in variants)
    asked = next(v for v in domain["responses"]["utter_crisis_check_in"] if not v.get("condition"))["text"]
    assert "suicide" in asked and "person" in asked


async def test_a_verified_debtors_check_in_is_recorded_with_its_level(api, dispatcher, domain):
    route = api.post(f"/api/v1/accounts/{ACCOUNT_ID}/distress-decisions").mock(
        return_value=httpx.Response(201, json={"id": "e2", "type": "distress.decision"})
    )
    await ActionCrisisCheckIn().run(dispatcher, verified_tracker_with_levels("crisis_check"), domain)
    body = json.loads(route.calls.last.request.content)
    assert (body["level"], body["action"]) == ("crisis_check", "action_crisis_check_in")
