"""Results join insights' outcomes by conversation id, and name no winner before the sample size."""

from sqlalchemy import delete
from sqlalchemy.orm import Session

from api.core.models import utcnow
from api.experiments import results, service
from api.experiments.schemas import ExperimentIn
from api.insights.models import ReviewConversation


def test_results_count_insights_outcomes_and_wait_for_the_sample(session: Session) -> None:
    variants = [(50, [{"text": "Hello, how can I help you today?"}]), (50, [{"text": "Hi! How can I help?"}])]
    experiment = service.create(session, "utter_greet_test", variants, "verified", 100)
    service.start(session, experiment, utcnow())
    senders = [f"conversation-{number}" for number in range(20)]
    for sender in senders:
        service.assign(session, experiment, sender)
        now = utcnow()
        session.add(ReviewConversation(sender_id=sender, started_at=now, last_event_at=now, verified=True))
    service.stop(experiment, utcnow())
    session.commit()

    found = results.results(session, experiment)
    session.execute(delete(ReviewConversation))
    session.commit()

    assert sum(v["exposures"] for v in found["variants"]) == 20
    assert all(v["outcomes"]["verified"]["rate"] == 1.0 for v in found["variants"] if v["exposures"])
    assert found["verdict"].startswith("collecting data: ") and found["verdict"].endswith(" of 100")
    assert found["status"] == "stopped" and "conversation-0" not in str(found)


def test_payment_outcomes_and_the_survey_reach_the_results(session: Session) -> None:
    variants = [(50, [{"text": "Pay here: {url}"}]), (50, [{"text": "Whenever you are ready: {url}"}])]
    experiment = service.create(session, "utter_payment_link_test", variants, "payment_made", 1)
    service.start(session, experiment, utcnow())
    answers = {"c-0": 5, "c-1": 4, "c-2": None, "c-3": 3}
    for sender, score in answers.items():
        service.assign(session, experiment, sender)
        now = utcnow()
        row = ReviewConversation(sender_id=sender, started_at=now, last_event_at=now, satisfaction=score)
        row.link_opened, row.paid = True, sender == "c-0"
        session.add(row)
    session.commit()

    found = results.results(session, experiment)
    session.execute(delete(ReviewConversation))
    session.commit()

    opened = sum(v["outcomes"]["payment_link_opened"]["rate"] * v["exposures"] for v in found["variants"])
    paid = sum(v["outcomes"]["payment_made"]["rate"] * v["exposures"] for v in found["variants"])
    answered = sum(v["satisfaction"]["answers"] for v in found["variants"])
    assert (round(opened), round(paid), answered) == (4, 1, 3)
    means = [v["satisfaction"]["mean"] for v in found["variants"] if v["satisfaction"]["answers"]]
    assert all(3 <= mean <= 5 for mean in means)


def test_the_schema_accepts_every_outcome_the_results_count() -> None:
    body = {
        "response_name": "utter_greet",
        "minimum_sample": 10,
        "variants": [{"share": 1, "variations": [{}]}] * 2,
    }
    for outcome in results.OUTCOMES:
        assert ExperimentIn.model_validate({**body, "primary_outcome": outcome}).primary_outcome == outcome
