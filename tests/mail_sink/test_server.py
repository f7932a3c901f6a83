"""The mail sink: a real smtplib client in, the page and JSON out."""

import json
import smtplib
import urllib.error
import urllib.request
from email.message import EmailMessage

import pytest

from mail_sink.__main__ import parse
from mail_sink.server import MailSink


def _mail(subject: str = "Your reminder", html: str = "<p>Hello</p>") -> EmailMessage:
    mime = EmailMessage()
    mime["From"], mime["To"], mime["Subject"] = "notices@example.org", "debtor@example.com", subject
    mime["List-Unsubscribe"] = "<https://example.org/unsubscribe/abc>"
    mime["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mime.set_content("Hello in plain text")
    mime.add_alternative(html, subtype="html")
    return mime


def _send(sink: MailSink, mime: EmailMessage) -> None:
    with smtplib.SMTP(sink.host, sink.smtp_port, timeout=5) as smtp:
        smtp.send_message(mime)


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (http://127.0.0.1 only)
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_a_mail_sent_over_smtp_is_kept_with_its_envelope_and_parts(sink: MailSink) -> None:
    _send(sink, _mail())

    [mail] = sink.store.wait_for(1)
    assert mail.recipients == ("debtor@example.com",)
    assert mail.subject == "Your reminder"
    assert mail.part("plain") == "Hello in plain text\n"
    assert mail.part("html") == "<p>Hello</p>\n"
    assert mail.message.get_content_type() == "multipart/alternative"


def test_the_json_view_lists_every_mail_with_headers_and_parts(sink: MailSink) -> None:
    _send(sink, _mail("first"))
    _send(sink, _mail("second"))
    sink.store.wait_for(2)

    status, kind, body = _get(f"{sink.http_url}/api/messages")

    assert (status, kind) == (200, "application/json")
    mails = json.loads(body)
    assert [mail["subject"] for mail in mails] == ["first", "second"]
    assert mails[0]["headers"]["List-Unsubscribe"] == "<https://example.org/unsubscribe/abc>"


def test_the_pages_escape_what_a_mail_contains_and_sandbox_its_html(sink: MailSink) -> None:
    _send(sink, _mail("<script>alert(1)</script>", html='<p onclick="x()">hi</p><script>alert(2)</script>'))
    [mail] = sink.store.wait_for(1)

    _, _, mailbox = _get(f"{sink.http_url}/")
    status, _, page = _get(f"{sink.http_url}/messages/{mail.id}")

    assert "<script>" not in mailbox and "&lt;script&gt;alert(1)&lt;/script&gt;" in mailbox
    assert status == 200
    assert "<script>" not in page
    assert '<iframe sandbox srcdoc="&lt;p onclick=&#34;x()&#34;&gt;hi&lt;/p&gt;' in page
    assert 'href="https://example.org/unsubscribe/abc"' in page
    assert '<form method="post" action="https://example.org/unsubscribe/abc">' in page


def test_the_raw_message_and_a_missing_one(sink: MailSink) -> None:
    _send(sink, _mail())
    [mail] = sink.store.wait_for(1)

    status, kind, raw = _get(f"{sink.http_url}/messages/{mail.id}.eml")
    missing, _, _ = _get(f"{sink.http_url}/messages/999")

    assert (status, kind) == (200, "message/rfc822")
    assert "Subject: Your reminder" in raw
    assert missing == 404


@pytest.mark.parametrize(
    ("stage", "reply", "error"),
    [
        ("DATA", "451 4.3.0 Try again later", smtplib.SMTPDataError),
        ("RCPT", "550 5.1.1 No such user", smtplib.SMTPRecipientsRefused),
    ],
)
def test_failures_can_be_injected_for_the_senders_tests(
    sink: MailSink, stage: str, reply: str, error: type[Exception]
) -> None:
    sink.handler.fail_next(reply, stage=stage)

    with pytest.raises(error):
        _send(sink, _mail())
    _send(sink, _mail("after"))

    assert [mail.subject for mail in sink.store.wait_for(1)] == ["after"]


def test_ports_come_from_the_command_line_or_the_environment() -> None:
    from_env = parse([], {"MAIL_SINK_SMTP_PORT": "2525", "MAIL_SINK_HTTP_PORT": ""})
    from_args = parse(["--smtp-port", "1025", "--http-port", "1080"], {})

    assert (from_env.smtp_port, from_env.http_port) == (2525, 8027)
    assert (from_args.smtp_port, from_args.http_port) == (1025, 1080)


def test_only_a_web_unsubscribe_link_is_offered(sink: MailSink) -> None:
    mime = _mail()
    mime.replace_header("List-Unsubscribe", "<javascript:alert(1)>")
    _send(sink, mime)
    [mail] = sink.store.wait_for(1)

    _, _, page = _get(f"{sink.http_url}/messages/{mail.id}")

    assert "Unsubscribe link" not in page and "<form" not in page
