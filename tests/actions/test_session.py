"""Every conversation opens with who we are and the mini-Miranda disclosure."""

import pytest

from actions.session import ActionSessionStart
from tests.actions.conftest import make_tracker


async def test_the_first_message_of_a_session_is_the_disclosure(dispatcher, domain):
    events = await ActionSessionStart().run(dispatcher, make_tracker(), domain)
    said = [message["response"] for message in dispatcher.messages]
    assert said == ["utter_introduction", "utter_debt_collector_notice"]
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")


def test_the_introduction_says_who_we_are_and_nothing_about_a_debt(domain):
    """It may go where collection has stopped (shared/purposes.py): heldout14 506."""
    text = domain["responses"]["utter_introduction"][0]["text"]
    assert "Acme Recovery Services" in text and "debt" not in text


def test_the_disclosure_text_is_the_full_mini_miranda(domain):
    text = " ".join(domain["responses"]["utter_debt_collector_notice"][0]["text"].split())
    assert "This is a communication from a debt collector." in text
    assert (
        "This is an attempt to collect a debt and any information obtained will be used for that purpose."
        in text
    )


async def test_verification_does_not_survive_a_new_session(dispatcher, domain):
    tracker = make_tracker(slots={"verified": True, "verification_grant": "g", "account_id": "a"})
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    carried = {e["name"] for e in events if e["event"] == "slot"}
    assert carried == {"account_id", "identity_locked", "lookup_failures"}


async def test_an_sms_session_is_bound_to_the_account_of_the_number(dispatcher, domain):
    metadata = {"account_id": "acc-of-this-number", "channel": "sms", "message_sid": "SM1"}
    tracker = make_tracker(slots={"session_started_metadata": metadata})

    events = await ActionSessionStart().run(dispatcher, tracker, domain)

    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["account_id"] == "acc-of-this-number"


async def test_the_channels_binding_wins_over_an_account_carried_from_the_last_session(dispatcher, domain):
    tracker = make_tracker(
        slots={"account_id": "old", "session_started_metadata": {"account_id": "new", "channel": "sms"}}
    )

    events = await ActionSessionStart().run(dispatcher, tracker, domain)

    assert [e["value"] for e in events if e["event"] == "slot" and e["name"] == "account_id"] == ["new"]


@pytest.mark.parametrize("metadata", [None, {}, {"account_id": None, "channel": "sms"}, "not a dict"])
async def test_without_a_bound_account_no_account_is_set(dispatcher, domain, metadata):
    tracker = make_tracker(slots={"session_started_metadata": metadata})

    events = await ActionSessionStart().run(dispatcher, tracker, domain)

    assert "account_id" not in {e["name"] for e in events if e["event"] == "slot"}
