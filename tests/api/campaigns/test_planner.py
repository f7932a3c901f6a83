"""The planner: one send per account per step, times inside each debtor's window, lost sends again."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.campaigns import planner
from api.campaigns.models import CampaignSend
from api.campaigns.schemas import CampaignStatus, SendStatus
from tests.api.campaigns.helpers import NOON_NEW_YORK, add_account, add_campaign, days

CONFIG = planner.PlanConfig()


class Recorder:
    """A schedule callback that remembers what it was handed."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, datetime]] = []

    def __call__(self, sends: Sequence[tuple[str, datetime]]) -> None:
        self.calls.extend(sends)


def _sends(session: Session) -> list[CampaignSend]:
    return list(session.scalars(select(CampaignSend)))


def test_plans_one_send_per_account_of_the_segment_and_schedules_it(session: Session) -> None:
    due = [add_account(session, due_date=days(2)) for _ in range(3)]
    add_account(session, due_date=days(20))
    add_campaign(session, {"due_in_days": 5})
    schedule = Recorder()

    report = planner.plan(session, NOON_NEW_YORK, CONFIG, schedule)

    sends = _sends(session)
    assert {send.account_id for send in sends} == {account.id for account in due}
    assert {send_id for send_id, _ in schedule.calls} == {send.id for send in sends}
    assert (report.evaluated, report.planned) == (3, 3)


def test_a_second_pass_plans_nothing_more(session: Session) -> None:
    add_account(session)
    add_campaign(session)
    planner.plan(session, NOON_NEW_YORK, CONFIG, Recorder())
    schedule = Recorder()

    report = planner.plan(session, NOON_NEW_YORK + timedelta(minutes=5), CONFIG, schedule)

    assert (report.evaluated, report.planned, schedule.calls) == (0, 0, [])
    assert len(_sends(session)) == 1


def test_inserting_a_pair_twice_creates_one_row_and_only_the_first_insert_returns_it(
    session: Session,
) -> None:
    account = add_account(session)
    campaign = add_campaign(session)
    row = {
        "campaign_id": campaign.id,
        "step_id": campaign.steps[0].id,
        "account_id": account.id,
        "channel": "sms",
        "status": SendStatus.PLANNED,
        "scheduled_for": NOON_NEW_YORK,
        "attempts": 0,
        "created_at": NOON_NEW_YORK,
    }

    first = planner.insert_new(session, [{**row, "id": "send-1"}])
    second = planner.insert_new(session, [{**row, "id": "send-2"}])
    session.commit()

    assert [send_id for send_id, _ in first] == ["send-1"]
    assert second == []
    assert session.scalar(select(func.count()).select_from(CampaignSend)) == 1


def test_times_fall_inside_the_campaign_window_in_the_debtors_own_zone(session: Session) -> None:
    phones = {
        "America/New_York": "+12125550147",
        "America/Los_Angeles": "+14155550123",
        "Europe/London": "+447700900001",
        "Asia/Tokyo": "+447700900002",
    }
    for zone, phone in phones.items():
        add_account(session, phone=phone, time_zone=zone)
    add_campaign(session, window_start_hour=10, window_end_hour=12)

    planner.plan(session, NOON_NEW_YORK, CONFIG, Recorder())

    for send in _sends(session):
        account_zone = ZoneInfo(session.get(planner.Account, send.account_id).debtor.timezone)  # type: ignore[union-attr]
        assert send.scheduled_for is not None and send.scheduled_for >= NOON_NEW_YORK
        assert 10 <= send.scheduled_for.astimezone(account_zone).hour < 12


def test_only_the_latest_due_step_is_planned(session: Session) -> None:
    add_account(session)
    steps = [
        {"day_offset": 0, "messages": {"sms": "utter_reminder_due_soon"}},
        {"day_offset": 3, "messages": {"sms": "utter_reminder_past_due"}},
        {"day_offset": 10, "messages": {"sms": "utter_reminder_past_due"}},
    ]
    campaign = add_campaign(session, steps=steps)

    planner.plan(session, NOON_NEW_YORK + timedelta(days=4), CONFIG, Recorder())

    [send] = _sends(session)
    assert send.step_id == campaign.steps[1].id


def test_paused_stopped_and_ended_campaigns_plan_nothing(session: Session) -> None:
    add_account(session)
    paused = add_campaign(session)
    paused.status = CampaignStatus.PAUSED
    add_campaign(
        session, ends_at=NOON_NEW_YORK - timedelta(minutes=1), starts_at=NOON_NEW_YORK - timedelta(days=1)
    )
    session.commit()

    report = planner.plan(session, NOON_NEW_YORK, CONFIG, Recorder())

    assert report.planned == 0


def test_a_send_still_planned_long_after_its_time_is_scheduled_again(session: Session) -> None:
    add_account(session)
    add_campaign(session)
    planner.plan(session, NOON_NEW_YORK, CONFIG, Recorder())
    [send] = _sends(session)
    later = send.scheduled_for + timedelta(seconds=CONFIG.reschedule_after_seconds + 1)  # type: ignore[operator]
    schedule = Recorder()

    report = planner.plan(session, later, CONFIG, schedule)

    assert report.rescheduled == 1
    assert schedule.calls == [(send.id, later)]


def test_sends_due_in_the_same_minute_go_to_the_queue_together_at_the_latest_of_their_times() -> None:
    noon = NOON_NEW_YORK
    sends = [
        ("a", noon + timedelta(seconds=5)),
        ("b", noon + timedelta(seconds=50)),
        ("c", noon + timedelta(minutes=1, seconds=1)),
    ]

    assert planner.buckets(sends) == [
        (noon + timedelta(seconds=50), ["a", "b"]),
        (noon + timedelta(minutes=1, seconds=1), ["c"]),
    ]
