"""The purpose a bot reply carries to the compliance gate, from Rasa's own message for the response."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.actions.action import ActionBotResponse
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from shared.purposes import CRISIS_SUPPORT_RESPONSE, RESPONSE_PURPOSES, purpose_of

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


@pytest.mark.parametrize(
    ("response", "purpose"),
    [
        ("utter_validation_notice", "validation_notice"),
        ("utter_flag_attorney", "flag_confirmation"),
        ("utter_paused_dispute", "no_collection_content"),
        ("utter_ask_dob", "no_collection_content"),
        ("utter_balance", None),
        ("utter_payment_link", None),
    ],
)
async def test_rasa_hands_the_channel_the_response_name_the_purpose_is_read_from(
    response: str, purpose: str | None
) -> None:
    """Rasa 3.6 puts `utter_action` in the message it passes to send_text_message as keyword arguments."""
    tracker = DialogueStateTracker.from_events("c-test", [], slots=DOMAIN.slots)
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)

    [uttered] = await ActionBotResponse(response).run(CollectingOutputChannel(), nlg, tracker, DOMAIN)

    assert purpose_of(uttered.message()) == purpose


def test_every_response_with_a_purpose_exists_in_the_domain() -> None:
    assert set(RESPONSE_PURPOSES) <= set(DOMAIN.responses)


def test_a_declared_purpose_wins_and_the_apis_own_purposes_cannot_be_declared() -> None:
    assert (
        purpose_of({"utter_action": "utter_balance", "purpose": "validation_notice"}) == "validation_notice"
    )
    assert purpose_of({"purpose": "help"}) is None
    assert (
        purpose_of({"purpose": "opt_out_confirmation", "utter_action": "utter_ask_dob"})
        == "no_collection_content"
    )


def test_every_response_with_a_purpose_is_named_as_the_actions_name_it() -> None:
    """shared.purposes spells response names out (the Rasa server imports no actions); they must agree."""
    from actions import constants

    assert set(RESPONSE_PURPOSES) <= {
        value for name, value in vars(constants).items() if name.startswith("UTTER_")
    }


def test_the_lifeline_response_is_the_actions_crisis_support_response() -> None:
    from actions import constants

    assert CRISIS_SUPPORT_RESPONSE == constants.UTTER_CRISIS_SUPPORT


def test_the_claim_forms_questions_go_out_during_a_dispute() -> None:
    """Tried as a new user (session 28): "i already paid it" on SMS during a pending dispute met silence."""
    from shared.purposes import NO_COLLECTION_CONTENT, purpose_of

    for response in ("utter_ask_claim_date", "utter_ask_claim_method", "utter_claim_recorded"):
        assert purpose_of({"utter_action": response}) == NO_COLLECTION_CONTENT
