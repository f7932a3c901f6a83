"""A Rasa-shaped `events` table: rows exactly as rasa/core/brokers/sql.py's SQLEventBroker writes them
(columns id, sender_id, data; data the JSON of {"sender_id": ..., **event.as_dict()}, as the tracker store
publishes each new event)."""

import json
from typing import Any

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, Text, insert

_metadata = MetaData()
EVENTS = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("data", Text),
)
T0 = 1_796_371_200.0  # 2026-12-04 08:00 UTC


class Broker:
    """Publishes events into the table as Rasa's broker does, with a clock that ticks a second per event."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine, self.url, self.clock = engine, url, T0

    def publish(self, sender_id: str, *events: dict[str, Any]) -> None:
        """Append events for one conversation."""
        with self.engine.begin() as connection:
            for event in events:
                self.clock += 1
                body = {"sender_id": sender_id, "timestamp": self.clock, **event}
                connection.execute(insert(EVENTS).values(sender_id=sender_id, data=json.dumps(body)))


def user(
    text: str,
    intent: str,
    confidence: float = 0.95,
    *,
    entities: list[dict[str, Any]] | None = None,
    distress: str = "none",
    channel: str = "twilio",
    ranking: list[tuple[str, float]] | None = None,
) -> dict[str, Any]:
    """UserUttered.as_dict() with the parse data our NLU pipeline produces (distress included)."""
    intent_ranking = [{"name": name, "confidence": c} for name, c in (ranking or [(intent, confidence)])]
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "intent": {"name": intent, "confidence": confidence},
            "entities": entities or [],
            "text": text,
            "message_id": "m",
            "metadata": {},
            "intent_ranking": intent_ranking,
            "distress": {"score": 0.1, "level": distress, "vader_compound": 0.0},
        },
        "input_channel": channel,
        "message_id": "m",
        "metadata": {},
    }


def bot(text: str, response: str) -> dict[str, Any]:
    """BotUttered.as_dict() of a domain response."""
    return {
        "event": "bot",
        "text": text,
        "data": {
            "elements": None,
            "quick_replies": None,
            "buttons": None,
            "attachment": None,
            "image": None,
            "custom": None,
        },
        "metadata": {"utter_action": response},
    }


def slot(name: str, value: Any) -> dict[str, Any]:
    """SlotSet.as_dict()."""
    return {"event": "slot", "name": name, "value": value}


def action(name: str) -> dict[str, Any]:
    """ActionExecuted.as_dict()."""
    return {
        "event": "action",
        "name": name,
        "policy": None,
        "confidence": 1.0,
        "action_text": None,
        "hide_rule_turn": False,
    }


def paying_conversation() -> list[dict[str, Any]]:
    """A debtor who verifies, sees the balance, gets an offer accepted and a plan, over SMS."""
    return [
        action("action_session_start"),
        bot("Hi, this is Acme Recovery Services.", "utter_introduction"),
        user("hi i got a text about a debt", "greet", 0.91),
        slot("requested_slot", "dob"),
        bot("What is your date of birth?", "utter_ask_dob"),
        user("03/14/1985", "inform_identity", 0.88, entities=[{"entity": "dob", "value": "03/14/1985"}]),
        slot("requested_slot", "zip_code"),
        bot("And your ZIP code?", "utter_ask_zip_code"),
        user("20001", "inform_identity", 0.97),
        slot("requested_slot", None),
        slot("verified", True),
        slot("account_id", "acc-1"),
        bot("Thanks, you are verified.", "utter_verified"),
        action("action_show_balance"),
        bot("Total due: $665.00", "utter_balance"),
        user("can i pay 50 a month", "offer_payment", 0.93, distress="elevated"),
        action("action_evaluate_offer"),
        bot("That works.", "utter_offer_acceptable"),
        user("yes", "affirm", 0.99),
        bot("Your plan is set up.", "utter_plan_created"),
        action("action_listen"),
    ]
