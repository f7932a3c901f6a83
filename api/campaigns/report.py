"""A campaign's report: targeted, suppressed by reason, sent, delivered, replied, converted, opted out.

Delivery comes from the outbox's statuses: on SMS Twilio's status callbacks set `delivered`; an email
counts as delivered once the relay accepted it and no bounce came back (a hard bounce makes it
`undelivered`, with a `bounce:` error code: api.messaging.bounces). Replies, payments, plans, promises
and opt-outs count when they came after the account's campaign message was queued.
"""

from collections import Counter
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session

from api.campaigns.models import Campaign, CampaignDeadLetter, CampaignSend
from api.campaigns.schemas import ChannelReportOut, ReportOut, SendStatus
from api.collections.models import PaymentLink, PaymentPlan, Promise
from api.conversations.models import Contact, InboundMessage, OutboundMessage
from api.messaging import bounces
from shared.vocabulary import Channel, OutboundStatus

SENT = (OutboundStatus.SENT, OutboundStatus.DELIVERED, OutboundStatus.UNDELIVERED)
EMAIL_DELIVERED = (OutboundStatus.SENT, OutboundStatus.DELIVERED)
"""An email the relay took and that did not bounce."""


def _count(session: Session, query: Any) -> int:
    return int(session.scalar(query) or 0)


def _status_counts(session: Session, campaign_id: str) -> Counter[str]:
    """Sends by their own status."""
    query = (
        select(CampaignSend.status, func.count())
        .where(CampaignSend.campaign_id == campaign_id)
        .group_by(CampaignSend.status)
    )
    return Counter({status: count for status, count in session.execute(query).tuples()})


def _messages(session: Session, campaign_id: str) -> list[OutboundMessage]:
    """The outbox messages of the campaign's sends."""
    query = (
        select(OutboundMessage)
        .join(CampaignSend, CampaignSend.outbound_message_id == OutboundMessage.id)
        .where(CampaignSend.campaign_id == campaign_id)
    )
    return list(session.scalars(query))


def _accounts_with(session: Session, campaign_id: str, condition: ColumnElement[bool]) -> int:
    """Accounts with a queued campaign message for which `condition` holds."""
    query = select(func.count(func.distinct(CampaignSend.account_id))).where(
        CampaignSend.campaign_id == campaign_id, CampaignSend.status == SendStatus.QUEUED, condition
    )
    return _count(session, query)


def _after_send(model: Any, at: Any) -> ColumnElement[bool]:
    return exists().where(model.account_id == CampaignSend.account_id, at >= CampaignSend.queued_at)


def _replied() -> ColumnElement[bool]:
    reply = and_(
        OutboundMessage.id == CampaignSend.outbound_message_id,
        InboundMessage.conversation_id == OutboundMessage.conversation_id,
        InboundMessage.received_at >= CampaignSend.queued_at,
    )
    return exists().where(reply)


def _opted_out() -> ColumnElement[bool]:
    contact = and_(
        OutboundMessage.id == CampaignSend.outbound_message_id,
        Contact.conversation_id == OutboundMessage.conversation_id,
        Contact.opted_out.is_(True),
        Contact.opted_out_at >= CampaignSend.queued_at,
    )
    return exists().where(contact)


def _converted(session: Session, campaign_id: str) -> dict[str, int]:
    paid = _after_send(PaymentLink, PaymentLink.used_at)
    return {
        "payment": _accounts_with(session, campaign_id, paid),
        "plan": _accounts_with(session, campaign_id, _after_send(PaymentPlan, PaymentPlan.created_at)),
        "promise": _accounts_with(session, campaign_id, _after_send(Promise, Promise.created_at)),
    }


def _delivered(message: OutboundMessage) -> bool:
    if message.channel == Channel.EMAIL:
        return message.status in EMAIL_DELIVERED
    return message.status == OutboundStatus.DELIVERED


def _channel(messages: list[OutboundMessage]) -> ChannelReportOut:
    """One channel's figures."""
    return ChannelReportOut(
        sent=sum(1 for message in messages if message.status in SENT),
        delivered=sum(1 for message in messages if _delivered(message)),
        bounced=sum(1 for message in messages if bounces.bounced(message)),
        failed=sum(1 for message in messages if message.status == OutboundStatus.FAILED),
        suppressed=sum(1 for message in messages if message.status == OutboundStatus.BLOCKED),
    )


def by_channel(messages: list[OutboundMessage]) -> dict[str, ChannelReportOut]:
    """The figures of each channel the campaign's messages went on."""
    grouped: dict[str, list[OutboundMessage]] = {}
    for message in messages:
        grouped.setdefault(message.channel, []).append(message)
    return {channel: _channel(group) for channel, group in sorted(grouped.items())}


def build(session: Session, campaign: Campaign) -> ReportOut:
    """The campaign's figures as they are now."""
    statuses, messages = _status_counts(session, campaign.id), _messages(session, campaign.id)
    blocked = [message for message in messages if message.status == OutboundStatus.BLOCKED]
    reasons = Counter(reason for message in blocked for reason in message.block_reasons)
    dead = (
        select(func.count())
        .select_from(CampaignDeadLetter)
        .join(CampaignSend)
        .where(CampaignSend.campaign_id == campaign.id)
    )
    return ReportOut(
        targeted=sum(statuses.values()),
        planned=statuses[SendStatus.PLANNED],
        suppressed=len(blocked),
        suppressed_by_reason=dict(reasons),
        sent=sum(1 for message in messages if message.status in SENT),
        delivered=sum(1 for message in messages if _delivered(message)),
        failed=sum(1 for message in messages if message.status == OutboundStatus.FAILED),
        dead_letters=_count(session, dead),
        replied=_accounts_with(session, campaign.id, _replied()),
        converted=_converted(session, campaign.id),
        opted_out=_accounts_with(session, campaign.id, _opted_out()),
        by_channel=by_channel(messages),
    )
