"""The compliance gate every outbound message passes, when it is queued and again just before it is sent.

A gate is a list of rules. Each rule looks at one candidate message and returns the reason it must not go
out, or None. The message is sent only when no rule objects; every objection is kept on the message.
Each rule's docstring names the regulation it enforces.

Bot-initiated: a message that is not a reply to a message the debtor had just sent (see `initiated`).
Only bot-initiated messages are held to contact hours, frequency caps and the opt-out notice; a debtor
who writes at 23:00 may get the answer to that message.

Live channels (webchat) reach only a chat window the debtor opened and still has open; there is no address
to write to unprompted. Their replies (bot, agent, system) answer the debtor by construction, so the
TCPA/SMS rules for messages the debtor did not ask for (contact hours, caps, opt-out) leave them alone,
while forbidden language, stopped or paused collection and the disclosures apply as on SMS.

Email is an address to write to, like SMS: contact hours, the debtor's inconvenient times, caps, opt-outs
and disclosures all apply (every email is bot-initiated: replies by email are out of scope). Its opt-out
notice is the unsubscribe link the email template always carries (api.messaging.email_render).

A medium the debtor asked us not to use (Reg F 1006.14(h), stored with their contact preferences) gets
nothing bot-initiated (`channel_refused`); it is per debtor and medium, not an opt-out of an address.

Opt-outs are per channel and address (Reg F 1006.6(e)), with one addition: a debtor who opted out on
any channel (an email's unsubscribe link, STOP by SMS) gets no more reminders (campaign messages, kind
"reminder") on any channel. Their evident wish is to stop being reminded, whatever the medium the next
step of a campaign would use; replies to what they write and agents' messages stay per channel.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from functools import cached_property

from pydantic import ConfigDict, TypeAdapter
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from api.accounts.events import EventType
from api.accounts.models import Account, AccountEvent, ContactPreference, Debtor, VerificationAttempt
from api.collections.models import AccountFlag, Dispute
from api.collections.service import BLOCKING_FLAGS
from api.compliance import contact_window, jurisdictions, language_lint
from api.compliance.client_rules import DEFAULT_RULES, ClientRules, Disclosure
from api.compliance.jurisdictions import JurisdictionRules
from api.conversations.models import Contact, InboundMessage, OutboundMessage
from api.conversations.service import email_address
from api.core.config import Settings
from shared.vocabulary import CLIENT_PURPOSES, BlockReason, Channel, Kind, OutboundStatus, Purpose


def describe(reason: str) -> str:
    """A block reason in words for staff: `forbidden_language:threat_of_arrest` -> "forbidden language:
    threat of arrest"."""
    return reason.replace(":", ": ").replace("_", " ")


KEYWORD_ANSWERS = frozenset({Purpose.OPT_OUT_CONFIRMATION, Purpose.OPT_IN_CONFIRMATION, Purpose.HELP})
"""Answers to the debtor's own STOP/START/HELP (or an opt-out made for them): never bot-initiated."""
PERMITTED_WHEN_STOPPED = KEYWORD_ANSWERS | frozenset(CLIENT_PURPOSES)
"""The only purposes that still go out when collection has stopped (flags) or is paused (dispute)."""
REPLY_KINDS = frozenset({"reply", "agent", "system"})
"""Kinds that can be replies; a "reminder" is always bot-initiated."""
LIVE_CHANNELS = frozenset({Channel.WEBCHAT})
"""Channels whose messages reach only a conversation the debtor has open (see the module docstring)."""
OPT_OUT_NOTICE = re.compile(r"\b(?:reply|text|send)\s+[\"']?stop\b", re.IGNORECASE)
"""An opt-out instruction the way CTIA and Reg F 1006.6(e) expect it: "Reply STOP to opt out"."""


CLIENTS = TypeAdapter(dict[str, ClientRules], config=ConfigDict(title="COMPLIANCE_CLIENTS"))
STATES = TypeAdapter(dict[str, JurisdictionRules], config=ConfigDict(title="COMPLIANCE_JURISDICTIONS"))


@dataclass(frozen=True)
class GateConfig:
    """The gate's settings: contact hours, the reply window, caps per channel, the opt-out notice."""

    earliest: time = time(8, 0)
    latest: time = time(21, 0)
    reply_window: timedelta = timedelta(minutes=60)
    max_initiated_per_7_days: dict[str, int] = field(default_factory=lambda: {Channel.SMS: 7})
    opt_out_notice: str = "Reply STOP to opt out."
    clients: Mapping[str, ClientRules] = field(default_factory=dict)
    """Per creditor: third-party agency or first-party creditor, Mini-Miranda, time-barred disclosure."""
    default_client: ClientRules = DEFAULT_RULES
    jurisdictions: Mapping[str, JurisdictionRules] = field(default_factory=dict)
    """Per US state (Account.jurisdiction): a narrower window, lower caps, a time-barred disclosure."""

    def client(self, creditor: str | None) -> ClientRules:
        """The rules of the client (creditor) an account belongs to."""
        return self.clients.get(creditor, self.default_client) if creditor else self.default_client

    @classmethod
    def from_settings(cls, settings: Settings) -> "GateConfig":
        """The gate's configuration from the API settings; raises ValidationError naming a bad rule."""
        return cls(
            earliest=time(settings.COMPLIANCE_CONTACT_HOURS_START),
            latest=time(settings.COMPLIANCE_CONTACT_HOURS_END),
            reply_window=timedelta(minutes=settings.COMPLIANCE_REPLY_WINDOW_MINUTES),
            max_initiated_per_7_days={
                Channel.SMS: settings.SMS_MAX_BOT_INITIATED_PER_7_DAYS,
                Channel.EMAIL: settings.EMAIL_MAX_BOT_INITIATED_PER_7_DAYS,
            },
            opt_out_notice=settings.SMS_OPT_OUT_NOTICE,
            clients=CLIENTS.validate_python(settings.COMPLIANCE_CLIENTS),
            default_client=ClientRules.model_validate(settings.COMPLIANCE_DEFAULT_CLIENT),
            jurisdictions=STATES.validate_python(settings.COMPLIANCE_JURISDICTIONS),
        )

    def states(self, accounts: Sequence[Account]) -> list[JurisdictionRules]:
        """The configured state rules that apply to a message about these accounts."""
        return jurisdictions.applicable(self.jurisdictions, (account.jurisdiction for account in accounts))


DEFAULT_CONFIG = GateConfig()


@dataclass(frozen=True)
class Candidate:
    """An outbound message as the rules see it."""

    message_id: str
    channel: str
    to: str
    kind: str
    purpose: str | None
    conversation_id: str
    account_id: str | None
    body: str = ""
    initiated: bool = False
    subject: str = ""
    """An email's subject line; empty on other channels."""


@dataclass(frozen=True)
class Decision:
    """The gate's answer: allowed when no rule gave a reason."""

    reasons: tuple[str, ...]

    @property
    def allowed(self) -> bool:
        """True when nothing objects."""
        return not self.reasons


def _verified_account(session: Session, conversation_id: str) -> list[Account]:
    """The account the conversation last verified as (how a webchat conversation becomes an account's)."""
    verified = VerificationAttempt.succeeded.is_(True)
    query = (
        select(Account)
        .join(VerificationAttempt, VerificationAttempt.account_id == Account.id)
        .where(VerificationAttempt.conversation_id == conversation_id, verified)
        .order_by(VerificationAttempt.at.desc())
        .limit(1)
    )
    return list(session.scalars(query))


def accounts_of(session: Session, candidate: Candidate) -> list[Account]:
    """The account the message is about; without one, every account of the debtor with this number (or
    email address), or on webchat the account the conversation verified as."""
    if candidate.account_id is not None:
        account = session.get(Account, candidate.account_id)
        return [account] if account is not None else []
    if candidate.channel in LIVE_CHANNELS:
        return _verified_account(session, candidate.conversation_id)
    if candidate.channel == Channel.EMAIL:
        by_email = func.lower(Debtor.email) == email_address(candidate.to)
        return list(session.scalars(select(Account).join(Debtor).where(by_email)))
    if candidate.channel != Channel.SMS:
        return []
    return list(session.scalars(select(Account).join(Debtor).where(Debtor.phone == candidate.to)))


@dataclass(frozen=True)
class Context:
    """One evaluation of one candidate: what every rule looks at. Its accounts are queried once, when a
    rule first needs them, and shared by the rules after it."""

    session: Session
    candidate: Candidate
    now: datetime
    config: GateConfig = DEFAULT_CONFIG
    unfit_disclosures: tuple[tuple[str, str], ...] | None = None
    """Set by `completed`: the disclosures the outbox could not add, so no rule computes them again."""

    @cached_property
    def accounts(self) -> list[Account]:
        """The accounts the message is about (`accounts_of`)."""
        return accounts_of(self.session, self.candidate)

    def completed(self, body: str, unfit: Sequence[tuple[str, str]]) -> "Context":
        """This evaluation for the body the outbox completed: its accounts and disclosures carried over."""
        revised = replace(self, candidate=replace(self.candidate, body=body), unfit_disclosures=tuple(unfit))
        revised.__dict__["accounts"] = self.accounts  # cached_property's slot: queried once per evaluation
        return revised

    @cached_property
    def zones(self) -> tuple[str, ...]:
        """The time zones the recipient could be in (contact_window.candidate_zones)."""
        debtor = self.accounts[0].debtor if self.accounts else None
        phone = self.candidate.to if self.candidate.channel == Channel.SMS else None
        return contact_window.candidate_zones(debtor.timezone if debtor else None, phone)

    @property
    def states(self) -> list[JurisdictionRules]:
        """The configured state rules that apply to the message's accounts."""
        return self.config.states(self.accounts)


Rule = Callable[[Context], str | None]


def _answered(session: Session, conversation_id: str, in_reply_to: str | None) -> datetime | None:
    """When the debtor's message this one answers arrived: the one named, else the conversation's last."""
    query = select(InboundMessage.received_at).where(InboundMessage.conversation_id == conversation_id)
    if in_reply_to is not None:
        query = query.where(InboundMessage.message_sid == in_reply_to)
    return session.scalar(query.order_by(InboundMessage.received_at.desc()).limit(1))


def initiated(
    session: Session,
    candidate: Candidate,
    in_reply_to: str | None,
    queued_at: datetime,
    config: GateConfig = DEFAULT_CONFIG,
) -> bool:
    """Bot-initiated unless it answers a debtor's message that arrived within the reply window.

    On a live channel every reply kind answers the debtor (nothing reaches a closed chat).
    Decided once, when the message is queued (a reply held up by retries stays a reply).
    """
    if candidate.purpose in KEYWORD_ANSWERS:
        return False
    if candidate.kind not in REPLY_KINDS:
        return True
    if candidate.channel in LIVE_CHANNELS:
        return False
    received = _answered(session, candidate.conversation_id, in_reply_to)
    return received is None or received < queued_at - config.reply_window


def has_opt_out_notice(body: str) -> bool:
    """Whether the text already tells the debtor how to opt out."""
    return OPT_OUT_NOTICE.search(body) is not None


def opted_out(context: Context) -> str | None:
    """TCPA/CTIA and Reg F 1006.6(e): nothing to an address that opted out of this channel.

    The single exception is the confirmation of that opt-out, identified by id on the contact. On a live
    channel the opt-out stops what the debtor did not ask for; the answer to what they write into the
    chat they opened still goes (the bot's own confirmation of a webchat opt-out is one). An address
    flagged as a wrong number (an opt-out whose source is `wrong_number`) is blocked with its own reason.
    """
    candidate = context.candidate
    if candidate.channel in LIVE_CHANNELS and not candidate.initiated:
        return None
    query = select(Contact).where(Contact.channel == candidate.channel, Contact.address == candidate.to)
    contact = context.session.scalars(query).one_or_none()
    if contact is None or not contact.opted_out:
        return None
    if (
        candidate.purpose == Purpose.OPT_OUT_CONFIRMATION
        and contact.opt_out_confirmation_id == candidate.message_id
    ):
        return None
    if contact.opt_out_source == BlockReason.WRONG_NUMBER:
        return BlockReason.WRONG_NUMBER
    return BlockReason.OPTED_OUT


def email_undeliverable(context: Context) -> str | None:
    """No email to an address a hard bounce said does not exist (RFC 3463 5.x.x): writing to it again only
    harms the sender's reputation and reaches nobody; the debtor's other channels are unaffected."""
    candidate = context.candidate
    if candidate.channel != Channel.EMAIL:
        return None
    query = select(Contact.undeliverable_at).where(
        Contact.channel == Channel.EMAIL, Contact.address == candidate.to
    )
    return BlockReason.EMAIL_UNDELIVERABLE if context.session.scalar(query) is not None else None


def _other_addresses(context: Context) -> list[tuple[str, str]]:
    """(channel, address) of the debtors' other contacts: their number and their email address."""
    candidate, addresses = context.candidate, set[tuple[str, str]]()
    for debtor in {account.debtor for account in context.accounts}:
        if debtor.phone:
            addresses.add((Channel.SMS, debtor.phone))
        if debtor.email:
            addresses.add((Channel.EMAIL, email_address(debtor.email)))
    addresses.discard((candidate.channel, candidate.to))
    return sorted(addresses)


def _opted_in_at(context: Context) -> datetime | None:
    """When the candidate's own address last opted back in (START), if ever."""
    candidate = context.candidate
    query = select(Contact.opted_in_at).where(
        Contact.channel == candidate.channel, Contact.address == candidate.to
    )
    return context.session.scalar(query)


def reminders_opted_out(context: Context) -> str | None:
    """Reg F 1006.6(e), 1006.14(a): a debtor who opted out on one channel gets no reminders on any.

    An email unsubscribe stops the next SMS step of a campaign, and STOP by SMS the next email step. The
    candidate's own address is the `opted_out` rule's; opting back in on it later (START) wins there.
    """
    addresses = _other_addresses(context) if context.candidate.kind == Kind.REMINDER else []
    if not addresses:
        return None
    pairs = [and_(Contact.channel == channel, Contact.address == address) for channel, address in addresses]
    conditions = [Contact.opted_out.is_(True), or_(*pairs)]
    since = _opted_in_at(context)
    if since is not None:
        conditions.append(Contact.opted_out_at > since)
    query = select(Contact.id).where(*conditions).limit(1)
    return BlockReason.REMINDERS_OPTED_OUT if context.session.scalar(query) is not None else None


def contact_hours(context: Context) -> str | None:
    """Reg F 1006.6(b)(1)(i): no bot-initiated contact before 08:00 or after 21:00 debtor-local.

    Local means every zone the debtor could be in (comment 6(b)(1)(i)-2); no zone at all blocks.
    """
    if not context.candidate.initiated:
        return None
    if not context.zones:
        return BlockReason.TIME_ZONE_UNKNOWN
    config = context.config
    earliest, latest = jurisdictions.window(config.earliest, config.latest, context.states)
    if contact_window.within_hours(context.now, context.zones, earliest, latest):
        return None
    return BlockReason.OUTSIDE_CONTACT_HOURS


def debtor_inconvenient_times(context: Context) -> str | None:
    """Reg F 1006.6(b)(1): no bot-initiated contact at days or hours the debtor said are inconvenient."""
    if not context.candidate.initiated or not context.accounts:
        return None
    query = select(ContactPreference).where(ContactPreference.debtor_id == context.accounts[0].debtor_id)
    preference = context.session.scalars(query).one_or_none()
    if preference is None:
        return None
    weekdays, hours = preference.inconvenient_weekdays, preference.inconvenient_hours
    if contact_window.inconvenient_for_debtor(context.now, context.zones, weekdays, hours):
        return BlockReason.INCONVENIENT_FOR_DEBTOR
    return None


REFUSAL_EXEMPT = frozenset({Purpose.VALIDATION_NOTICE})
"""Notices the law requires (1006.14(h)(2)(ii)): sent on a refused medium when it is the one available."""


def _refused_channels(context: Context) -> set[str]:
    """The media every debtor of the message's accounts asked us not to use."""
    debtors = {account.debtor_id for account in context.accounts}
    query = select(ContactPreference.refused_channels).where(ContactPreference.debtor_id.in_(debtors))
    return {channel for refused in context.session.scalars(query) for channel in refused or []}


def channel_refused(context: Context) -> str | None:
    """Reg F 1006.14(h)(1): nothing bot-initiated through a medium the debtor asked us not to use.

    Unlike an opt-out, it holds for the debtor whatever the address, and only for that medium: a campaign
    step on both channels still goes out on the other. A reply to what the debtor wrote on it is allowed
    (1006.14(h)(2)(i)), and so is a notice the law requires (`REFUSAL_EXEMPT`).
    """
    candidate = context.candidate
    if not candidate.initiated or candidate.purpose in REFUSAL_EXEMPT or not context.accounts:
        return None
    return BlockReason.CHANNEL_REFUSED if candidate.channel in _refused_channels(context) else None


SENT_STATUSES = (OutboundStatus.SENT, OutboundStatus.DELIVERED, OutboundStatus.UNDELIVERED)
"""Statuses of messages that reached the provider: what a frequency cap counts."""


def frequency_cap(context: Context) -> str | None:
    """A cap on bot-initiated messages per channel and address in 7 days, in the spirit of 1006.14(b)(2).

    Reg F's 7-in-7 presumption is for calls; the SMS cadence cap is our own, configurable per channel.
    """
    candidate, now = context.candidate, context.now
    if not candidate.initiated:
        return None
    federal = context.config.max_initiated_per_7_days.get(candidate.channel)
    cap = jurisdictions.cap(federal, candidate.channel, context.states)
    if cap is None:
        return None
    query = select(func.count(OutboundMessage.id)).where(
        OutboundMessage.channel == candidate.channel,
        OutboundMessage.to_address == candidate.to,
        OutboundMessage.initiated.is_(True),
        OutboundMessage.status.in_(SENT_STATUSES),
        OutboundMessage.sent_at > now - timedelta(days=7),
        OutboundMessage.id != candidate.message_id,
    )
    return BlockReason.FREQUENCY_CAP if (context.session.scalar(query) or 0) >= cap else None


def collection_stopped(context: Context) -> str | None:
    """Reg F 1006.6(b)(2) attorney, 1006.6(c) cease communication, bankruptcy, deceased: collection stops.

    Only the purposes in PERMITTED_WHEN_STOPPED still go out.
    """
    if context.candidate.purpose in PERMITTED_WHEN_STOPPED:
        return None
    ids = [account.id for account in context.accounts]
    query = select(AccountFlag.flag).where(
        AccountFlag.account_id.in_(ids), AccountFlag.flag.in_(BLOCKING_FLAGS)
    )
    flags = sorted(set(context.session.scalars(query)))
    return f"{BlockReason.COLLECTION_STOPPED}:{flags[0]}" if flags else None


def _validated_since(session: Session, dispute: Dispute) -> bool:
    query = select(AccountEvent.id).where(
        AccountEvent.account_id == dispute.account_id,
        AccountEvent.type == EventType.VALIDATION_SENT,
        AccountEvent.created_at >= dispute.created_at,
    )
    return session.scalar(select(query.exists())) is True


def dispute_pending(context: Context) -> str | None:
    """Reg F 1006.38(d)(2): after a dispute, collection pauses until the validation information is sent."""
    if context.candidate.purpose in PERMITTED_WHEN_STOPPED:
        return None
    ids = [account.id for account in context.accounts]
    session = context.session
    disputes = session.scalars(select(Dispute).where(Dispute.account_id.in_(ids), Dispute.status == "open"))
    if any(not _validated_since(session, dispute) for dispute in disputes):
        return BlockReason.DISPUTE_PENDING
    return None


def forbidden_language(context: Context) -> str | None:
    """FDCPA 806/807, Reg F 1006.14(d), 1006.18(c), 1006.26(b): no threats, false urgency or abuse.

    On a time-barred account, no mention of suing, court or legal action either.
    """
    time_barred = any(account.time_barred for account in context.accounts)
    text = f"{context.candidate.subject}\n{context.candidate.body}"
    found = language_lint.lint(text, time_barred=time_barred)
    return f"{BlockReason.FORBIDDEN_LANGUAGE}:{found[0]}" if found else None


def opt_out_notice(context: Context) -> str | None:
    """Reg F 1006.6(e): every bot-initiated SMS carries a clear opt-out instruction.

    The outbox adds the notice when it is missing; this rule catches a body it could not be added to.
    """
    candidate = context.candidate
    if candidate.initiated and candidate.channel == Channel.SMS and not has_opt_out_notice(candidate.body):
        return BlockReason.MISSING_OPT_OUT_NOTICE
    return None


def missing_disclosures(context: Context) -> list[tuple[str, str]]:
    """(kind, text) of the client's disclosures a bot-initiated message lacks; none for a reply."""
    candidate, config, accounts = context.candidate, context.config, context.accounts
    if not candidate.initiated:
        return []
    rules = config.client(accounts[0].creditor if accounts else None)
    time_barred = [account for account in accounts if account.time_barred]
    missing = rules.missing(candidate.body, bool(time_barred))
    if not time_barred or any(kind == Disclosure.TIME_BARRED for kind, _ in missing):
        return missing
    body = " ".join(candidate.body.split())
    for state in config.states(time_barred):  # state law may require it where the client's rules do not
        text = state.time_barred_disclosure
        if text and " ".join(text.split()) not in body:
            return [*missing, (Disclosure.TIME_BARRED, text)]
    return missing


def client_disclosures(context: Context) -> str | None:
    """Reg F 1006.18(e)(2): a debt collector's bot-initiated messages say they are from a debt collector.

    Per client (a creditor collecting its own debts needs none), plus the time-barred disclosure where the
    client's rules require it (state law). The outbox adds them; this catches a body they did not fit.
    """
    unfit = context.unfit_disclosures
    missing = missing_disclosures(context) if unfit is None else list(unfit)
    return f"{BlockReason.MISSING_DISCLOSURE}:{missing[0][0]}" if missing else None


RULES: tuple[Rule, ...] = (
    opted_out,
    email_undeliverable,
    reminders_opted_out,
    contact_hours,
    debtor_inconvenient_times,
    channel_refused,
    frequency_cap,
    collection_stopped,
    dispute_pending,
    forbidden_language,
    client_disclosures,
    opt_out_notice,
)


def evaluate(
    session: Session,
    candidate: Candidate,
    now: datetime,
    rules: Sequence[Rule] | None = None,
    config: GateConfig = DEFAULT_CONFIG,
) -> Decision:
    """Run every rule (not just until the first objection, so agents see all reasons) on one Context."""
    return judge(Context(session, candidate, now, config), rules)


def judge(context: Context, rules: Sequence[Rule] | None = None) -> Decision:
    """Every rule's objection to the message of this Context."""
    reasons = (rule(context) for rule in (RULES if rules is None else rules))
    return Decision(tuple(reason for reason in reasons if reason is not None))


def zones_of(recorded: str | None, phone: str | None) -> tuple[str, ...]:
    """The time zones a debtor could be in, as the contact-hours rule reads them (for planners)."""
    return contact_window.candidate_zones(recorded, phone)


def contact_hours_of(config: GateConfig, jurisdiction: str | None) -> tuple[time, time]:
    """The contact window of an account: Reg F's (as configured), narrowed by its state's rules."""
    states = jurisdictions.applicable(config.jurisdictions, [jurisdiction])
    return jurisdictions.window(config.earliest, config.latest, states)


def next_allowed_window(
    after: datetime, zones: Sequence[str], earliest: time, latest: time
) -> tuple[datetime, datetime] | None:
    """The first stretch from `after` on inside [earliest, latest] in every zone (contact_window)."""
    return contact_window.next_window(after, zones, earliest, latest)
