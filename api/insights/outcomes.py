"""What a Rasa event says about its conversation's outcome: the names of domain.yml and actions/constants.py.

Pure functions over the event dicts Rasa's event broker publishes ({"sender_id", "event", ...}).
"""

from typing import Any, Final

from api.insights.models import ReviewConversation

DISTRESS_LEVELS: Final = ("none", "elevated", "high", "crisis")
NLU_FALLBACK: Final = "nlu_fallback"
FALLBACK_ACTIONS: Final = frozenset(
    {"action_default_fallback", "action_two_stage_fallback", "action_default_ask_affirmation"}
)
"""Rasa's fallback and two-stage fallback actions (main's actions/fallback.py overrides two of them)."""
CHANNELS: Final = {"twilio": "sms", "webchat": "webchat", "socketio": "webchat", "rest": "rest"}

_BOT_OUTCOMES: Final = {
    "utter_default": "fallback",
    "utter_ask_rephrase": "fallback",
    "utter_ask_affirmation": "fallback",
    "utter_offer_person_after_misses": "fallback",
    "utter_balance": "balance_seen",
    "utter_balance_past_due": "balance_seen",
    "utter_offer_acceptable": "offered",
    "utter_counter_offer": "offered",
    "utter_plan_options": "offered",
    "utter_hardship_options": "offered",
    "utter_plan_created": "plan_made",
    "utter_settlement_created": "plan_made",
    "utter_promise_recorded": "promise_made",
    "utter_payment_link": "link_sent",
    "utter_opted_out": "opted_out",
    "utter_handoff_started": "handoff",
}
_ACTION_OUTCOMES: Final = {
    **dict.fromkeys(FALLBACK_ACTIONS, "fallback"),
    "action_evaluate_offer": "offered",
    "action_plan_options": "offered",
}
AGREEMENTS: Final = ("plan_made", "promise_made", "link_sent")
SATISFACTION_SLOT: Final = "satisfaction"
SATISFACTION_SCORES: Final = (1, 2, 3, 4, 5)
"""The end-of-conversation survey ("How did we do? Reply 1-5"): the slot the bot sets, the answers."""


def distress_rank(level: str | None) -> int:
    """0 for none (or unknown) up to 3 for crisis."""
    return DISTRESS_LEVELS.index(level) if level in DISTRESS_LEVELS else 0


def channel_of(input_channel: str | None) -> str:
    """A Rasa input channel in the API's words (sms, webchat, rest)."""
    return CHANNELS.get(input_channel or "", (input_channel or "unknown")[:16])


def response_name(event: dict[str, Any]) -> str | None:
    """The response a bot event uttered (Rasa puts it in the event's metadata)."""
    metadata = event.get("metadata") or {}
    name = metadata.get("utter_action") or metadata.get("template_name")
    return str(name) if name else None


def _set(conversation: ReviewConversation, outcome: str | None) -> None:
    if outcome is not None:
        setattr(conversation, outcome, True)


def satisfaction_score(value: Any) -> int | None:
    """The survey answer as an integer 1..5 (Rasa may send 4, 4.0 or "4"), None for anything else."""
    if isinstance(value, bool):
        return None
    try:
        score = float(value)
    except (TypeError, ValueError):
        return None
    return int(score) if score.is_integer() and int(score) in SATISFACTION_SCORES else None


def apply_slot(conversation: ReviewConversation, name: str | None, value: Any) -> None:
    """A slot event: verification, the verified account, a handoff, the open form question, the survey."""
    if name == SATISFACTION_SLOT:
        conversation.satisfaction = satisfaction_score(value) or conversation.satisfaction
    elif name == "requested_slot":
        conversation.requested_slot = str(value) if value else None
    elif name == "verified" and value is True:
        conversation.verified = True
    elif name == "account_id" and value:
        conversation.account_id = str(value)[:36]
    elif name in ("handed_off", "handoff_id") and value:
        conversation.handoff = True


def apply(conversation: ReviewConversation, event: dict[str, Any]) -> None:
    """Update the outcomes with one event (user turns are handled by the ingest)."""
    kind = event.get("event")
    if kind == "bot":
        _set(conversation, _BOT_OUTCOMES.get(response_name(event) or ""))
    elif kind == "action":
        _set(conversation, _ACTION_OUTCOMES.get(str(event.get("name"))))
    elif kind == "slot":
        apply_slot(conversation, event.get("name"), event.get("value"))


def agreed(conversation: ReviewConversation) -> bool:
    """Whether the conversation reached an agreement (a plan, a promise or a payment link)."""
    return any(getattr(conversation, name) for name in AGREEMENTS)
