"""The Celery application of campaigns: `celery -A api.campaigns.celery_app worker` and `... beat`.

Its configuration comes from the API settings, read when Celery first needs it (never at import).
Production: Redis (CELERY_BROKER_URL=redis://host:6379/N), shared by any number of workers on any number
of machines. The embedded default, `filesystem://`, is kombu's filesystem transport: every message is a
file in CELERY_FILESYSTEM_FOLDER, taken by one consumer under a file lock, so a worker and beat started
as separate processes on one machine share a queue without a server to run (what `make run` needs).
Tasks are acknowledged after they ran (acks_late) and given back if their worker dies; the database
(sending.deliver) makes a second run harmless and the planner schedules again what a dead worker lost.
"""

from pathlib import Path
from typing import Any

from celery import Celery

from api.core.config import Settings, get_settings

PLAN_TASK = "campaigns.plan"
SEND_TASK = "campaigns.send"
BATCH_TASK = "campaigns.send_bucket"
INJECT_TASK = "campaigns.inject_reminder"
DRY_RUN_TASK = "campaigns.dry_run"
HEARTBEAT_TASK = "campaigns.heartbeat"
QUEUE = "campaigns"


REDIS_VISIBILITY_TIMEOUT_SECONDS = 2 * 24 * 3600
"""Redis hands an unacknowledged task to another worker after this long. A send waits at most about a day
for its window, so a longer timeout keeps waiting sends from being handed out twice; a task lost with a
killed worker comes back sooner through the planner (CAMPAIGN_RESCHEDULE_AFTER_SECONDS)."""


def _transport_options(settings: Settings) -> dict[str, Any]:
    """The filesystem transport's folders (created here), Redis's visibility timeout."""
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return {"visibility_timeout": REDIS_VISIBILITY_TIMEOUT_SECONDS}
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return {}
    folder = Path(settings.CELERY_FILESYSTEM_FOLDER)
    (folder / "queue").mkdir(parents=True, exist_ok=True)
    (folder / "processed").mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
    }


def _beat_schedule_file(settings: Settings) -> str:
    """Where beat keeps its schedule's state, in a folder that exists whatever the broker (Redis too)."""
    folder = Path(settings.CELERY_FILESYSTEM_FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / "beat-schedule")


def celery_config(settings: Settings) -> dict[str, Any]:
    """Celery's settings from ours."""
    return {
        "broker_url": settings.CELERY_BROKER_URL,
        "broker_transport_options": _transport_options(settings),
        "broker_connection_retry_on_startup": True,
        "task_default_queue": QUEUE,
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_hijack_root_logger": False,
        "timezone": "UTC",
        "enable_utc": True,
        "beat_schedule": {
            "plan-campaigns": {"task": PLAN_TASK, "schedule": settings.CAMPAIGN_PLAN_INTERVAL_SECONDS},
            # beat -> broker -> worker: a fresh heartbeat proves the whole chain runs (shared.heartbeat)
            "heartbeat": {"task": HEARTBEAT_TASK, "schedule": settings.HEARTBEAT_SECONDS},
        },
        "beat_schedule_filename": _beat_schedule_file(settings),
    }


app = Celery("campaigns", include=["api.campaigns.tasks"], set_as_current=False)
app.add_defaults(lambda: celery_config(get_settings()))
