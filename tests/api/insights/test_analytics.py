"""The dashboard's figures on a small known set of conversations."""

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.handoffs.models import Handoff
from api.insights import analytics
from api.insights.analytics import Period
from tests.api.insights.conftest import Ingest
from tests.api.insights.rasa_events import Broker, action, bot, paying_conversation, slot, user
from tests.factories import create_account

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
        "payment link opened": (0, 1),
        "payment made": (0, 0),
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


def _surveyed(broker: Broker, sender: str, account_id: str | None, score: int | None, channel: str) -> None:
    events = [user("hi", "greet", channel=channel)]
    if account_id:
        events += [slot("verified", True), slot("account_id", account_id)]
    if score is not None:
        events += [bot("How did we do? Reply 1-5", "utter_ask_satisfaction"), slot("satisfaction", score)]
    broker.publish(sender, *events)


def test_satisfaction_by_creditor_channel_and_segment(
    broker: Broker, ingested: Ingest, session: Session, client: TestClient
) -> None:
    small = create_account(client, creditor="Contoso Health", principal="100.00", days_past_due=12)["id"]
    large = create_account(client, creditor="Northwind Bank", principal="6000.00", days_past_due=120)["id"]
    _surveyed(broker, "s-1", small, 5, "twilio")
    _surveyed(broker, "s-2", small, 4, "webchat")
    _surveyed(broker, "s-3", large, 1, "twilio")
    _surveyed(broker, "s-4", None, None, "twilio")
    ingested()

    figure = analytics.satisfaction(session, DAY)

    assert (figure["answers"], figure["conversations"], figure["mean"]) == (3, 4, 3.33)
    assert [row["answers"] for row in figure["distribution"]] == [1, 0, 0, 1, 1]
    means = {
        (row["dimension"], row["segment"]): (row["answers"], row["mean"]) for row in figure["by_segment"]
    }
    assert means == {
        ("creditor", "Contoso Health"): (2, 4.5),
        ("creditor", "Northwind Bank"): (1, 1.0),
        ("creditor", "not verified"): (0, None),
        ("channel", "sms"): (2, 3.0),
        ("channel", "webchat"): (1, 4.0),
        ("days_past_due", "1-30 days"): (2, 4.5),
        ("days_past_due", "91-180 days"): (1, 1.0),
        ("days_past_due", "not verified"): (0, None),
        ("balance", "$5,000+"): (1, 1.0),
        ("balance", "under $250"): (2, 4.5),
        ("balance", "not verified"): (0, None),
    }
    assert analytics.as_csv(figure).splitlines()[:2] == ["score,answers", "1,1"]


def test_breakdowns_give_each_segments_outcome_rates(
    broker: Broker, ingested: Ingest, session: Session, client: TestClient
) -> None:
    account = create_account(client, creditor="Fabrikam Telecom", days_past_due=0)["id"]
    _surveyed(broker, "b-1", account, 3, "webchat")
    broker.publish("b-2", *paying_conversation())
    ingested()

    rows = analytics.breakdowns(session, DAY)["rows"]

    fabrikam = next(row for row in rows if row["segment"] == "Fabrikam Telecom")
    assert (fabrikam["conversations"], fabrikam["verified_rate"], fabrikam["satisfaction_mean"]) == (
        1,
        1.0,
        3.0,
    )
    current = next(row for row in rows if row["dimension"] == "days_past_due" and row["segment"] == "current")
    assert current["conversations"] == 1
    unknown = [row for row in rows if row["segment"] == "not verified"]
    assert [row["agreement_rate"] for row in unknown] == [1.0, 1.0, 1.0]  # acc-1 is no account of ours
    assert [row["dimension"] for row in rows][:2] == ["creditor", "creditor"]
