"""RFC 8058 one-click unsubscribe: the signed link, its pages, and the opt-out the gate honours on email
and on the next SMS reminder."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.accounts.models import AccountEvent
from api.conversations.models import Contact, OutboundMessage
from api.core.config import Settings
from mail_sink.server import MailSink
from tests.api.compliance_helpers import debtor_writes, pin_clock
from tests.api.messaging.conftest import EMAIL_AT, debtor_account, email_pass, queue_email
from tests.api.sms_helpers import outbound
from tests.factories import phone_number

ADDRESS = "sam.chen@example.com"
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@dataclass(frozen=True)
class Mailed:
    """An account whose debtor got one email, and the path of that email's List-Unsubscribe link."""

    account: str
    path: str


MailLink = Callable[..., Mailed]


@pytest.fixture
def mail_link(
    email_client: TestClient, email_settings: Settings, session: Session, mail_sink: MailSink
) -> MailLink:
    """Send one email to a new account's debtor (`debtor` overrides their fields); its account and link."""

    def send(debtor: dict[str, Any] | None = None) -> Mailed:
        account = debtor_account(email_client, ADDRESS, debtor=debtor)
        queue_email(email_client, account)
        assert email_pass(session, email_settings).sent == 1
        header = mail_sink.store.wait_for(1)[-1].message["List-Unsubscribe"]
        return Mailed(account, urlsplit(header.strip("<>")).path)

    return send


@pytest.fixture
def mailed(mail_link: MailLink) -> Mailed:
    """One email sent to a new account's debtor."""
    return mail_link()


def _contact(session: Session) -> Contact:
    contact = session.scalars(select(Contact).where(Contact.address == ADDRESS)).one()
    session.refresh(contact)
    return contact


def _opt_out_events(session: Session, account: str) -> list[dict[str, str]]:
    query = select(AccountEvent.data).where(
        AccountEvent.account_id == account, AccountEvent.type == "contact.opted_out"
    )
    return list(session.scalars(query))


def test_the_link_opens_a_confirmation_page_whose_button_posts_and_nothing_changes_before(
    mailed: Mailed, browser: TestClient, session: Session
) -> None:
    page = browser.get(mailed.path)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert f'<form method="post" action="{mailed.path}">' in page.text
    assert '<button type="submit">Unsubscribe</button>' in page.text
    assert not _contact(session).opted_out


def test_one_click_post_unsubscribes_without_login_once_and_records_the_event(
    mailed: Mailed, browser: TestClient, session: Session
) -> None:
    first = browser.post(mailed.path, data=ONE_CLICK)
    again = browser.post(mailed.path, data=ONE_CLICK)
    page = browser.get(mailed.path)

    assert (first.status_code, again.status_code, page.status_code) == (200, 200, 200)
    assert "You are unsubscribed. You will get no more emails" in first.text
    assert "You were already unsubscribed" in again.text and "already unsubscribed" in page.text
    contact = _contact(session)
    assert (contact.opted_out, contact.opt_out_source) == (True, "email_link")
    assert _opt_out_events(session, mailed.account) == [{"channel": "email", "source": "email_link"}]


def test_after_unsubscribing_the_next_email_is_blocked_and_a_queued_one_is_stopped_before_sending(
    mailed: Mailed,
    email_client: TestClient,
    browser: TestClient,
    email_settings: Settings,
    session: Session,
    mail_sink: MailSink,
) -> None:
    waiting = queue_email(email_client, mailed.account, body="Queued before the unsubscribe.")

    browser.post(mailed.path, data=ONE_CLICK)
    report = email_pass(session, email_settings, EMAIL_AT + timedelta(minutes=1))
    later = queue_email(email_client, mailed.account, body="Step 2 of the campaign.")

    assert report.blocked == 1
    assert session.get(OutboundMessage, waiting["id"], populate_existing=True).status == "blocked"  # type: ignore[union-attr]
    assert (later["status"], later["reasons"]) == ("blocked", ["opted_out"])
    assert len(mail_sink.store.all()) == 1


@pytest.fixture
def texter(mail_link: MailLink, browser: TestClient) -> tuple[str, str]:
    """A debtor with a phone number who unsubscribed through the email link: (phone, account)."""
    phone = phone_number()
    mailed = mail_link(debtor={"phone": phone})
    browser.post(mailed.path, data=ONE_CLICK)
    return phone, mailed.account


def _reminder_two_days_on(client: TestClient, phone: str, account: str) -> dict[str, Any]:
    """Two days after the first email, queue an SMS payment reminder to the debtor."""
    pin_clock(client, EMAIL_AT + timedelta(days=2))
    return outbound(client, to=phone, kind="reminder", account_id=account, body="Your payment is due.")


def test_an_email_unsubscribe_stops_the_next_sms_reminder_but_not_replies_to_the_debtors_texts(
    texter: tuple[str, str], email_client: TestClient
) -> None:
    phone, account = texter

    reminder = _reminder_two_days_on(email_client, phone, account)
    sid = debtor_writes(email_client, EMAIL_AT + timedelta(days=2, minutes=1), phone, "can I pay on Friday?")
    reply = outbound(email_client, to=phone, kind="reply", in_reply_to=sid, body="Friday works.")

    assert (reminder["status"], reminder["reasons"]) == ("blocked", ["reminders_opted_out"])
    assert reply["status"] == "queued"


def test_texting_start_after_an_email_unsubscribe_brings_back_sms_reminders_only(
    texter: tuple[str, str], email_client: TestClient
) -> None:
    phone, account = texter
    debtor_writes(email_client, EMAIL_AT + timedelta(days=1), phone, "START")

    sms = _reminder_two_days_on(email_client, phone, account)
    email = queue_email(email_client, account)

    assert sms["status"] == "queued"
    assert (email["status"], email["reasons"]) == ("blocked", ["opted_out"])


def test_an_sms_stop_also_stops_email_reminders(email_client: TestClient) -> None:
    phone = phone_number()
    account = debtor_account(email_client, ADDRESS, debtor={"phone": phone})
    debtor_writes(email_client, EMAIL_AT, phone, "STOP")
    pin_clock(email_client, EMAIL_AT + timedelta(days=1))

    reminder = queue_email(email_client, account)
    notice = queue_email(email_client, account, kind="system", body="Your plan is confirmed.")

    assert (reminder["status"], reminder["reasons"]) == ("blocked", ["reminders_opted_out"])
    assert notice["status"] == "queued"


def _forged(settings: Settings, path: str) -> str:
    token = path.rsplit("/", 1)[1]
    claims = jwt.decode(token, options={"verify_signature": False})
    return "/unsubscribe/" + jwt.encode(claims, "another-key-0123456789abcdef0123456789", algorithm="HS256")


def _other_purpose(settings: Settings, path: str) -> str:
    claims = {
        **jwt.decode(path.rsplit("/", 1)[1], options={"verify_signature": False}),
        "purpose": "payment-link",
    }
    return "/unsubscribe/" + jwt.encode(claims, settings.SECRET_KEY.get_secret_value(), algorithm="HS256")


@pytest.mark.parametrize(
    "mangle",
    [_forged, _other_purpose, lambda _, path: path[:-6], lambda _, path: "/unsubscribe/not-a-token"],
    ids=["forged", "other-purpose", "cut-short", "garbage"],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_forged_or_mangled_link_is_400_with_a_clear_page_and_changes_nothing(
    mailed: Mailed,
    browser: TestClient,
    email_settings: Settings,
    session: Session,
    mangle: Callable[[Settings, str], str],
    method: str,
) -> None:
    path = mangle(email_settings, mailed.path)

    response = browser.request(method, path, data=ONE_CLICK if method == "POST" else None)

    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.text and "nothing was changed" in response.text
    assert email_settings.COLLECTOR_PHONE in response.text
    assert not _contact(session).opted_out


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_expired_link_is_410_with_a_clear_page_and_changes_nothing(
    mailed: Mailed,
    email_client: TestClient,
    browser: TestClient,
    email_settings: Settings,
    session: Session,
    method: str,
) -> None:
    pin_clock(email_client, EMAIL_AT + timedelta(days=email_settings.EMAIL_UNSUBSCRIBE_TTL_DAYS, seconds=2))

    response = browser.request(method, mailed.path, data=ONE_CLICK if method == "POST" else None)

    assert response.status_code == 410
    assert "This unsubscribe link has expired, so nothing was changed." in response.text
    assert not _contact(session).opted_out


def test_the_pages_are_not_cached_framed_or_indexed(mailed: Mailed, browser: TestClient) -> None:
    headers = browser.get(mailed.path).headers

    assert headers["cache-control"] == "no-store"
    assert headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
