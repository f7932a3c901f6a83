"""Experiments' lifecycle (create, start after compliance review, stop), assignment and exposures."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.experiments.assignment import check_shares, variant_index
from api.experiments.exceptions import AlreadyRunning, VariantsBlocked, WrongState
from api.experiments.models import Experiment, ExperimentVariant, Exposure
from api.responses import service as responses
from api.responses.rendering import Variation


def create(
    session: Session,
    name: str,
    variants: list[tuple[int, list[Variation]]],
    outcome: str,
    minimum: int,
    created_by: str | None = None,
) -> Experiment:
    """A draft experiment of response `name`; variants are (share, variations), the first is control."""
    check_shares([share for share, _ in variants])
    experiment = Experiment(
        response_name=name, primary_outcome=outcome, minimum_sample=minimum, created_by=created_by
    )
    session.add(experiment)
    session.flush()
    for position, (share, variations) in enumerate(variants):
        session.add(
            ExperimentVariant(
                experiment_id=experiment.id, position=position, share=share, variations=variations
            )
        )
    session.flush()
    return experiment


def variants(session: Session, experiment: Experiment) -> list[ExperimentVariant]:
    """The experiment's variants, control first."""
    query = select(ExperimentVariant).where(ExperimentVariant.experiment_id == experiment.id)
    return list(session.scalars(query.order_by(ExperimentVariant.position)))


def problems(session: Session, experiment: Experiment) -> list[str]:
    """Every variant's compliance-review problems, as a published version of the response would face."""
    live = responses.live_variations(session, experiment.response_name)
    name = experiment.response_name
    found = [
        (v.position, p)
        for v in variants(session, experiment)
        for p in responses.problems(session, name, v.variations, live)
    ]
    return [f"variant {position}: {problem}" for position, problem in found]


def running(session: Session, name: str) -> Experiment | None:
    """The running experiment of response `name`, if any."""
    query = select(Experiment).where(Experiment.response_name == name, Experiment.status == "running")
    return session.scalars(query).first()


def start(session: Session, experiment: Experiment, now: datetime) -> None:
    """Start a draft whose variants all pass the review, unless the response already has a running one."""
    if experiment.status != "draft":
        raise WrongState("only a draft experiment can start")
    if running(session, experiment.response_name) is not None:
        raise AlreadyRunning(f"{experiment.response_name} already has a running experiment")
    blocked = problems(session, experiment)
    if blocked:
        raise VariantsBlocked(blocked)
    experiment.status, experiment.started_at = "running", now


def stop(experiment: Experiment, now: datetime) -> None:
    """Stop a running experiment; its exposures (and so its results) stay."""
    if experiment.status != "running":
        raise WrongState("only a running experiment can stop")
    experiment.status, experiment.stopped_at = "stopped", now


def assign(session: Session, experiment: Experiment, conversation_id: str) -> ExperimentVariant:
    """The conversation's variant (deterministic), its exposure recorded the first time only."""
    options = variants(session, experiment)
    chosen = options[variant_index(experiment.id, conversation_id, [v.share for v in options])]
    if _exposed(session, experiment, conversation_id):
        return chosen
    try:
        with session.begin_nested():
            session.add(
                Exposure(experiment_id=experiment.id, variant_id=chosen.id, conversation_id=conversation_id)
            )
    except IntegrityError:
        pass  # a concurrent answer of the same conversation recorded it first
    return chosen


def _exposed(session: Session, experiment: Experiment, conversation_id: str) -> bool:
    """Whether the conversation's exposure to the experiment is recorded."""
    query = select(Exposure.id).where(
        Exposure.experiment_id == experiment.id, Exposure.conversation_id == conversation_id
    )
    return session.scalar(query) is not None


def exposures(session: Session, experiment: Experiment) -> dict[str, list[str]]:
    """Conversation ids exposed, per variant id (kept after stopping)."""
    rows = session.execute(
        select(Exposure.variant_id, Exposure.conversation_id).where(Exposure.experiment_id == experiment.id)
    )
    grouped: dict[str, list[str]] = {v.id: [] for v in variants(session, experiment)}
    for variant_id, conversation_id in rows:
        grouped[variant_id].append(conversation_id)
    return grouped


def listing(session: Session) -> list[tuple[Experiment, int]]:
    """Every experiment, newest first, with its number of exposed conversations."""
    exposed = (
        select(Exposure.experiment_id, func.count().label("n")).group_by(Exposure.experiment_id).subquery()
    )
    query = (
        select(Experiment, func.coalesce(exposed.c.n, 0))
        .outerjoin(exposed, exposed.c.experiment_id == Experiment.id)
        .order_by(Experiment.created_at.desc())
    )
    return [(experiment, int(count)) for experiment, count in session.execute(query).tuples()]
