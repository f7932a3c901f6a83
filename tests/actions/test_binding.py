"""A conversation the channel bound to an account (the SMS number on file, a webchat personal link) goes
straight to the identity questions: the reference number is never asked, and nothing is disclosed."""

import pytest

from actions.identity import ValidateIdentityForm
from actions.session import ActionSessionStart, bound_account
from tests.actions.conftest import ACCOUNT_ID, make_tracker, responses, slot_events

LINKED = {"channel": "webchat", "account_id": ACCOUNT_ID}


def with_message_metadata(tracker, metadata):
    tracker.latest_message["metadata"] = metadata
    return tracker


async def test_a_webchat_session_opened_from_a_personal_link_is_bound_to_its_account(dispatcher, domain):
    tracker = make_tracker(slots={"session_started_metadata": LINKED})

    events = await ActionSessionStart().run(dispatcher, tracker, domain)

    assert slot_events(events)["account_id"] == ACCOUNT_ID
    # who we are and the notice only: nothing about the debt
    assert responses(dispatcher) == ["utter_introduction", "utter_debt_collector_notice"]


@pytest.mark.parametrize("channel", ["sms", "webchat"])
async def test_a_bound_conversation_is_asked_its_date_of_birth_not_its_reference(
    api, dispatcher, domain, channel
):
    lookup = api.post("/api/v1/accounts/lookup")
    tracker = make_tracker(
        slots={"account_id": ACCOUNT_ID, "session_started_metadata": {**LINKED, "channel": channel}},
        text="i want to pay",
        intent="make_payment",
        active_loop="identity_form",
    )

    slots = slot_events(await ValidateIdentityForm().run(dispatcher, tracker, domain))

    assert slots["requested_slot"] == "dob"
    assert not lookup.called
    assert dispatcher.messages == []


async def test_a_link_opened_in_a_running_session_binds_the_form_from_the_message(api, dispatcher, domain):
    tracker = with_message_metadata(
        make_tracker(text="hi", intent="greet", active_loop="identity_form"), LINKED
    )

    slots = slot_events(await ValidateIdentityForm().run(dispatcher, tracker, domain))

    assert (slots["account_id"], slots["requested_slot"]) == (ACCOUNT_ID, "dob")


async def test_an_unbound_webchat_is_asked_for_the_reference(api, dispatcher, domain):
    tracker = with_message_metadata(
        make_tracker(
            slots={"session_started_metadata": {"channel": "webchat"}},
            text="hi",
            intent="greet",
            active_loop="identity_form",
        ),
        {"channel": "webchat"},
    )

    form = ValidateIdentityForm()
    tracker.add_slots(await form.run(dispatcher, tracker, domain))

    required = await form.required_slots(form.domain_slots(domain), dispatcher, tracker, domain)
    assert tracker.get_slot("account_id") is None
    assert required[0] == "account_ref"


def test_an_account_already_in_the_conversation_is_not_replaced_by_the_form(dispatcher, domain):
    """The form's binding only fills an empty account: a reference the debtor typed stays theirs."""
    tracker = with_message_metadata(make_tracker(slots={"account_id": "typed"}), LINKED)

    assert bound_account(tracker) == ACCOUNT_ID
    assert tracker.get_slot("account_id") == "typed"
