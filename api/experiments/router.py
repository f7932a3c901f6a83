"""Rasa's NLG route: a running experiment's variant for the conversation, else the live response.

It replaces api.responses' NLG route in api.main; the rendering is the same code (api.responses.rendering).
"""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, status
from fastapi.concurrency import run_in_threadpool

from api.core.dependencies import NowDep, ServiceAuth, SessionDep, SettingsDep
from api.experiments import results, service
from api.experiments.exceptions import AlreadyRunning, VariantsBlocked, WrongState
from api.experiments.models import Experiment
from api.experiments.schemas import ExperimentIn
from api.responses import live
from api.responses.rendering import Variation, choose
from api.responses.schemas import NlgRequest
from api.staff.dependencies import Marketer

nlg_router = APIRouter(tags=["nlg"], dependencies=[ServiceAuth])


def _variant(session: SessionDep, body: NlgRequest) -> list[Variation] | None:
    """The conversation's variant of the response's running experiment (its exposure recorded), if any.

    The session's connection goes back to the pool before this returns: the live lookup that may follow
    takes one of its own, and requests that each held one while waiting for a second had drained the pool
    (50 new conversations at once: every request waited the pool's timeout, then answered 500)."""
    try:
        experiment = service.running(session, body.response)
        if experiment is None or not body.tracker.sender_id:
            return None
        variant = service.assign(session, experiment, body.tracker.sender_id)
        session.commit()
        return variant.variations
    finally:
        session.close()


@nlg_router.post("/nlg", responses={404: {"description": "Unknown response, or no variation fits"}})
async def generate(body: NlgRequest, session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    """The bot's next message for `response`: the experiment's variant or the live version, rendered alike."""
    variations = await run_in_threadpool(_variant, session, body)
    if variations is None:
        variations = await live.variations(settings.DATABASE_URL, body.response)
    if variations is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "response not found")
    message = choose(variations, body.channel.name or "", body.tracker.slots, body.arguments)
    if message is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "variation not found")
    return message


router = APIRouter(prefix="/experiments", tags=["experiments"])


def _experiment(session: SessionDep, experiment_id: str) -> Experiment:
    """The experiment, or 404."""
    experiment = session.get(Experiment, experiment_id)
    if experiment is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "experiment not found")
    return experiment


@router.post("", status_code=status.HTTP_201_CREATED)
def create(body: ExperimentIn, session: SessionDep, staff: Marketer) -> dict[str, str]:
    """A draft experiment (marketing and admins)."""
    variants = [(v.share, v.variations) for v in body.variants]
    experiment = service.create(
        session, body.response_name, variants, body.primary_outcome, body.minimum_sample, staff.id
    )
    session.commit()
    return {"id": experiment.id, "status": experiment.status}


def _transition(session: SessionDep, experiment: Experiment, change: Callable[[], None]) -> dict[str, str]:
    """Apply a change of state and commit; 422 naming the blocked variants, 409 for a wrong state."""
    try:
        change()
    except VariantsBlocked as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, error.problems) from error
    except (AlreadyRunning, WrongState) as error:
        raise HTTPException(status.HTTP_409_CONFLICT, str(error)) from error
    session.commit()
    return {"id": experiment.id, "status": experiment.status}


@router.post("/{experiment_id}/start")
def start(experiment_id: str, session: SessionDep, _staff: Marketer, now: NowDep) -> dict[str, str]:
    """Start after every variant passed the compliance review: 422 naming problems, 409 if one runs."""
    experiment = _experiment(session, experiment_id)
    return _transition(session, experiment, lambda: service.start(session, experiment, now))


@router.post("/{experiment_id}/stop")
def stop(experiment_id: str, session: SessionDep, _staff: Marketer, now: NowDep) -> dict[str, str]:
    """Stop a running experiment; its results stay."""
    experiment = _experiment(session, experiment_id)
    return _transition(session, experiment, lambda: service.stop(experiment, now))


@router.get("/{experiment_id}/results")
def experiment_results(experiment_id: str, session: SessionDep, _staff: Marketer) -> dict[str, Any]:
    """Per variant: exposures, outcome rates with 95 % intervals, difference to control; the verdict."""
    return results.results(session, _experiment(session, experiment_id))
