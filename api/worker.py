"""The worker: `python -m api.worker` sends queued outbox messages through Twilio (api.messaging.sender)
and, when SMTP_HOST is set, emails over SMTP (api.messaging.email_sender), escalates handoffs nobody
claimed in time (api.handoffs.timeouts, every HANDOFF_TIMEOUT_POLL_SECONDS), ingests Rasa's event broker
into the review tables (api.insights.ingest, every INSIGHTS_INGEST_SECONDS when EVENT_BROKER_URL is set) and
deletes old conversations (api.privacy.retention), forever.

Without Twilio settings and with --idle-if-unconfigured (the Procfile's way) it sends no SMS but still
escalates handoffs and sends email: webchat debtors are told through Rasa, SMS notices wait in the outbox.
"""

import argparse
import logging
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from api.core.config import Settings, get_settings
from api.core.db import get_session_factory
from api.handoffs import timeouts as handoff_timeouts
from api.handoffs.rasa_client import RasaClient
from api.insights import ingest as insights_ingest
from api.messaging.email_sender import Mailer, SmtpConfig, send_pending_email
from api.messaging.sender import SenderConfig, SendReport, send_pending
from api.messaging.twilio import make_client, missing_sender_settings
from api.metrics import exporter
from api.privacy.retention import start_in_background
from shared import heartbeat

logger = logging.getLogger(__name__)

WORKER_HEARTBEAT = "worker"
"""The heartbeat's name (shared.heartbeat): `python3 -m stack probe worker` reads its age."""


class TimeoutDuty:
    """The unclaimed-handoff pass, due every HANDOFF_TIMEOUT_POLL_SECONDS (the first one at once)."""

    def __init__(self, settings: Settings) -> None:
        self._settings, self._rasa = settings, RasaClient.from_settings(settings)
        self._due = time.monotonic()

    def run_if_due(self) -> None:
        """Escalate overdue handoffs if a pass is due."""
        if time.monotonic() < self._due:
            return
        handoff_timeouts.run_pass(self._settings, self._rasa)
        self._due = time.monotonic() + self._settings.HANDOFF_TIMEOUT_POLL_SECONDS

    def seconds_until_due(self) -> float:
        """How long the worker may sleep before the next pass."""
        return max(0.0, self._due - time.monotonic())


class IngestDuty:
    """The insights ingest, due every INSIGHTS_INGEST_SECONDS (the first at once); idle without a broker."""

    def __init__(self, settings: Settings) -> None:
        self._settings, self._due = settings, time.monotonic()
        self._enabled = bool(settings.EVENT_BROKER_URL)

    def run_if_due(self) -> None:
        """Ingest what Rasa published since the last pass, if a pass is due."""
        if not self._enabled or time.monotonic() < self._due:
            return
        try:
            with get_session_factory(self._settings.DATABASE_URL)() as session:
                insights_ingest.run_pass(self._settings, session, datetime.now(UTC))
        except SQLAlchemyError as error:  # Rasa has not created its table yet, or a database is down
            logger.warning("insights ingest failed", extra={"error": type(error).__name__})
        self._due = time.monotonic() + self._settings.INSIGHTS_INGEST_SECONDS

    def seconds_until_due(self) -> float:
        """How long the worker may sleep before the next pass."""
        return max(0.0, self._due - time.monotonic()) if self._enabled else float("inf")


def _outbox_pass(settings: Settings, client: Any, config: SenderConfig) -> SendReport:
    try:
        with get_session_factory(settings.DATABASE_URL)() as session:
            return send_pending(session, client, datetime.now(UTC), config)
    except SQLAlchemyError as error:
        logger.error("outbox pass failed", extra={"error": type(error).__name__})
        return SendReport()


def _email_pass(settings: Settings, smtp: SmtpConfig, config: SenderConfig) -> SendReport:
    """One pass over the email queue on one SMTP connection (opened only when something is due)."""
    try:
        with get_session_factory(settings.DATABASE_URL)() as session, Mailer(smtp) as mailer:
            return send_pending_email(session, mailer, datetime.now(UTC), config, settings)
    except SQLAlchemyError as error:
        logger.error("email pass failed", extra={"error": type(error).__name__})
        return SendReport()


def run(settings: Settings, once: bool, stop: threading.Event, send_sms: bool = True) -> None:
    """Pass after pass until stopped; with `once`, until a pass finds nothing due.

    `send_sms` False (Twilio not configured): no SMS; email goes whenever SMTP_HOST is set.
    """
    client = make_client(settings) if send_sms else None
    smtp = SmtpConfig.from_settings(settings)
    config, timeouts, ingest = (
        SenderConfig.from_settings(settings),
        TimeoutDuty(settings),
        IngestDuty(settings),
    )
    while not stop.is_set():
        heartbeat.beat(settings.HEARTBEAT_DIR, WORKER_HEARTBEAT)
        timeouts.run_if_due()
        ingest.run_if_due()
        report = _outbox_pass(settings, client, config) if send_sms else SendReport()
        if smtp is not None:
            report = report + _email_pass(settings, smtp, config)
        if once and report.handled == 0:
            return
        if report.handled == 0:
            idle = settings.OUTBOX_POLL_SECONDS if send_sms or smtp else float("inf")
            due = min(timeouts.seconds_until_due(), ingest.seconds_until_due())
            stop.wait(min(idle, due, settings.HEARTBEAT_SECONDS))


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m api.worker`."""
    parser = argparse.ArgumentParser(prog="python -m api.worker", description=__doc__)
    parser.add_argument(
        "--once", action="store_true", help="handoff timeouts once, SMS until none is due, then exit"
    )
    parser.add_argument(
        "--idle-if-unconfigured",
        action="store_true",
        help="without Twilio settings, keep running (handoff timeouts only) instead of exiting",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings, stop = get_settings(), threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    start_in_background(settings, stop)  # retention (api.retention), also while the SMS sender idles
    exporter.serve_if_configured(settings)
    missing = missing_sender_settings(settings)
    if missing:
        logger.error("SMS worker not configured, missing: %s", ", ".join(missing))
        if not args.idle_if_unconfigured:
            return 2
        logger.info("sending no SMS; retention and unclaimed-handoff escalation still run")
    run(settings, args.once, stop, send_sms=not missing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
