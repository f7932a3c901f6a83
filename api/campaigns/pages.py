"""What the console's campaign pages show: a campaign's rules, steps, dry run and report in words, and
counts only (no debtor, account, phone or address ever reaches these pages)."""

from dataclasses import dataclass

from api.campaigns import service
from api.campaigns.models import Campaign
from api.campaigns.schemas import CampaignStatus, DryRunOut, DryRunStatus, ReportOut, Segment
from api.compliance import gate as compliance

ACTIONS = {
    "pause": CampaignStatus.PAUSED,
    "resume": CampaignStatus.ACTIVE,
    "stop": CampaignStatus.STOPPED,
}
"""The buttons of a campaign's page -> the status each asks for."""
DRY_RUN_PENDING = frozenset({DryRunStatus.QUEUED, DryRunStatus.RUNNING})


@dataclass(frozen=True)
class Reason:
    """A suppression reason in words, with how many accounts (or messages) it stopped."""

    code: str
    words: str
    count: int


def _due(segment: Segment) -> list[str]:
    """The due-date and past-due rules in words."""
    rules = []
    if segment.due_in_days is not None:
        rules.append(f"due today or within {segment.due_in_days} days")
    if segment.past_due is not None:
        rules.append(f"{segment.past_due} days past due")
    if segment.instalment_missed:
        rules.append("an instalment missed")
    if segment.promise_broken:
        rules.append("a promise to pay broken")
    return rules


def _balance(segment: Segment) -> list[str]:
    """The balance band in words."""
    if segment.balance_min is not None and segment.balance_max is not None:
        return [f"balance between {segment.balance_min} and {segment.balance_max}"]
    if segment.balance_min is not None:
        return [f"balance at least {segment.balance_min}"]
    if segment.balance_max is not None:
        return [f"balance at most {segment.balance_max}"]
    return []


def rules_in_words(segment: Segment) -> list[str]:
    """Every rule of the segment in words; an empty list is every account."""
    rules = _due(segment) + _balance(segment)
    if segment.creditors:
        rules.append(f"creditor {' or '.join(segment.creditors)}")
    if segment.consent_channel is not None:
        rules.append(f"not opted out of {segment.consent_channel}")
    return rules


def segment_rules(campaign: Campaign) -> list[str]:
    """The campaign's stored rules in words."""
    return rules_in_words(service.segment_of(campaign))


def reasons(counts: dict[str, int]) -> list[Reason]:
    """Suppression reasons in the gate's own words, the commonest first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [Reason(code, compliance.describe(code), count) for code, count in ordered]


def actions_for(status: str) -> list[str]:
    """The buttons that fit the campaign's status (a stopped campaign has none)."""
    return [name for name, target in ACTIONS.items() if status in service.TRANSITIONS[target]]


def report_rows(report: ReportOut) -> list[tuple[str, int]]:
    """The report's figures, labelled, in the order a campaign goes through them."""
    return [
        ("Targeted", report.targeted),
        ("Planned (not sent yet)", report.planned),
        ("Suppressed", report.suppressed),
        ("Sent", report.sent),
        ("Delivered", report.delivered),
        ("Failed", report.failed),
        ("Dead letters", report.dead_letters),
        ("Replied", report.replied),
        ("Converted: payment", report.converted.get("payment", 0)),
        ("Converted: plan", report.converted.get("plan", 0)),
        ("Converted: promise", report.converted.get("promise", 0)),
        ("Opted out", report.opted_out),
    ]


@dataclass(frozen=True)
class ChannelTrial:
    """One channel of a dry run, for the page."""

    channel: str
    reachable: int
    suppressed: int
    reasons: list[Reason]


def dry_run_channels(result: DryRunOut) -> list[ChannelTrial]:
    """The dry run's figures and suppression reasons in words, channel by channel."""
    return [
        ChannelTrial(channel, figures.reachable, figures.suppressed, reasons(figures.reasons))
        for channel, figures in result.channels.items()
    ]


def channel_report_rows(report: ReportOut) -> list[tuple[str, int, int, int, int, int]]:
    """Per channel: sent, delivered, bounced, failed, suppressed."""
    return [
        (channel, row.sent, row.delivered, row.bounced, row.failed, row.suppressed)
        for channel, row in report.by_channel.items()
    ]
