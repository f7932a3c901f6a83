"""The sink's bounces: which recipients bounce, the DSN it writes (RFC 3464), and its signed POST to the
intake, tried again while the intake answers 409."""

import smtplib
from email import message_from_bytes
from email.message import EmailMessage, Message
from typing import Any

from mail_sink.__main__ import bounce_config, parse
from mail_sink.bounce import HARD, SOFT, BounceConfig, notification, post, signature
from mail_sink.server import MailSink
from shared.local_server import LocalHandler, LocalServer

RETURN_PATH = "bounces+0b7e3c1e-4a55-4f7e-9d2c-5a1e2b3c4d5e.0123456789abcdef@acme.example"


class Intake(LocalServer):
    """Records each POST; answers the queued statuses first, then 200."""

    def __init__(self, answers: list[int]) -> None:
        super().__init__()
        self.answers, self.received = list(answers), list[tuple[bytes, dict[str, str]]]()

    class Handler(LocalHandler["Intake"]):
        def do_POST(self) -> None:
            self.owner.received.append((self.read_body(), dict(self.headers.items())))
            status = self.owner.answers.pop(0) if self.owner.answers else 200
            self.send_json(status, {})

    handler = Handler


def _blocks(dsn: bytes) -> list[Message]:
    report = message_from_bytes(dsn)
    [status] = [part for part in report.walk() if part.get_content_type() == "message/delivery-status"]
    payload: Any = status.get_payload()
    return list(payload)


def test_recipients_at_the_undeliverable_domains_bounce_hard_or_softly() -> None:
    config = BounceConfig()

    found = [
        config.bounce_for(address) for address in ("a@Bounce.invalid", "b@soft-bounce.invalid", "c@x.org")
    ]

    assert found == [HARD, SOFT, None]


def test_the_notification_is_a_delivery_status_report_to_the_return_path() -> None:
    dsn = notification(RETURN_PATH, "nobody@bounce.invalid", HARD, b"Subject: Hi\r\nTo: x@y\r\n\r\nbody")

    report = message_from_bytes(dsn)
    [per_message, per_recipient] = _blocks(dsn)
    assert (report.get_content_type(), report.get_param("report-type")) == (
        "multipart/report",
        "delivery-status",
    )
    assert report["To"] == RETURN_PATH and report["Message-ID"]
    assert (per_recipient["Action"], per_recipient["Status"]) == ("failed", "5.1.1")
    assert per_message["Reporting-MTA"].startswith("dns;")


def test_the_post_is_signed_and_retried_while_the_intake_answers_409() -> None:
    with Intake([409, 409]) as intake:
        status = post(BounceConfig(intake_url=intake.url, secret="s3cret-s3cret-16"), b"the dsn")

    assert status == 200
    assert [body for body, _ in intake.received] == [b"the dsn"] * 3
    assert intake.received[0][1]["X-Bounce-Signature"] == signature("s3cret-s3cret-16", b"the dsn")


def test_mail_to_an_undeliverable_address_comes_back_and_is_posted() -> None:
    with Intake([]) as intake, MailSink(bounces=BounceConfig(intake_url=intake.url)) as sink:
        mime = EmailMessage()
        mime["From"], mime["To"], mime["Subject"] = "n@acme.example", "nobody@bounce.invalid", "Hi"
        mime.set_content("Hello")
        with smtplib.SMTP(sink.host, sink.smtp_port, timeout=5) as smtp:
            smtp.send_message(mime, from_addr=RETURN_PATH)
        [dsn] = sink.store.wait_for(1)

    assert dsn.recipients == (RETURN_PATH,) and dsn.mail_from == ""
    assert [body for body, _ in intake.received] == [dsn.raw]


def test_the_command_line_names_the_intake_and_the_environment_its_secret() -> None:
    env = {
        "MAIL_SINK_BOUNCE_URL": "http://127.0.0.1:8000/webhooks/email/bounce",
        "EMAIL_BOUNCE_WEBHOOK_SECRET": "k",
    }

    config = bounce_config(parse([], env), env)

    assert (config.intake_url, config.secret) == (env["MAIL_SINK_BOUNCE_URL"], "k")
