"""The dry run: whom a campaign would reach now, and every reason the compliance gate suppresses one."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.campaigns import dry_run, templates
from api.campaigns.models import CampaignSend
from api.collections.models import AccountFlag, Dispute
from api.compliance import gate as compliance
from api.conversations.models import Contact, OutboundMessage
from api.core.config import Settings
from tests.api.campaigns.helpers import NOON_NEW_YORK, add_account, add_campaign
from tests.api.row_factories import sms_row

NEW_YORK = "+12125550147"
GATE = compliance.DEFAULT_CONFIG


def _run(session: Session, settings: Settings, **campaign: object) -> dry_run.DryRunOut:
    return dry_run.run(session, settings, add_campaign(session, **campaign), NOON_NEW_YORK, GATE)  # type: ignore[arg-type]


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

    result = _run(session, settings)

    assert (result.evaluated, result.reachable, result.suppressed) == (2, 1, 1)
    assert session.scalar(select(func.count()).select_from(OutboundMessage)) == 0
    assert session.scalar(select(func.count()).select_from(CampaignSend)) == 0
    assert session.scalar(select(func.count()).select_from(Contact)) == 0
