"""Results join insights' outcomes by conversation id, and name no winner before the sample size."""

from sqlalchemy import delete
from sqlalchemy.orm import Session

from api.core.models import utcnow
from api.experiments import results, service
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
