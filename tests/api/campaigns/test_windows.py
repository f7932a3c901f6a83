"""Quiet hours across DST changes and time zones, property-based: every planned time is allowed."""

from datetime import UTC, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from api.campaigns import planner
from api.compliance import gate as compliance
from tests.api.compliance_helpers import MAINLAND_US_ZONES

ZONES = (
    *MAINLAND_US_ZONES,
    "Pacific/Honolulu",
    "America/St_Johns",
    "Europe/London",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "America/Santiago",
    "Asia/Tehran",
)
DST_CHANGES = [
    datetime(2026, 3, 8, 6, 30, tzinfo=UTC),  # US spring forward
    datetime(2026, 11, 1, 5, 30, tzinfo=UTC),  # US fall back
    datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # EU spring forward
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # EU fall back
    datetime(2026, 4, 5, 14, 0, tzinfo=UTC),  # Lord Howe's half-hour change
]

instants = st.one_of(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    st.sampled_from(DST_CHANGES).flatmap(
        lambda at: st.integers(-36 * 60, 36 * 60).map(lambda minutes: at + timedelta(minutes=minutes))
    ),
)
zone_sets = st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True).map(tuple)
hours = st.tuples(st.integers(8, 20), st.integers(9, 21)).filter(lambda pair: pair[0] < pair[1])
ids = st.uuids().map(str)


@settings(max_examples=400, deadline=None)
@given(instants, zone_sets, hours, ids)
def test_a_planned_time_is_inside_the_hours_of_every_zone(
    now: datetime, zones: tuple[str, ...], window: tuple[int, int], send_id: str
) -> None:
    earliest, latest = time(window[0]), time(window[1])
    found = compliance.next_allowed_window(now, zones, earliest, latest)
    if found is None:  # zones too far apart to share a minute of these hours
        return
    eta = planner.spread(send_id, found, None)

    assert now <= found[0] <= eta <= found[1]
    assert compliance.contact_window.within_hours(eta, zones, earliest, latest)
    if found[1] - found[0] >= planner.BUCKET:  # its bucket may run up to a minute later: still inside
        assert compliance.contact_window.within_hours(eta + planner.BUCKET, zones, earliest, latest)


@settings(max_examples=200, deadline=None)
@given(instants, st.sampled_from(ZONES), hours)
def test_one_zone_always_has_a_window_within_a_day_and_nothing_allowed_is_skipped(
    now: datetime, zone: str, window: tuple[int, int]
) -> None:
    earliest, latest = time(window[0]), time(window[1])
    found = compliance.next_allowed_window(now, (zone,), earliest, latest)

    assert found is not None
    assert found[0] - now <= timedelta(hours=25)
    still_open = now + timedelta(
        seconds=1
    )  # at the window's very last instant there is no stretch to plan in
    if compliance.contact_window.within_hours(still_open, (zone,), earliest, latest) and (
        compliance.contact_window.within_hours(now, (zone,), earliest, latest)
    ):
        assert found[0] == now


@given(ids, st.integers(1, 10_000))
def test_spread_is_stable_and_bounded(send_id: str, cap: int) -> None:
    start = datetime(2026, 6, 1, 13, tzinfo=UTC)
    window = (start, start + timedelta(hours=8))

    eta = planner.spread(send_id, window, cap)

    assert eta == planner.spread(send_id, window, cap)
    assert start <= eta <= start + timedelta(seconds=cap)


def test_sends_are_spread_over_the_window_not_bunched_at_its_start() -> None:
    start = datetime(2026, 6, 1, 13, tzinfo=UTC)
    window = (start, start + timedelta(hours=10, minutes=1))

    etas = [planner.spread(f"send-{n}", window, None) for n in range(1000)]
    by_hour = [sum(1 for eta in etas if (eta - start) // timedelta(hours=1) == hour) for hour in range(10)]

    assert min(by_hour) > 50
