"""Purposes of bot messages: what still goes out once collection has stopped."""

from __future__ import annotations

import pytest

from shared.purposes import FLAG_CONFIRMATION, purpose_of


@pytest.mark.parametrize(
    "response",
    [
        "utter_flag_bankruptcy",
        "utter_bankruptcy_case_noted",  # heldout12 432: the case number's thanks was withheld by the gate
        "utter_bankruptcy_still_paused",
        "utter_flag_attorney",
        "utter_attorney_contact_noted",
        "utter_attorney_still_paused",
    ],
)
def test_what_follows_a_flag_confirms_the_pause(response: str) -> None:
    assert purpose_of({"utter_action": response}) == FLAG_CONFIRMATION


def test_a_collection_message_has_no_purpose_that_passes_a_stop() -> None:
    assert purpose_of({"utter_action": "utter_payment_link"}) is None
