"""What a bot reply is for, as the compliance gate (api/compliance/gate.py) understands it.

Read by the channels, in the Rasa server, which must not import the action server's package.

On an account whose collection stopped (attorney, bankruptcy, deceased, cease communication) or is paused
by a dispute awaiting validation (Reg F 1006.38(d)(2)), the gate lets through only messages with one of
the purposes a client may declare. Without them a disputing debtor would never get the validation notice
they asked for, nor the identity questions in front of it. Every purpose here is a reply to the debtor's
own message; anything not listed (balances, offers, payment links) is an ordinary collection message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from shared.vocabulary import CLIENT_PURPOSES, Purpose

VALIDATION_NOTICE: Final = Purpose.VALIDATION_NOTICE
FLAG_CONFIRMATION: Final = Purpose.FLAG_CONFIRMATION
NO_COLLECTION_CONTENT: Final = Purpose.NO_COLLECTION_CONTENT
CRISIS_SUPPORT_RESPONSE: Final = "utter_crisis_support"
CRISIS_WHILE_WAITING_RESPONSE: Final = "utter_crisis_while_waiting"
LIFELINE_RESPONSES: Final = frozenset({CRISIS_SUPPORT_RESPONSE, CRISIS_WHILE_WAITING_RESPONSE})
"""The 988 Lifeline answers, which a debtor in crisis gets even if the gate objects (channels/webchat.py)."""

# Response names as in domain.yml and actions/constants.py (tests/channels/test_purposes.py holds them
# to both).
_NO_COLLECTION_CONTENT = (
    # Who is writing (the debt collector notice after it is an ordinary message, withheld when stopped).
    "utter_introduction",
    # Identity questions: nothing is disclosed or asked for but who the debtor is (1006.6(d)).
    "utter_ask_account_ref",
    "utter_ask_dob",
    "utter_ask_zip_code",
    "utter_invalid_reference",
    "utter_reference_not_found",
    "utter_invalid_dob",
    "utter_invalid_zip",
    "utter_verified",
    "utter_verification_failed",
    "utter_verification_locked",
    "utter_lookup_locked",
    "utter_need_verification",
    "utter_verification_expired",
    # A payment the debtor says they made: its questions and the answer that it is passed on disclose and
    # ask for nothing (on SMS during a dispute all four were withheld, and the claim met silence).
    "utter_ask_claim_date",
    "utter_ask_claim_amount",
    "utter_ask_claim_method",
    "utter_invalid_claim_date",
    "utter_claim_recorded",
    # Acknowledgements, support and the way to a person.
    "utter_paused_dispute",
    "utter_paused_dispute_noticed",
    "utter_flag_which_account",
    "utter_paused_attorney",
    "utter_paused_bankruptcy",
    "utter_paused_deceased",
    "utter_paused_cease",
    "utter_service_unavailable",
    CRISIS_SUPPORT_RESPONSE,
    CRISIS_WHILE_WAITING_RESPONSE,
    "utter_crisis_check_in",
    "utter_crisis_check_in_cleared",
    "utter_handoff_started",
    "utter_handoff_unavailable",
    "utter_handoff_noted",
    "utter_opt_out_failed",
    "utter_contact_preferences",
    "utter_timezone_updated",
    "utter_goodbye",
    "utter_you_are_welcome",
    "utter_iamabot",
    "utter_who_is_this",
    "utter_wrong_person",
    "utter_default",
    "utter_ask_affirmation",
    "utter_ask_rephrase",
    "utter_offer_person_after_misses",
    "utter_verify_first",
    "utter_credit_reporting",
)
RESPONSE_PURPOSES: Final[Mapping[str, Purpose]] = {
    "utter_validation_notice": VALIDATION_NOTICE,
    "utter_dispute_recorded": FLAG_CONFIRMATION,
    "utter_flag_attorney": FLAG_CONFIRMATION,
    "utter_flag_bankruptcy": FLAG_CONFIRMATION,
    "utter_flag_deceased": FLAG_CONFIRMATION,
    "utter_attorney_contact_noted": FLAG_CONFIRMATION,
    "utter_flag_on_account": FLAG_CONFIRMATION,
    # what follows a flag says the pause again: the gate had withheld all three after the flag they confirm
    "utter_attorney_still_paused": FLAG_CONFIRMATION,
    "utter_bankruptcy_case_noted": FLAG_CONFIRMATION,
    "utter_bankruptcy_still_paused": FLAG_CONFIRMATION,
    **dict.fromkeys(_NO_COLLECTION_CONTENT, NO_COLLECTION_CONTENT),
}


def purpose_of(message: Mapping[str, Any]) -> Purpose | None:
    """The purpose of a bot message: declared by the action (`purpose=`), else its response's, else None."""
    declared = message.get("purpose")
    if isinstance(declared, str) and declared in CLIENT_PURPOSES:
        return Purpose(declared)
    response = message.get("utter_action")
    return RESPONSE_PURPOSES.get(response) if isinstance(response, str) else None
