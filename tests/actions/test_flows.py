"""Facts a request carried before verification: the last usable date or amount prefills its form."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions import constants as c
from actions.flows import _claim, given, last_entity, names_a_day, reads_as_date
from actions.payments import day_paid_said, promise_words
from tests.actions.conftest import make_tracker, slot_events


def message(*entities: tuple[str, str]) -> dict[str, Any]:
    return {"entities": [{"entity": name, "value": value} for name, value in entities]}


def test_the_date_proposed_last_is_used() -> None:
    said = message(("date", "friday"), ("date", "next monday"))

    assert last_entity(said, "date") == "next monday"


def test_a_stray_word_tagged_as_a_date_is_skipped() -> None:
    said = message(("amount", "200"), ("date", "the 18th"), ("date", "after"))

    assert last_entity(said, "date") == "the 18th"
    assert last_entity(said, "amount") == "200"


def test_no_usable_date_is_none() -> None:
    assert last_entity(message(("date", "after"), ("date", "not")), "date") is None
    assert last_entity(message(), "date") is None


def test_dates_either_side_of_today_read_as_dates() -> None:
    assert all(reads_as_date(text) for text in ("the 18th", "last friday", "12/20", "october", "tomorrow"))
    assert not any(reads_as_date(text) for text in ("after", "until", "the rest"))


def test_a_claim_date_is_prefilled_only_when_it_names_a_day() -> None:
    assert names_a_day("oct 28") and names_a_day("last friday") and names_a_day("yesterday")
    assert not names_a_day("october") and not names_a_day("last month")


def test_a_time_from_now_the_nlu_did_not_mark_is_the_date() -> None:
    """heldout17 597: "I can put 300 towards it in a week" before verification was asked which day."""
    said = {
        **message(("amount", "300")),
        "text": "I can put 300 towards it in a week, when my paycheck comes in",
    }

    assert given(said, "date") == "in a week"
    assert given({**message(), "text": "within 2 weeks i can pay it"}, "date") == "in 2 weeks"
    assert given({**message(("date", "friday")), "text": "friday, not in a week"}, "date") == "friday"
    assert given({**message(), "text": "i can pay 300"}, "date") is None


async def test_a_claim_made_before_verification_keeps_how_much_and_how() -> None:
    """heldout20 686: "sent the full 665 on dec 2 through zelle" was asked how much, then how, once
    verified."""
    text = "I already paid this!! sent the full 665 on dec 2 through zelle"
    said = {**message(("date", "dec 2")), "text": text}

    events = await _claim(CollectingDispatcher(), make_tracker(), said)

    slots = slot_events(events)
    assert slots[c.SLOT_CLAIM_AMOUNT] == "665"
    assert "zelle" in slots[c.SLOT_CLAIM_METHOD]
    assert slots[c.SLOT_CLAIM_DATE] == "dec 2"
    assert events[-1]["event"] == "followup"


async def test_a_claim_whose_day_the_nlu_did_not_mark_keeps_the_day_in_its_words() -> None:
    """heldout32 1065: "on November 28" was marked as a birth date, and the form asked when it was paid."""
    text = (
        "I paid this in full, $665 by Zelle on November 28, confirmation ZL7734Q. My reference is ACME-1002."
    )
    said = {**message(("dob", "November 28")), "text": text}

    slots = slot_events(await _claim(CollectingDispatcher(), make_tracker(), said))

    assert date.fromisoformat(slots[c.SLOT_CLAIM_DATE]).strftime("%m-%d") == "11-28"


def test_a_day_long_past_is_no_day_paid() -> None:
    today = date(2026, 12, 7)

    assert day_paid_said("paid it on nov 28", today) == "2026-11-28"
    assert day_paid_said("my birthday is july 2 1990", today) is None
    assert day_paid_said("i paid it already", today) is None


def test_a_promise_with_the_rest_on_another_day_takes_the_first_day() -> None:
    """heldout32 1081: "I can pay 150 next friday and the rest by the end of the month": noted for Dec 31."""
    text = "I can pay 150 next friday and the rest by the end of the month"
    said = {**message(("date", "next friday"), ("date", "end of the month")), "text": text}

    assert given(said, "date") == "next friday"


def test_the_promise_made_before_verification_is_read_for_the_rest() -> None:
    promise = "I can pay 150 next friday and the rest by the end of the month"
    tracker = make_tracker(text="11/30/78 and 94110")
    kept = {
        "name": "promise_to_pay",
        "confidence": 0.9,
    }  # beside the reference, as channels/segments.py keeps it
    tracker.events.insert(
        0,
        {
            "event": "user",
            "text": promise,
            "parse_data": {"intent": {"name": "inform_identity"}, "request": kept},
        },
    )

    assert promise_words(tracker) == promise
    assert promise_words(make_tracker(text="friday", intent="promise_to_pay")) == "friday"
