"""The worker process (the Procfile's `python -m api.worker --idle-if-unconfigured`) escalates handoffs
nobody claimed in time: with or without Twilio, once or pass after pass."""

import os
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from api.core.config import Settings
from api.handoffs.models import Handoff
from api.worker import WORKER_HEARTBEAT
from shared import heartbeat
from tests.api.conftest import API_PUBLIC_URL, FROM_NUMBER
from tests.api.handoff_helpers import create_handoff
from tests.api.sms_helpers import inbound
from tests.factories import phone_number
from tests.fakes.rasa_server import FakeRasa
from tests.fakes.twilio_server import FakeTwilio

REPO_ROOT = Path(__file__).resolve().parents[3]
API_PYTHON = REPO_ROOT / ".venv" / "api" / "bin" / "python"
NOTICE = "A member of our team will contact you"


def _env(settings: Settings, fake_rasa: FakeRasa, **extra: str) -> dict[str, str]:
    """The worker's environment as the Procfile gives it: no Twilio unless `extra` adds it."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO_ROOT),
        "DATABASE_URL": settings.DATABASE_URL,
        "API_TOKEN": settings.API_TOKEN.get_secret_value(),
        "SECRET_KEY": settings.SECRET_KEY.get_secret_value(),
        "RASA_URL": fake_rasa.url,
        "RASA_TOKEN": fake_rasa.token,
        "HANDOFF_CLAIM_TIMEOUT_MINUTES": "5",
        **extra,
    }


def _make_overdue(session: Session, handoff_id: str) -> None:
    """Age the handoff past the claim timeout."""
    hours_ago = datetime.now(UTC) - timedelta(hours=1)
    session.execute(update(Handoff).where(Handoff.id == handoff_id).values(created_at=hours_ago))
    session.commit()


def _escalated(session: Session, handoff_id: str) -> bool:
    row = session.get(Handoff, handoff_id, populate_existing=True)
    return row is not None and row.escalated_at is not None


def _worker(env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    command = [str(API_PYTHON), "-m", "api.worker", *args]
    return subprocess.run(command, cwd=tmp_path, env=env, timeout=60, capture_output=True)


def test_without_twilio_the_worker_still_tells_a_waiting_webchat_debtor(
    client: TestClient, settings: Settings, session: Session, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    handoff = create_handoff(client)
    _make_overdue(session, handoff["id"])

    done = _worker(_env(settings, fake_rasa), tmp_path, "--once", "--idle-if-unconfigured")

    assert done.returncode == 0, done.stderr.decode()
    assert _escalated(session, handoff["id"])
    [notice] = fake_rasa.delivered(handoff["conversation_id"])
    assert NOTICE in notice


def test_with_twilio_the_worker_escalates_and_texts_the_notice_in_one_run(
    sms_client: TestClient,
    sms_settings: Settings,
    session: Session,
    fake_rasa: FakeRasa,
    fake_twilio: FakeTwilio,
    tmp_path: Path,
) -> None:
    phone = phone_number()
    conversation = inbound(sms_client, phone, "a person please")["conversation_id"]
    handoff = create_handoff(sms_client, channel="sms", conversation_id=conversation)
    _make_overdue(session, handoff["id"])
    twilio = {
        "API_PUBLIC_URL": API_PUBLIC_URL,
        "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
        "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
        "TWILIO_FROM_NUMBER": FROM_NUMBER,
        "TWILIO_API_BASE_URL": fake_twilio.url,
    }

    done = _worker(_env(sms_settings, fake_rasa, **twilio), tmp_path, "--once")

    assert done.returncode == 0, done.stderr.decode()
    assert _escalated(session, handoff["id"])
    # The debtor texted just now, so the notice is a reply: no contact-hours hold, whatever the time.
    [text] = fake_twilio.sent_to(phone)
    assert NOTICE in text


def test_the_long_running_worker_escalates_a_handoff_that_becomes_overdue_later(
    client: TestClient, settings: Settings, session: Session, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    env = _env(settings, fake_rasa, HANDOFF_TIMEOUT_POLL_SECONDS="0.2")
    worker = subprocess.Popen(
        [str(API_PYTHON), "-m", "api.worker", "--idle-if-unconfigured"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        handoff = create_handoff(client)
        _make_overdue(session, handoff["id"])

        delivered = fake_rasa.wait_for_delivery(handoff["conversation_id"], timeout=30)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode()

    assert worker.returncode == 0, output
    assert len(delivered) == 1 and NOTICE in delivered[0], output
    assert _escalated(session, handoff["id"])


def test_every_pass_of_the_worker_beats_its_heartbeat(
    settings: Settings, fake_rasa: FakeRasa, tmp_path: Path
) -> None:
    """The readiness probe of a process with no port (`python3 -m stack probe worker`) reads this."""
    beats = tmp_path / "beats"

    done = _worker(
        _env(settings, fake_rasa, HEARTBEAT_DIR=str(beats)), tmp_path, "--once", "--idle-if-unconfigured"
    )

    assert done.returncode == 0, done.stderr.decode()
    assert heartbeat.fresh(beats, WORKER_HEARTBEAT, 60)
