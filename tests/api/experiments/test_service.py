"""Lifecycle, compliance review before start, exposures once per conversation, stopping keeps results."""

import pytest
from sqlalchemy.orm import Session

from api.core.models import utcnow
from api.experiments import service
from api.experiments.exceptions import AlreadyRunning, VariantsBlocked
from api.experiments.models import Experiment

CONTROL = [{"text": "Hello, how can I help you today?"}]
CHALLENGER = [{"text": "Hi there! What can I do for you?"}]


def _experiment(session: Session, challenger: list[dict[str, str]] = CHALLENGER) -> Experiment:
    return service.create(session, "utter_greet_test", [(50, CONTROL), (50, challenger)], "verified", 10)


def test_a_non_compliant_variant_blocks_the_start(session: Session) -> None:
    experiment = _experiment(session, [{"text": "Pay now or we will have you arrested."}])

    with pytest.raises(VariantsBlocked) as blocked:
        service.start(session, experiment, utcnow())

    assert experiment.status == "draft" and "variant 1" in str(blocked.value)


def test_one_running_experiment_per_response(session: Session) -> None:
    service.start(session, _experiment(session), utcnow())

    with pytest.raises(AlreadyRunning):
        service.start(session, _experiment(session), utcnow())


def test_exposure_is_recorded_once_and_kept_after_stopping(session: Session) -> None:
    experiment = _experiment(session)
    service.start(session, experiment, utcnow())

    first = service.assign(session, experiment, "conversation-1")
    again = service.assign(session, experiment, "conversation-1")
    service.stop(experiment, utcnow())
    session.commit()

    assert first.id == again.id
    assert service.exposures(session, experiment)[first.id] == ["conversation-1"]
    assert experiment.status == "stopped"
