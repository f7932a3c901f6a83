"""The demo data a fresh `make run` shows: made-up conversations over 30 days tied to the demo accounts,
deterministic, only into empty review tables, only on the embedded SQLite default; a demo experiment."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.experiments import results
from api.experiments.models import Experiment
from api.insights import analytics, demo
from api.insights.analytics import Period
from api.insights.models import ReviewConversation, ReviewTurn
from api.seed import seed, seed_demo_insights, seed_responses
from tests.api.experiments.conftest import _empty_experiments  # noqa: F401 (autouse: empty tables)
from tests.api.responses_helpers import DOMAIN, empty_responses_tables
from tests.factories import SECRET_KEY

TODAY = date(2026, 12, 4)
MONTH = Period.last_days(30, TODAY)


def _outcomes(session: Session) -> list[tuple[str, bool, bool, int | None]]:
    C = ReviewConversation
    query = select(C.sender_id, C.link_opened, C.paid, C.satisfaction).order_by(C.sender_id)
    return [tuple(row) for row in session.execute(query).tuples()]


def test_the_demo_fills_every_figure_and_is_the_same_every_time(
    session: Session, insights_tables: None
) -> None:
    senders = demo.generate(session, ["acc-a", "acc-b"], TODAY)
    first = _outcomes(session)

    figures = {name: compute(session, MONTH) for name, compute in analytics.FIGURES.items()}

    assert len(senders) == demo.CONVERSATIONS and demo.generate(session, ["acc-a"], TODAY) == []
    steps = [step["conversations"] for step in figures["funnel"]["steps"]]
    assert steps[0] == demo.CONVERSATIONS and all(step > 0 for step in steps)
    assert steps == sorted(steps, reverse=True)
    assert figures["satisfaction"]["answers"] > 50 and 1 < figures["satisfaction"]["mean"] < 5
    assert len({row["day"] for row in figures["per-day"]["rows"]}) > 20
    assert any(row["fallbacks"] for row in figures["fallback-by-intent"]["rows"])
    turns = list(session.scalars(select(ReviewTurn).order_by(ReviewTurn.event_id)))
    assert all(turn.event_id < 0 for turn in turns) and turns[0].text == "Hi, this is Acme Recovery Services."

    session.execute(ReviewConversation.__table__.delete())
    session.commit()
    demo.generate(session, ["acc-a", "acc-b"], TODAY)
    assert _outcomes(session) == first


def test_seed_adds_the_demo_on_sqlite_only_with_an_experiment_over_it(
    session: Session, insights_tables: None, database_url: str
) -> None:
    empty_responses_tables(database_url)
    seed(session, SECRET_KEY)
    seed_responses(session, DOMAIN)

    added = seed_demo_insights(session, database_url)

    conversations = session.scalar(select(func.count()).select_from(ReviewConversation))
    if not database_url.startswith("sqlite"):
        assert (added, conversations) == (0, 0)
        return
    assert added == conversations == demo.CONVERSATIONS
    experiment = session.scalars(select(Experiment)).one()
    found = results.results(session, experiment)
    assert experiment.status == "stopped" and sum(v["exposures"] for v in found["variants"]) > 10
    assert seed_demo_insights(session, database_url) == 0
    empty_responses_tables(database_url)
