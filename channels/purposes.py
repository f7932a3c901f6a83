"""What a bot reply is for, as the compliance gate (api/compliance/gate.py) understands it.

On an account whose collection stopped (attorney, bankruptcy, deceased, cease communication) or is paused
by a dispute awaiting validation (Reg F 1006.38(d)(2)), the gate lets through only messages with one of
the purposes a client may declare. Without them a disputing debtor would never get the validation notice
they asked for, nor the identity questions in front of it. Every purpose here is a reply to the debtor's
own message; anything not listed (balances, offers, payment links) is an ordinary collection message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from actions import constants as c

VALIDATION_NOTICE: Final = "validation_notice"
FLAG_CONFIRMATION: Final = "flag_confirmation"
NO_COLLECTION_CONTENT: Final = "no_collection_content"
CLIENT_PURPOSES: Final = frozenset({VALIDATION_NOTICE, FLAG_CONFIRMATION, NO_COLLECTION_CONTENT})
"""The purposes the API accepts from a client (api.compliance.CLIENT_PURPOSES)."""

_NO_COLLECTION_CONTENT = (
    # Identity questions: nothing is disclosed or asked for but who the debtor is (1006.6(d)).
    c.UTTER_ASK_ACCOUNT_REF,
    c.UTTER_ASK_DOB,
    c.UTTER_ASK_ZIP_CODE,
    c.UTTER_INVALID_REFERENCE,
    c.UTTER_REFERENCE_NOT_FOUND,
    c.UTTER_INVALID_DOB,
    c.UTTER_INVALID_ZIP,
    c.UTTER_VERIFIED,
    c.UTTER_VERIFICATION_FAILED,
    c.UTTER_VERIFICATION_LOCKED,
    c.UTTER_LOOKUP_LOCKED,
    c.UTTER_NEED_VERIFICATION,
    c.UTTER_VERIFICATION_EXPIRED,
    # Acknowledgements, support and the way to a person.
    c.UTTER_PAUSED_DISPUTE,
    c.UTTER_PAUSED_ATTORNEY,
    c.UTTER_PAUSED_BANKRUPTCY,
    c.UTTER_PAUSED_DECEASED,
    c.UTTER_PAUSED_CEASE,
    c.UTTER_SERVICE_UNAVAILABLE,
    c.UTTER_CRISIS_SUPPORT,
    c.UTTER_CRISIS_CHECK_IN,
    c.UTTER_CRISIS_CHECK_IN_CLEARED,
    c.UTTER_HANDOFF_STARTED,
    c.UTTER_HANDOFF_UNAVAILABLE,
    c.UTTER_OPT_OUT_FAILED,
    c.UTTER_CONTACT_PREFERENCES,
    c.UTTER_GOODBYE,
    c.UTTER_YOU_ARE_WELCOME,
    c.UTTER_IAMABOT,
    c.UTTER_WHO_IS_THIS,
    c.UTTER_WRONG_PERSON,
    c.UTTER_DEFAULT,
)
RESPONSE_PURPOSES: Final[Mapping[str, str]] = {
    c.UTTER_VALIDATION_NOTICE: VALIDATION_NOTICE,
    c.UTTER_DISPUTE_RECORDED: FLAG_CONFIRMATION,
    c.UTTER_FLAG_ATTORNEY: FLAG_CONFIRMATION,
    c.UTTER_FLAG_BANKRUPTCY: FLAG_CONFIRMATION,
    c.UTTER_FLAG_DECEASED: FLAG_CONFIRMATION,
    **dict.fromkeys(_NO_COLLECTION_CONTENT, NO_COLLECTION_CONTENT),
}


def purpose_of(message: Mapping[str, Any]) -> str | None:
    """The purpose of a bot message: declared by the action (`purpose=`), else its response's, else None."""
    declared = message.get("purpose")
    if isinstance(declared, str) and declared in CLIENT_PURPOSES:
        return declared
    response = message.get("utter_action")
    return RESPONSE_PURPOSES.get(response) if isinstance(response, str) else None
