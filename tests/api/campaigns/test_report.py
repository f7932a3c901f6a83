"""The campaign report: targeted, suppressed by reason, sent, delivered, replied, converted, opted out."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.campaigns import planner, report, sending
from api.campaigns.models import Campaign, CampaignSend
from api.campaigns.schemas import ChannelReportOut
from api.collections.models import PaymentLink, Promise
from api.compliance import gate as compliance
from api.conversations.models import Contact, InboundMessage, OutboundMessage
from api.core.config import Settings
from api.messaging import outbox
from tests.api.campaigns.helpers import BOTH_CHANNELS, NOON_NEW_YORK, add_account, add_campaign
from tests.api.row_factories import active_plan

LATER = NOON_NEW_YORK + timedelta(hours=1)


def _plan(session: Session, phones: list[str]) -> tuple[Campaign, dict[str, CampaignSend]]:
    """Accounts with these numbers, a campaign, a send planned for each."""
    accounts = {phone: add_account(session, phone=phone, time_zone="America/New_York") for phone in phones}
    campaign = add_campaign(session)
    planner.plan(session, NOON_NEW_YORK, planner.PlanConfig(), lambda *_: None)
    sends = {send.account_id: send for send in session.scalars(select(CampaignSend))}
    return campaign, {phone: sends[account.id] for phone, account in accounts.items()}


def _deliver(session: Session, settings: Settings, sends: dict[str, CampaignSend]) -> None:
    for send in sends.values():
        sending.deliver(session, settings, send.id, NOON_NEW_YORK, compliance.DEFAULT_CONFIG)


def _message(session: Session, send: CampaignSend) -> OutboundMessage:
    session.refresh(send)
    message = session.get(OutboundMessage, send.outbound_message_id)
    assert message is not None
    return message


def test_report_follows_each_message_to_its_outcome(session: Session, settings: Settings) -> None:
    phones = ["+12125550101", "+12125550102", "+12125550103", "+12125550104", "+12125550105"]
    campaign, sends = _plan(session, phones)
    session.add(Contact(channel="sms", address=phones[4], conversation_id="c-stopped", opted_out=True))
    session.commit()  # the fifth debtor opts out between planning and sending
    _deliver(session, settings, sends)
    delivered, replied, paid, stopped = (_message(session, sends[phone]) for phone in phones[:4])
    for message in (delivered, replied, paid, stopped):
        message.status, message.sent_at = "sent", NOON_NEW_YORK
    delivered.status = "delivered"
    session.add(
        InboundMessage(
            channel="sms",
            message_sid="SM-1",
            conversation_id=replied.conversation_id,
            body="friday?",
            received_at=LATER,
        )
    )
    session.add(PaymentLink(account_id=paid.account_id, expires_at=LATER, used_at=LATER))
    session.add(Promise(account_id=replied.account_id, promised_on=LATER.date(), created_at=LATER))
    session.add(active_plan(delivered.account_id, LATER))
    contact = session.scalars(select(Contact).where(Contact.conversation_id == stopped.conversation_id)).one()
    contact.opted_out, contact.opted_out_at = True, LATER
    session.commit()

    figures = report.build(session, campaign)

    assert (figures.targeted, figures.planned, figures.suppressed) == (5, 0, 1)
    assert figures.suppressed_by_reason == {"opted_out": 1}
    assert (figures.sent, figures.delivered, figures.failed, figures.dead_letters) == (4, 1, 0, 0)
    assert figures.replied == 1
    assert figures.converted == {"payment": 1, "plan": 1, "promise": 1}
    assert figures.opted_out == 1


def test_the_report_shows_each_channel_with_email_delivered_and_bounced(
    session: Session, settings: Settings
) -> None:
    for n, email in enumerate(["kept@example.com", "gone@example.com", None]):
        add_account(session, phone=f"+1212555020{n}", email=email)
    campaign = add_campaign(session, steps=BOTH_CHANNELS)
    planner.plan(session, NOON_NEW_YORK, planner.PlanConfig(), lambda *_: None)
    for send in session.scalars(select(CampaignSend)).all():
        sending.deliver(session, settings, send.id, NOON_NEW_YORK, compliance.DEFAULT_CONFIG)
    messages = {message.to_address: message for message in session.scalars(select(OutboundMessage))}
    for address in ("kept@example.com", "gone@example.com", "+12125550200"):
        outbox.mark_sent(session, messages[address], NOON_NEW_YORK, None)
    outbox.apply_status_report(session, messages["+12125550200"], "delivered", None, LATER)
    outbox.bounce_hard(session, messages["gone@example.com"], "5.1.1", LATER)
    session.commit()

    figures = report.build(session, campaign)

    assert figures.by_channel == {
        "email": ChannelReportOut(sent=2, delivered=1, bounced=1, failed=0, suppressed=0),
        "sms": ChannelReportOut(sent=1, delivered=1, bounced=0, failed=0, suppressed=0),
    }
    assert (figures.targeted, figures.sent, figures.delivered) == (5, 3, 2)
