"""Stated circumstances change the state: an attorney's name and phone go with the attorney flag, a wrong
number is flagged (on SMS) and unbinds the account, a move to another time zone is stored for a verified
debtor, and a distress decision is recorded before verification too (marked so, without the words)."""

import json

import httpx
import pytest
from rasa_sdk.events import FollowupAction

from actions.circumstances import (
    ActionContactPreferences,
    ActionOptOut,
    ActionRecordFlag,
    ActionWrongNumber,
    earlier_preferences,
)
from actions.identity import ActionIdentityOutcome, ValidateIdentityForm
from actions.statements import parse_case_number
from actions.support import ActionCrisisSupport
from tests.actions.conftest import ACCOUNT_ID, ACCOUNT_STATUS, make_tracker, responses, slot_events

FLAGS = f"/api/v1/accounts/{ACCOUNT_ID}/flags"
TIMEZONE = f"/api/v1/accounts/{ACCOUNT_ID}/timezone"
PREFERENCES = f"/api/v1/accounts/{ACCOUNT_ID}/contact-preferences"
WRONG_NUMBER = "/api/v1/contacts/wrong-number"
FLAG_OUT = {"id": "f1", "flag": "attorney", "created_at": "2026-12-04T08:00:00Z"}


def on_channel(tracker, channel):
    tracker.events[0]["input_channel"] = channel
    return tracker


# --- the attorney ---------------------------------------------------------------------------------


async def test_the_attorneys_name_and_phone_go_with_the_flag(api, dispatcher, domain):
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = make_tracker(
        slots={"account_id": ACCOUNT_ID},
        text="I have an attorney now, Dana Whitfield, 202-555-0187. Talk to her.",
        intent="has_attorney",
    )

    await ActionRecordFlag().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content) == {
        "flag": "attorney",
        "note": None,
        "attorney_name": "Dana Whitfield",
        "attorney_phone": "+12025550187",
    }
    # heldout13 465: the name and the number given with the flag are acknowledged, not asked for again
    assert responses(dispatcher) == ["utter_attorney_contact_noted"]


async def test_the_attorneys_details_sent_after_we_asked_for_them_are_kept_and_acknowledged(
    api, dispatcher, domain
):
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = make_tracker(
        slots={"account_id": ACCOUNT_ID, "collection_paused": True},
        text="Marcus Oyelaran at Oyelaran Law, 202 555 0164",
        intent="has_attorney",
    )

    await ActionRecordFlag().run(dispatcher, tracker, domain)

    sent = json.loads(route.calls.last.request.content)
    assert sent["attorney_phone"] == "+12025550164" and sent["attorney_name"]
    assert responses(dispatcher) == ["utter_attorney_contact_noted"]


def after_the_flag(intent: str, text: str, read_as: str = "inform_identity"):
    """A conversation in which `intent` had its flag recorded before verification, then `text` came."""
    tracker = make_tracker(
        slots={"account_id": ACCOUNT_ID, "collection_paused": True}, text=text, intent=read_as
    )
    said = {"event": "user", "text": "he died in october", "parse_data": {"intent": {"name": intent}}}
    tracker.events = [said, {"event": "action", "name": "action_record_flag"}, *tracker.events]
    return tracker


async def test_after_a_flag_nobody_is_asked_to_verify(dispatcher, domain):
    tracker = after_the_flag("deceased", "am i responsible for his phone bill now??")

    assert await ValidateIdentityForm().required_slots([], dispatcher, tracker, domain) == []


async def test_after_a_flag_the_attorneys_details_are_kept_instead_of_verification(api, dispatcher, domain):
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = after_the_flag("has_attorney", "Marcus Oyelaran at Oyelaran Law, 202 555 0164")

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content)["attorney_name"] == "Marcus Oyelaran"
    assert responses(dispatcher) == ["utter_attorney_contact_noted"]


async def test_the_attorneys_details_go_with_the_flag_on_the_account_the_reference_named(
    api, dispatcher, domain
):
    """heldout16 567: unverified, the details were acknowledged as passed on and never recorded."""
    flags = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    api.post("/api/v1/accounts/lookup").mock(httpx.Response(200, json={"account_id": ACCOUNT_ID}))
    tracker = after_the_flag("has_attorney", "It's Tomas Herrera at Herrera & Cole, (202) 555-0186")
    tracker.slots["account_id"] = None
    tracker.events.insert(0, {"event": "user", "text": "Re: ACME-1001. I've retained a lawyer"})

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    sent = json.loads(flags.calls.last.request.content)
    assert (sent["attorney_name"], sent["attorney_phone"]) == ("Tomas Herrera", "+12025550186")
    assert responses(dispatcher) == ["utter_attorney_contact_noted"]


GREG = "My attorney is handling this matter now. His name is Greg Patel, office number 202-555-0191."
ASKED_WHICH = {"event": "bot", "text": "which", "metadata": {"utter_action": "utter_flag_which_account"}}


async def test_a_flag_with_no_account_known_asks_for_the_reference(api, dispatcher, domain):
    """heldout13 465: on a webchat opened without a personal link, the attorney was kept on no account."""
    flags = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = make_tracker(text=GREG, intent="has_attorney")

    await ActionRecordFlag().run(dispatcher, tracker, domain)

    assert not flags.called
    assert responses(dispatcher) == ["utter_attorney_contact_noted", "utter_flag_which_account"]


async def test_the_reference_sent_when_asked_takes_the_flag_and_the_attorneys_details(
    api, dispatcher, domain
):
    flags = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    handoffs = api.post("/api/v1/handoffs").mock(httpx.Response(201, json={"id": "handoff-1"}))
    api.post("/api/v1/accounts/lookup").mock(httpx.Response(200, json={"account_id": ACCOUNT_ID}))
    tracker = after_the_flag("has_attorney", "sure its ACME-1001")
    tracker.slots["account_id"] = None
    tracker.events[0]["text"] = GREG
    tracker.events.insert(2, ASKED_WHICH)

    events = await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert json.loads(flags.calls.last.request.content) == {
        "flag": "attorney",
        "note": None,
        "attorney_name": "Greg Patel",
        "attorney_phone": "+12025550191",
    }
    assert responses(dispatcher) == ["utter_flag_on_account"]
    assert json.loads(handoffs.calls.last.request.content)["account_id"] == ACCOUNT_ID  # the follow-up's
    assert slot_events(events).get("handoff_id") == "handoff-1"


async def test_a_reference_we_do_not_know_sent_when_asked_is_said_so(api, dispatcher, domain):
    flags = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    api.post("/api/v1/accounts/lookup").mock(httpx.Response(404))
    tracker = after_the_flag("deceased", "ACME-9999")
    tracker.slots["account_id"] = None
    tracker.events.insert(2, ASKED_WHICH)

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert not flags.called
    assert responses(dispatcher) == ["utter_reference_not_found"]


async def test_a_question_about_stopping_after_the_attorneys_details_is_answered_not_an_opt_out(
    api, dispatcher, domain
):
    """heldout17 603: "great, and you'll stop messaging me directly from now on?" had been opted out."""
    opt_out = api.post("/api/v1/contacts/opt-out").mock(httpx.Response(200, json={}))
    tracker = after_the_flag(
        "has_attorney", "great, and you'll stop messaging me directly from now on?", "opt_out"
    )
    noted = {"event": "bot", "text": "noted", "metadata": {"utter_action": "utter_attorney_contact_noted"}}
    tracker.events.insert(2, noted)

    await ActionOptOut().run(dispatcher, tracker, domain)

    assert not opt_out.called
    assert responses(dispatcher) == ["utter_attorney_still_paused"]


async def test_after_a_death_is_reported_a_question_gets_its_answer_again(api, dispatcher, domain):
    tracker = after_the_flag("deceased", "am i responsible for his phone bill now??")

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_flag_deceased"]


@pytest.mark.parametrize(
    ("flag", "said", "read_as", "answer"),
    [
        ("deceased", "thank you for being kind about it", "thank_you", "utter_you_are_welcome"),
        ("has_attorney", "ok bye", "goodbye", "utter_goodbye"),
    ],
)
async def test_after_a_flag_thanks_and_goodbyes_get_their_usual_answer(
    api, dispatcher, domain, flag, said, read_as, answer
):
    """heldout9 338: "thank you for being kind about it" heard the condolences a third time."""
    tracker = after_the_flag(flag, said, read_as)

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == [answer]


async def test_once_the_attorneys_details_are_noted_a_question_hears_we_contact_the_attorney(
    api, dispatcher, domain
):
    """heldout9 336: "ok so ur going to stop texting me about it then?" was asked for the details again."""
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = after_the_flag("has_attorney", "ok so ur going to stop texting me about it then?")
    noted = {"event": "bot", "text": "noted", "metadata": {"utter_action": "utter_attorney_contact_noted"}}
    tracker.events.insert(2, noted)

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert not route.called
    assert responses(dispatcher) == ["utter_attorney_still_paused"]


async def test_a_case_number_beside_the_attorney_after_a_bankruptcy_is_kept_too(api, dispatcher, domain):
    """heldout9 337: "the case number is 26-04417 and my lawyer is Priya Shah" kept only the lawyer."""
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = make_tracker(
        slots={"account_id": ACCOUNT_ID, "collection_paused": True},
        text="the case number is 26-04417 and my lawyer is Priya Shah",
        intent="has_attorney",
    )
    notice = {"event": "bot", "text": "paused", "metadata": {"utter_action": "utter_flag_bankruptcy"}}
    tracker.events.insert(0, notice)

    await ActionRecordFlag().run(dispatcher, tracker, domain)

    notes = [json.loads(call.request.content).get("note") for call in route.calls]
    assert "bankruptcy case number 26-04417" in notes
    assert responses(dispatcher) == ["utter_attorney_contact_noted", "utter_bankruptcy_case_noted"]


async def test_a_case_number_after_a_bankruptcy_is_kept_with_it(api, dispatcher, domain):
    route = api.post(FLAGS).mock(httpx.Response(201, json={**FLAG_OUT, "flag": "bankruptcy"}))
    tracker = after_the_flag("bankruptcy", "the case number is 26-10391 if you need it")

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    sent = json.loads(route.calls.last.request.content)
    assert (sent["flag"], sent["note"]) == ("bankruptcy", "bankruptcy case number 26-10391")
    assert responses(dispatcher) == ["utter_bankruptcy_case_noted"]


async def test_a_case_number_read_as_a_preference_after_a_bankruptcy_is_kept_with_it(api, dispatcher, domain):
    """heldout6 246: "northern district of california" read as a move to Pacific time."""
    route = api.post(FLAGS).mock(httpx.Response(201, json={**FLAG_OUT, "flag": "bankruptcy"}))
    tracker = after_the_flag("bankruptcy", "case no is 26-31457, northern district of california")

    await ActionContactPreferences().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content)["note"] == "bankruptcy case number 26-31457"
    assert responses(dispatcher) == ["utter_bankruptcy_case_noted"]


async def test_a_question_after_a_bankruptcy_hears_that_collection_stays_paused(api, dispatcher, domain):
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = after_the_flag("bankruptcy", "so I won't be getting any more letters about this?")

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert not route.called
    assert responses(dispatcher) == ["utter_bankruptcy_still_paused"]


async def test_a_case_number_with_no_account_known_is_still_acknowledged(api, dispatcher, domain):
    tracker = after_the_flag("bankruptcy", "case 1:26-bk-10391")
    tracker.slots["account_id"] = None

    await ActionIdentityOutcome().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_bankruptcy_case_noted"]


@pytest.mark.parametrize(
    ("text", "case"),
    [
        ("the case number is 26-10391 if you need it", "26-10391"),
        ("case 1:26-bk-10391", "1:26-bk-10391"),
        ("Case No. 25-BK-4412 in Chicago", "25-BK-4412"),
        ("i filed in march", None),
        ("call me at 202-555-0164", None),
    ],
)
def test_case_numbers(text, case):
    assert parse_case_number(text) == case


async def test_hard_times_read_as_a_death_are_never_flagged_as_one(api, dispatcher, domain):
    """ "my husband is in the hospital" (read as `deceased` by the NLU): no flag, no "sorry for your loss"."""
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    text = "my husband is in the hospital and im barely keeping the lights on"
    tracker = make_tracker(slots={"account_id": ACCOUNT_ID}, text=text, intent="deceased")

    events = await ActionRecordFlag().run(dispatcher, tracker, domain)

    assert not route.called and events == []
    assert responses(dispatcher) == ["utter_hardship_empathy"]


@pytest.mark.parametrize(
    "text", ["my brother Alex died in october", "my mom passed away last week", "this is my late husband's"]
)
async def test_a_death_in_words_is_flagged(api, dispatcher, domain, text):
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = make_tracker(slots={"account_id": ACCOUNT_ID}, text=text, intent="deceased")

    await ActionRecordFlag().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content)["flag"] == "deceased"
    assert responses(dispatcher) == ["utter_flag_deceased"]


async def test_an_attorney_without_details_is_flagged_as_before(api, dispatcher, domain):
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = make_tracker(slots={"account_id": ACCOUNT_ID}, text="talk to my lawyer", intent="has_attorney")

    await ActionRecordFlag().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content) == {"flag": "attorney", "note": None}


async def test_a_contact_the_api_refuses_still_leaves_the_flag_recorded(api, dispatcher, domain):
    route = api.post(FLAGS).mock(side_effect=[httpx.Response(422), httpx.Response(201, json=FLAG_OUT)])
    tracker = make_tracker(
        slots={"account_id": ACCOUNT_ID}, text="my lawyer is Ann Lee 555-555-5555", intent="has_attorney"
    )

    await ActionRecordFlag().run(dispatcher, tracker, domain)

    assert [json.loads(call.request.content) for call in route.calls][-1] == {
        "flag": "attorney",
        "note": None,
    }


async def test_bankruptcy_carries_no_attorney_fields(api, dispatcher, domain):
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = make_tracker(
        slots={"account_id": ACCOUNT_ID}, text="my lawyer Ann Lee filed chapter 7", intent="bankruptcy"
    )

    await ActionRecordFlag().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content) == {"flag": "bankruptcy", "note": None}


# --- the wrong number -----------------------------------------------------------------------------


async def test_a_wrong_number_on_sms_is_flagged_and_the_account_unbound(api, dispatcher, domain):
    route = api.post(WRONG_NUMBER).mock(httpx.Response(200, json={"opted_out": True}))
    tracker = on_channel(
        make_tracker(slots={"account_id": ACCOUNT_ID}, text="wrong number", intent="wrong_person"), "twilio"
    )
    tracker.latest_message["message_id"] = "SM123"

    events = await ActionWrongNumber().run(dispatcher, tracker, domain)

    # The API's apology answers the debtor's message (threaded to it, as a STOP's confirmation is).
    assert json.loads(route.calls.last.request.content) == {
        "conversation_id": "test-conversation",
        "channel": "sms",
        "in_reply_to": "SM123",
    }
    assert responses(dispatcher) == ["utter_wrong_person"]
    slots = slot_events(events)
    assert (slots["account_id"], slots["verification_grant"], slots["verified"]) == (None, None, False)


async def test_a_wrong_person_on_webchat_flags_no_number(api, dispatcher, domain):
    route = api.post(WRONG_NUMBER)
    tracker = on_channel(make_tracker(text="that's not me", intent="wrong_person"), "webchat")

    await ActionWrongNumber().run(dispatcher, tracker, domain)

    assert not route.called
    assert responses(dispatcher) == ["utter_wrong_person"]


async def test_the_apology_goes_out_even_if_the_flag_cannot_be_recorded(api, dispatcher, domain):
    api.post(WRONG_NUMBER).mock(httpx.Response(503))
    tracker = on_channel(make_tracker(text="wrong #", intent="wrong_person"), "twilio")

    await ActionWrongNumber().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_wrong_person"]


# --- a move ---------------------------------------------------------------------------------------

VERIFIED = {"verified": True, "account_id": ACCOUNT_ID, "verification_grant": "grant"}


def before_the_retrain(domain):
    """The domain without utter_timezone_updated, as it is until the retrain."""
    responses = {name: r for name, r in domain["responses"].items() if name != "utter_timezone_updated"}
    return {**domain, "responses": responses}


@pytest.mark.parametrize(
    ("text", "zone"),
    [("I moved to Denver", "America/Denver"), ("I'm on Pacific time now", "America/Los_Angeles")],
)
async def test_a_verified_debtors_move_is_stored(api, dispatcher, domain, text, zone):
    route = api.put(TIMEZONE).mock(httpx.Response(200, json={"changed": True}))
    tracker = make_tracker(slots=VERIFIED, text=text, intent="contact_preferences")

    await ActionContactPreferences().run(dispatcher, tracker, before_the_retrain(domain))

    assert json.loads(route.calls.last.request.content) == {"timezone": zone}
    assert route.calls.last.request.headers["X-Verification-Grant"] == "grant"
    assert responses(dispatcher) == ["utter_contact_preferences"]


async def test_the_move_is_confirmed_once_the_domain_has_the_response(api, dispatcher, domain):
    api.put(TIMEZONE).mock(httpx.Response(200, json={"changed": True}))
    tracker = make_tracker(slots=VERIFIED, text="i live in phoenix now", intent="contact_preferences")
    retrained = {**domain, "responses": {**domain["responses"], "utter_timezone_updated": [{"text": "ok"}]}}

    await ActionContactPreferences().run(dispatcher, tracker, retrained)

    assert responses(dispatcher) == ["utter_timezone_updated"]


@pytest.mark.parametrize(
    ("path", "text"), [(TIMEZONE, "I moved to Denver"), (PREFERENCES, "email me instead")]
)
async def test_an_unverified_debtors_move_or_medium_is_kept_for_after_verification(
    api, dispatcher, domain, path, text
):
    route = api.put(path)
    tracker = make_tracker(slots={"account_id": ACCOUNT_ID}, text=text, intent="contact_preferences")

    events = await ActionContactPreferences().run(dispatcher, tracker, domain)

    assert not route.called  # kept: stored once verified
    assert responses(dispatcher) == ["utter_verify_first"]
    assert events == [FollowupAction("identity_form")]


def with_earlier(tracker, text, intent):
    """The tracker with `text` (parsed as `intent`) said earlier in its session."""
    said = {"intent": {"name": intent}, "entities": []}
    tracker.events[:0] = [{"event": "session_started"}, {"event": "user", "text": text, "parse_data": said}]
    return tracker


async def test_a_move_said_in_passing_before_verification_is_stored_once_verified(api, dispatcher, domain):
    route = api.put(TIMEZONE).mock(httpx.Response(200, json={"changed": True}))
    tracker = make_tracker(slots=VERIFIED, text="20001", intent="inform_identity")
    background = "Quick background: I moved to Phoenix a while ago. What do I owe?"
    with_earlier(tracker, background, "check_balance")

    await earlier_preferences(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content) == {"timezone": "America/Phoenix"}
    assert responses(dispatcher) == ["utter_timezone_updated"]


async def test_asking_whether_the_move_was_noted_confirms_it(api, dispatcher, domain):
    route = api.put(TIMEZONE).mock(httpx.Response(200, json={"changed": False}))  # already stored
    tracker = make_tracker(
        slots=VERIFIED, text="did you catch the part about my time zone?", intent="contact_preferences"
    )
    with_earlier(tracker, "fyi I moved to Phoenix", "inform")

    await ActionContactPreferences().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content) == {"timezone": "America/Phoenix"}
    assert responses(dispatcher) == ["utter_timezone_updated"]


async def test_a_preference_without_a_zone_moves_nothing(api, dispatcher, domain):
    route = api.put(TIMEZONE)
    api.put(f"/api/v1/accounts/{ACCOUNT_ID}/contact-preferences").mock(
        httpx.Response(200, json={"inconvenient_weekdays": [], "inconvenient_hours": [[0, 18]]})
    )
    tracker = make_tracker(slots=VERIFIED, text="only text me after 6pm", intent="contact_preferences")

    await ActionContactPreferences().run(dispatcher, tracker, domain)

    assert not route.called


async def test_hard_times_beside_a_preference_are_answered_in_the_same_reply(api, dispatcher, domain):
    """heldout15 540: the preference was stored, the job loss acknowledged only one message later."""
    api.put(PREFERENCES).mock(
        httpx.Response(200, json={"inconvenient_weekdays": [], "inconvenient_hours": [[0, 17]]})
    )
    api.get(f"/api/v1/accounts/{ACCOUNT_ID}/status").mock(httpx.Response(200, json=ACCOUNT_STATUS))
    offers = api.post(f"/api/v1/accounts/{ACCOUNT_ID}/offers/evaluate").mock(
        httpx.Response(200, json={"decision": "counter", "counter_offers": [COUNTER]})
    )
    text = "got laid off in october and i cant take calls at my new job, so only text after 5pm please"
    tracker = make_tracker(slots=VERIFIED, text=text, intent="contact_preferences")

    events = await ActionContactPreferences().run(dispatcher, tracker, domain)

    said = responses(dispatcher)
    assert said[0] == "utter_contact_preferences_saved" and "utter_hardship_empathy" in said
    assert json.loads(offers.calls.last.request.content)["hardship"] is True
    assert slot_events(events)["hardship"] is True


COUNTER = {
    "kind": "plan",
    "amount": "27.71",
    "frequency": "monthly",
    "instalments": 24,
    "term_months": "24.0",
    "start_date": "2026-12-11",
    "total": "665.00",
    "schedule": [{"due_date": "2026-12-11", "amount": "27.71"}],
    "deadline": None,
    "hardship": True,
    "currency": "USD",
}


# --- the medium (Reg F 1006.14(h)) -----------------------------------------------------------------

OPT_OUT = "/api/v1/contacts/opt-out"


def stored(refused, preferred, weekdays=()):
    body = {"inconvenient_weekdays": list(weekdays), "inconvenient_hours": [], "changed": True}
    return httpx.Response(200, json={**body, "refused_channels": refused, "preferred_channel": preferred})


def said(dispatcher):
    return [(m.get("response"), m.get("preferences")) for m in dispatcher.messages]


async def test_a_verified_debtors_medium_is_stored_and_confirmed_in_words(api, dispatcher, domain):
    route = api.put(PREFERENCES).mock(stored(["sms"], "email"))
    tracker = make_tracker(
        slots=VERIFIED, text="can you email me instead of texting", intent="contact_preferences"
    )

    await ActionContactPreferences().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content) == {
        "inconvenient_weekdays": [],
        "inconvenient_hours": [],
        "clear": False,
        "refused_channels": ["sms"],
        "preferred_channel": "email",
    }
    assert said(dispatcher) == [("utter_contact_preferences_saved", "email rather than text messages")]


async def test_the_medium_is_stored_together_with_the_days(api, dispatcher, domain):
    route = api.put(PREFERENCES).mock(stored(["email"], None, weekdays=[5, 6]))
    tracker = make_tracker(
        slots=VERIFIED, text="don't email me. and not on weekends", intent="contact_preferences"
    )

    await ActionContactPreferences().run(dispatcher, tracker, domain)

    body = json.loads(route.calls.last.request.content)
    assert (body["inconvenient_weekdays"], body["refused_channels"]) == ([5, 6], ["email"])
    assert said(dispatcher) == [
        ("utter_contact_preferences_saved", "no messages on Saturdays or Sundays, and no email")
    ]


async def test_days_alone_send_the_same_body_as_before(api, dispatcher, domain):
    route = api.put(PREFERENCES).mock(stored([], None, weekdays=[6]))
    tracker = make_tracker(
        slots=VERIFIED, text="i got your email. not on sundays pls", intent="contact_preferences"
    )

    await ActionContactPreferences().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content) == {
        "inconvenient_weekdays": [6],
        "inconvenient_hours": [],
        "clear": False,
    }
    assert said(dispatcher) == [("utter_contact_preferences_saved", "no messages on Sundays")]


async def test_a_request_for_calls_is_answered_we_make_none(api, dispatcher, domain):
    route = api.put(PREFERENCES)
    tracker = make_tracker(slots=VERIFIED, text="call me instead", intent="contact_preferences")

    await ActionContactPreferences().run(dispatcher, tracker, domain)

    assert not route.called
    [(response, words)] = said(dispatcher)
    assert response == "utter_contact_preferences_saved"
    assert words.startswith("we don't make phone calls")


async def test_a_medium_the_api_refuses_falls_back_to_the_phone_number(api, dispatcher, domain):
    api.put(PREFERENCES).mock(httpx.Response(503))
    tracker = make_tracker(slots=VERIFIED, text="text only please", intent="contact_preferences")

    await ActionContactPreferences().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_contact_preferences"]


async def test_stop_texting_email_me_instead_stores_the_switch_instead_of_an_opt_out(api, dispatcher, domain):
    preferences = api.put(PREFERENCES).mock(stored(["sms"], "email"))
    opt_out = api.post(OPT_OUT)
    tracker = on_channel(
        make_tracker(slots=VERIFIED, text="stop texting me, email me instead", intent="opt_out"), "twilio"
    )

    events = await ActionOptOut().run(dispatcher, tracker, domain)

    assert not opt_out.called
    body = json.loads(preferences.calls.last.request.content)
    assert (body["refused_channels"], body["preferred_channel"]) == (["sms"], "email")
    assert said(dispatcher) == [("utter_contact_preferences_saved", "email rather than text messages")]
    assert slot_events(events) == {"offer_pending": False}


async def test_on_sms_asking_for_email_instead_refuses_sms_too(api, dispatcher, domain):
    preferences = api.put(PREFERENCES).mock(stored(["sms"], "email"))
    tracker = on_channel(
        make_tracker(slots=VERIFIED, text="stop. email me from now on", intent="opt_out"), "twilio"
    )

    await ActionOptOut().run(dispatcher, tracker, domain)

    assert json.loads(preferences.calls.last.request.content)["refused_channels"] == ["sms"]


@pytest.mark.parametrize(
    ("slots", "text"),
    [
        ({"account_id": ACCOUNT_ID}, "stop texting me, email me instead"),  # unverified: no SMS at all
        (VERIFIED, "stop texting me"),  # no other medium asked for
    ],
)
async def test_otherwise_an_opt_out_in_words_stays_a_plain_opt_out(api, dispatcher, domain, slots, text):
    preferences = api.put(PREFERENCES)
    opt_out = api.post(OPT_OUT).mock(httpx.Response(200, json={"opted_out": True}))
    tracker = on_channel(make_tracker(slots=slots, text=text, intent="opt_out"), "twilio")

    await ActionOptOut().run(dispatcher, tracker, domain)

    assert not preferences.called
    assert json.loads(opt_out.calls.last.request.content)["channel"] == "sms"
    assert responses(dispatcher) == ["utter_opted_out"]


async def test_an_opt_out_in_a_part_of_a_message_is_confirmed_as_a_reply_to_the_message(
    api, dispatcher, domain
):
    """Heldout6 249: "alright I'll mail a check. and please take this number off your texting list" goes in
    parts ("SM1.1" is its second); the confirmation answers "SM1", the message Twilio delivered."""
    opt_out = api.post(OPT_OUT).mock(httpx.Response(200, json={"opted_out": True}))
    tracker = on_channel(
        make_tracker(slots=VERIFIED, text="take me off your list", intent="opt_out"), "twilio"
    )
    tracker.latest_message["message_id"] = "SM1.1"

    await ActionOptOut().run(dispatcher, tracker, domain)

    assert json.loads(opt_out.calls.last.request.content)["in_reply_to"] == "SM1"


async def test_a_switch_the_api_refuses_is_still_an_opt_out(api, dispatcher, domain):
    api.put(PREFERENCES).mock(httpx.Response(503))
    opt_out = api.post(OPT_OUT).mock(httpx.Response(200, json={"opted_out": True}))
    tracker = on_channel(
        make_tracker(slots=VERIFIED, text="stop texting me, email me instead", intent="opt_out"), "twilio"
    )

    await ActionOptOut().run(dispatcher, tracker, domain)

    assert opt_out.called
    assert responses(dispatcher) == ["utter_opted_out"]


# --- distress before verification -----------------------------------------------------------------


async def test_a_crisis_before_verification_is_recorded_on_the_named_account(api, dispatcher, domain):
    route = api.post(f"/api/v1/accounts/{ACCOUNT_ID}/distress-decisions").mock(
        httpx.Response(201, json={"id": "e1", "type": "distress.decision"})
    )
    tracker = make_tracker(slots={"account_id": ACCOUNT_ID}, text="i want to end it")
    tracker.latest_message["distress"] = {"level": "crisis", "score": 0.97}

    await ActionCrisisSupport().run(dispatcher, tracker, domain)

    body = json.loads(route.calls.last.request.content)
    assert (body["action"], body["level"], body["verified"]) == ("action_crisis_support", "crisis", False)
    assert "end it" not in route.calls.last.request.content.decode()


async def test_without_any_account_the_decision_stays_in_the_conversation(api, dispatcher, domain):
    tracker = make_tracker(text="i can't go on")
    tracker.latest_message["distress"] = {"level": "crisis", "score": 0.97}

    events = await ActionCrisisSupport().run(dispatcher, tracker, domain)

    assert not [call for call in api.calls if "distress-decisions" in str(call.request.url)]
    assert slot_events(events)["distress_decision"]["action"] == "action_crisis_support"


async def test_a_flag_named_with_a_reference_in_the_first_message_is_recorded_on_that_account(
    api, dispatcher, domain
):
    lookup = api.post("/api/v1/accounts/lookup").mock(httpx.Response(200, json={"account_id": ACCOUNT_ID}))
    route = api.post(FLAGS).mock(httpx.Response(201, json=FLAG_OUT))
    tracker = make_tracker(
        text="ref ACME-1002. I filed for chapter 7 bankruptcy last week", intent="bankruptcy"
    )

    await ActionRecordFlag().run(dispatcher, tracker, domain)

    assert json.loads(lookup.calls.last.request.content) == {"reference": "ACME-1002"}
    assert json.loads(route.calls.last.request.content)["flag"] == "bankruptcy"


async def test_stop_texting_me_at_some_times_is_a_preference_not_an_opt_out(api, dispatcher, domain):
    opt_out = api.post("/api/v1/contacts/opt-out")
    tracker = make_tracker(slots=VERIFIED, text="can you stop texting me in the mornings", intent="opt_out")

    events = await ActionOptOut().run(dispatcher, tracker, domain)

    assert events == [FollowupAction("action_contact_preferences")]
    assert not opt_out.called
    assert responses(dispatcher) == []


def bankruptcy_reported_with_the_reference(text: str, read_as: str):
    """heldout22 763: the bankruptcy reported with the reference, its notice said, then `text`."""
    tracker = make_tracker(slots={"collection_paused": True}, text=text, intent=read_as)
    said = {
        "event": "user",
        "text": "Hi, this is about ACME-1002. I filed for Chapter 7 bankruptcy last month.",
        "parse_data": {"intent": {"name": "bankruptcy"}},
    }
    notice = {"event": "bot", "text": "paused", "metadata": {"utter_action": "utter_flag_bankruptcy"}}
    tracker.events = [said, {"event": "action", "name": "action_record_flag"}, notice, *tracker.events]
    return tracker


async def test_a_case_number_read_as_the_bankruptcy_again_is_kept_on_the_account_named(
    api, dispatcher, domain
):
    """heldout22 763: "The case number is 26-40812, it was filed at the court in Oakland" (bankruptcy again)
    heard the notice again and was asked for the reference the first message had given."""
    api.post("/api/v1/accounts/lookup").mock(httpx.Response(200, json={"account_id": ACCOUNT_ID}))
    route = api.post(FLAGS).mock(httpx.Response(201, json={**FLAG_OUT, "flag": "bankruptcy"}))
    text = "The case number is 26-40812, it was filed at the court in Oakland"
    tracker = bankruptcy_reported_with_the_reference(text, "bankruptcy")

    await ActionRecordFlag().run(dispatcher, tracker, domain)

    assert json.loads(route.calls.last.request.content)["note"] == "bankruptcy case number 26-40812"
    assert responses(dispatcher) == ["utter_bankruptcy_case_noted"]


async def test_a_question_after_a_bankruptcy_read_as_a_preference_hears_collection_stays_paused(
    api, dispatcher, domain
):
    """heldout22 763: "ok so that means the letters and texts stop while thats going on?" had been told how
    to change how we contact them."""
    text = "ok so that means the letters and texts stop while thats going on?"
    tracker = bankruptcy_reported_with_the_reference(text, "contact_preferences")

    await ActionContactPreferences().run(dispatcher, tracker, domain)

    assert responses(dispatcher) == ["utter_bankruptcy_still_paused"]


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("ok thanks, email is way better for me!", False),  # heldout21 736: the email confirmed again
        ("thanks, actually just text me instead", True),
    ],
)
async def test_thanks_naming_again_only_a_medium_already_kept_are_answered_as_thanks(
    api, dispatcher, domain, text, stored
):
    route = api.put(PREFERENCES).mock(
        httpx.Response(200, json={"refused_channels": ["email"], "preferred_channel": "sms"})
    )
    tracker = make_tracker(slots=VERIFIED, text=text, intent="contact_preferences")
    with_earlier(tracker, "can you guys email me instead of texting? dob 03/14/1985", "inform_identity")

    await ActionContactPreferences().run(dispatcher, tracker, domain)

    assert route.called is stored
    assert (responses(dispatcher) == ["utter_you_are_welcome"]) is not stored
