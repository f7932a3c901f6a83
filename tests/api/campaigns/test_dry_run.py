"""The dry run: whom a campaign would reach now, and every reason the compliance gate suppresses one."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.accounts.models import ContactPreference
from api.campaigns import dry_run, dry_runs, templates
from api.campaigns.models import CampaignSend
from api.campaigns.schemas import ChannelDryRunOut, DryRunOut
from api.collections.models import AccountFlag, Dispute
from api.compliance import gate as compliance
from api.conversations.models import Contact, OutboundMessage
from api.core.config import Settings
from tests.api.campaigns.helpers import BOTH_CHANNELS, NOON_NEW_YORK, add_account, add_campaign
from tests.api.row_factories import sms_row

NEW_YORK = "+12125550147"
GATE = compliance.DEFAULT_CONFIG


def _trial(session: Session, settings: Settings, **campaign: object) -> DryRunOut:
    return dry_run.run(session, settings, add_campaign(session, **campaign), NOON_NEW_YORK, GATE)  # type: ignore[arg-type]


def _run(session: Session, settings: Settings, **campaign: object) -> ChannelDryRunOut:
    """The SMS figures of a dry run."""
    return _trial(session, settings, **campaign).channels["sms"]


def test_an_account_nothing_objects_to_is_reachable(session: Session, settings: Settings) -> None:
    add_account(session, phone=NEW_YORK)

    result = _run(session, settings)

    assert (result.evaluated, result.reachable, result.suppressed, result.reasons) == (1, 1, 0, {})


def test_opted_out(session: Session, settings: Settings) -> None:
    add_account(session, phone=NEW_YORK)
    session.add(Contact(channel="sms", address=NEW_YORK, conversation_id="c-out", opted_out=True))
    session.commit()

    assert _run(session, settings).reasons == {"opted_out": 1}


def test_outside_contact_hours_in_the_debtors_zone(session: Session, settings: Settings) -> None:
    add_account(session, phone="+447700900123", time_zone="Asia/Tokyo")  # 02:00 in Tokyo

    assert _run(session, settings).reasons == {"outside_contact_hours": 1}


def test_frequency_cap_reached(session: Session, settings: Settings) -> None:
    add_account(session, phone=NEW_YORK)
    for day in range(1, 8):
        sent = NOON_NEW_YORK - timedelta(days=day, hours=-1)
        session.add(
            sms_row(
                to_address=NEW_YORK,
                conversation_id="c-cap",
                kind="reminder",
                body="hi",
                status="sent",
                initiated=True,
                sent_at=sent,
                created_at=sent,
                attempts=1,
                block_reasons=[],
            )
        )
    session.commit()

    assert _run(session, settings).reasons == {"frequency_cap_reached": 1}


def test_dispute_pending_validation(session: Session, settings: Settings) -> None:
    account = add_account(session, phone=NEW_YORK)
    session.add(Dispute(account_id=account.id, reason="not_mine", status="open"))
    session.commit()

    assert _run(session, settings).reasons == {"dispute_pending_validation": 1}


@pytest.mark.parametrize("flag", ["attorney", "bankruptcy", "deceased"])
def test_collection_stopped_by_a_flag(session: Session, settings: Settings, flag: str) -> None:
    account = add_account(session, phone=NEW_YORK)
    session.add(AccountFlag(account_id=account.id, flag=flag))
    session.commit()

    assert _run(session, settings).reasons == {f"collection_stopped:{flag}": 1}


def test_time_barred_accounts_get_no_mention_of_court(
    session: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(templates.REMINDERS, "utter_test_court", "Reply before your court date.")
    add_account(session, phone=NEW_YORK, time_barred=True)
    add_account(session, phone="+13125550188")
    steps = [{"day_offset": 0, "messages": {"sms": "utter_test_court"}}]

    result = _run(session, settings, steps=steps)

    assert (result.reachable, result.reasons) == (1, {"forbidden_language:time_barred_legal_mention": 1})


def test_counts_add_up_and_nothing_is_written(session: Session, settings: Settings) -> None:
    add_account(session, phone=NEW_YORK)
    flagged = add_account(session)
    session.add(AccountFlag(account_id=flagged.id, flag="deceased"))
    session.commit()

    trial = _trial(session, settings, steps=BOTH_CHANNELS)
    result = trial.channels["sms"]

    assert (trial.evaluated, result.evaluated, result.reachable, result.suppressed) == (2, 2, 1, 1)
    assert trial.channels["email"].reasons == {"no_email_address": 2}
    assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 0
    assert session.scalar(select(func.count()).select_from(CampaignSend)) == 0
    assert session.scalar(select(func.count()).select_from(Contact)) == 0


def test_an_email_step_reaches_a_debtor_with_an_address_on_file(session: Session, settings: Settings) -> None:
    add_account(session, phone=NEW_YORK, email="Jordan.Rivera@example.com")
    add_account(session)

    result = _trial(session, settings, steps=BOTH_CHANNELS)

    assert result.channels["email"] == ChannelDryRunOut(
        evaluated=2, reachable=1, suppressed=1, reasons={"no_email_address": 1}
    )
    assert (result.channels["sms"].reachable, result.channels["sms"].suppressed) == (2, 0)


def test_an_email_unsubscribe_suppresses_the_email_and_the_sms_reminder(
    session: Session, settings: Settings
) -> None:
    add_account(session, phone=NEW_YORK, email="jordan@example.com")
    session.add(
        Contact(channel="email", address="jordan@example.com", conversation_id="c-mail", opted_out=True)
    )
    session.commit()

    result = _trial(session, settings, steps=BOTH_CHANNELS)

    assert result.channels["email"].reasons == {"opted_out": 1}
    assert result.channels["sms"].reasons == {"reminders_opted_out": 1}


def test_an_address_that_bounced_is_named_as_undeliverable(session: Session, settings: Settings) -> None:
    add_account(session, phone=NEW_YORK, email="gone@example.com")
    bounced = Contact(
        channel="email", address="gone@example.com", conversation_id="c-gone", undeliverable_at=NOON_NEW_YORK
    )
    session.add(bounced)
    session.commit()

    result = _trial(session, settings, steps=BOTH_CHANNELS)

    assert result.channels["email"].reasons == {"email_undeliverable": 1}
    assert result.channels["sms"].reasons == {}


def test_email_keeps_the_debtors_contact_hours(session: Session, settings: Settings) -> None:
    """Reg F 1006.6(b)(1): the inconvenient-time rule covers email too (no TCPA hours, same Reg F hours)."""
    add_account(session, phone="+447700900123", time_zone="Asia/Tokyo", email="tokyo@example.com")

    result = _trial(session, settings, steps=BOTH_CHANNELS)

    assert result.channels["email"].reasons == {"outside_contact_hours": 1}


def test_a_long_dry_run_reports_its_progress(session: Session, settings: Settings) -> None:
    for n in range(3):
        add_account(session, phone=f"+1212555014{n}")
    seen: list[int] = []

    result = dry_run.run(session, settings, add_campaign(session), NOON_NEW_YORK, GATE, seen.append, every=2)

    assert (seen, result.evaluated) == ([2], 3)


def test_a_dry_run_job_counts_its_accounts_then_keeps_its_result(
    session: Session, settings: Settings
) -> None:
    add_account(session, phone=NEW_YORK)
    campaign = add_campaign(session)
    job = dry_runs.create(session, campaign, None, NOON_NEW_YORK)
    session.commit()
    assert (job.status, job.total, job.evaluated, job.result) == ("queued", 1, 0, None)

    done = dry_runs.execute(session, settings, job.id, NOON_NEW_YORK, GATE)

    assert done is not None and (done.status, done.evaluated) == ("done", 1)
    assert DryRunOut.model_validate(done.result).channels["sms"].reachable == 1
    assert dry_runs.execute(session, settings, job.id, NOON_NEW_YORK, GATE) is done  # never run twice


@pytest.mark.parametrize(("refused", "allowed"), [("sms", "email"), ("email", "sms")])
def test_a_refused_medium_is_named_and_the_other_channel_stays_reachable(
    session: Session, settings: Settings, refused: str, allowed: str
) -> None:
    """Reg F 1006.14(h): "don't text me, email me instead" suppresses the SMS step only (and the reverse)."""
    account = add_account(session, phone=NEW_YORK, email="jordan@example.com")
    session.add(
        ContactPreference(
            debtor_id=account.debtor_id,
            inconvenient_weekdays=[],
            inconvenient_hours=[],
            refused_channels=[refused],
            preferred_channel=allowed,
        )
    )
    session.commit()

    result = _trial(session, settings, steps=BOTH_CHANNELS)

    assert result.channels[refused].reasons == {"channel_refused": 1}
    assert (result.channels[allowed].reachable, result.channels[allowed].reasons) == (1, {})
