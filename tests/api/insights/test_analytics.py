"""The dashboard's figures on a small known set of conversations."""

from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from api.handoffs.models import Handoff
from api.insights import analytics
from api.insights.analytics import Period
from tests.api.insights.conftest import Ingest
from tests.api.insights.rasa_events import Broker, action, bot, paying_conversation, slot, user

DAY = Period(date(2026, 12, 4), date(2026, 12, 4))


def _four_conversations(broker: Broker) -> None:
    broker.publish("paid", *paying_conversation())
    broker.publish(
        "stopped",
        user("stop texting me", "opt_out", channel="twilio"),
        bot("You will not get more texts.", "utter_opted_out"),
    )
    broker.publish(
        "person",
        user("let me talk to a person", "request_human", channel="webchat", distress="crisis"),
        action("action_handoff"),
        slot("handoff_id", "h1"),
        bot("A person will be with you.", "utter_handoff_started"),
    )
    broker.publish(
        "lost",
        user(
            "whats the damage", "nlu_fallback", 0.4, ranking=[("nlu_fallback", 0.6), ("check_balance", 0.4)]
        ),
        slot("verified", True),
        bot("Total due: $665.00", "utter_balance"),
    )


def test_the_figures_add_up(broker: Broker, ingested: Ingest, session: Session) -> None:
    _four_conversations(broker)
    session.add(
        Handoff(
            conversation_id="person", channel="webchat", reason="request_human", priority=1, status="queued"
        )
    )
    session.commit()
    ingested()

    figures = {name: compute(session, DAY) for name, compute in analytics.FIGURES.items()}
    session.execute(text("DELETE FROM handoffs"))
    session.commit()

    assert figures["per-day"]["rows"] == [
        {"day": "2026-12-04", "channel": "sms", "conversations": 3},
        {"day": "2026-12-04", "channel": "webchat", "conversations": 1},
    ]
    assert figures["containment"] == {"conversations": 4, "contained": 3, "rate": 0.75}
    steps = {step["step"]: (step["conversations"], step["drop_off"]) for step in figures["funnel"]["steps"]}
    assert steps == {
        "first message": (4, 0),
        "verified": (2, 2),
        "balance": (2, 0),
        "offer": (1, 1),
        "agreement": (1, 0),
    }
    assert figures["handoffs"]["reasons"] == [{"reason": "request_human", "handoffs": 1}]
    assert figures["fallback-by-intent"]["rows"][0] == {
        "intent": "check_balance",
        "messages": 1,
        "fallbacks": 1,
        "rate": 1.0,
    }
    assert figures["conversion"]["plans"] == 1 and figures["conversion"]["plan_rate"] == 0.5
    assert figures["opt-outs"] == {"conversations": 4, "opt_outs": 1, "rate": 0.25}
    levels = {row["level"]: row["conversations"] for row in figures["distress"]["levels"]}
    assert levels == {"none": 2, "elevated": 1, "high": 0, "crisis": 1}


def test_an_empty_period_has_zero_rates(insights_tables: None, session: Session) -> None:
    assert analytics.containment(session, DAY) == {"conversations": 0, "contained": 0, "rate": 0.0}
