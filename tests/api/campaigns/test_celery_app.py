"""Celery's configuration from the settings: a server-less default for one machine, Redis in production."""

from pathlib import Path

import pytest

from api.campaigns import tasks
from api.campaigns.celery_app import (
    HEARTBEAT_TASK,
    PLAN_TASK,
    REDIS_VISIBILITY_TIMEOUT_SECONDS,
    celery_config,
)
from api.core.config import Settings
from shared import heartbeat
from tests.factories import API_TOKEN, SECRET_KEY


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, API_TOKEN=API_TOKEN, SECRET_KEY=SECRET_KEY, **values)  # type: ignore[arg-type]


def test_the_default_broker_is_a_folder_every_process_on_the_machine_shares(tmp_path: Path) -> None:
    config = celery_config(_settings(CELERY_FILESYSTEM_FOLDER=str(tmp_path / "celery")))

    options = config["broker_transport_options"]
    assert config["broker_url"] == "filesystem://"
    assert options["data_folder_in"] == options["data_folder_out"] == str(tmp_path / "celery" / "queue")
    assert (tmp_path / "celery" / "queue").is_dir()


def test_redis_keeps_waiting_sends_from_being_handed_out_twice() -> None:
    config = celery_config(_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/12"))

    assert config["broker_transport_options"] == {"visibility_timeout": REDIS_VISIBILITY_TIMEOUT_SECONDS}
    assert REDIS_VISIBILITY_TIMEOUT_SECONDS > 25 * 3600  # the longest a send waits for its window


def test_tasks_are_acknowledged_after_they_ran_and_beat_runs_the_planner(tmp_path: Path) -> None:
    config = celery_config(
        _settings(CAMPAIGN_PLAN_INTERVAL_SECONDS=60, CELERY_FILESYSTEM_FOLDER=str(tmp_path))
    )

    assert (config["task_acks_late"], config["task_reject_on_worker_lost"]) == (True, True)
    assert config["beat_schedule"]["plan-campaigns"] == {"task": PLAN_TASK, "schedule": 60}


def test_beat_schedules_the_heartbeat_the_readiness_probe_reads(tmp_path: Path) -> None:
    """beat -> broker -> worker: the task runs only when the whole chain does."""
    settings = _settings(
        HEARTBEAT_SECONDS=7, HEARTBEAT_DIR=str(tmp_path), CELERY_FILESYSTEM_FOLDER=str(tmp_path)
    )

    assert celery_config(settings)["beat_schedule"]["heartbeat"] == {"task": HEARTBEAT_TASK, "schedule": 7}


def test_the_heartbeat_task_records_that_the_worker_ran_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEARTBEAT_DIR", str(tmp_path))
    monkeypatch.setenv("API_TOKEN", API_TOKEN)
    monkeypatch.setenv("SECRET_KEY", SECRET_KEY)

    tasks.beat_heartbeat.apply()

    assert heartbeat.fresh(tmp_path, tasks.CAMPAIGNS_HEARTBEAT, 60)


def test_beat_has_a_folder_for_its_schedule_with_a_redis_broker(tmp_path: Path) -> None:
    """beat died at startup (FileNotFoundError) when the broker was Redis: the folder was never made."""
    folder = tmp_path / "not-yet"
    settings = _settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/12", CELERY_FILESYSTEM_FOLDER=str(folder))

    schedule = Path(celery_config(settings)["beat_schedule_filename"])

    assert schedule.parent == folder and folder.is_dir()
