"""The contact window (Reg F 1006.6(b)(1)), property-tested across time zones and DST changes."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from api.compliance import contact_window
from api.compliance.contact_window import candidate_zones, in_hour_range, phone_zones, within_hours
from tests.api.compliance_helpers import MAINLAND_US_ZONES

US_ZONES = (
    *MAINLAND_US_ZONES,
    "America/Adak",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "Pacific/Guam",
)
OTHER_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "America/St_Johns",
)
ZONES = US_ZONES + OTHER_ZONES
DST_CHANGES = (
    datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # US spring forward
    datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # US fall back
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # EU
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
    datetime(2026, 4, 4, 16, 0, tzinfo=UTC),  # Sydney fall back
    datetime(2026, 10, 3, 16, 0, tzinfo=UTC),  # Sydney spring forward
)
EARLIEST, LATEST = timedelta(hours=8), timedelta(hours=21)

instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
near_dst = st.builds(
    lambda change, seconds: change + timedelta(seconds=seconds),
    st.sampled_from(DST_CHANGES),
    st.integers(min_value=-36 * 3600, max_value=36 * 3600),
)
zone_sets = st.lists(st.sampled_from(ZONES), min_size=1, max_size=5, unique=True)


def _wall_clock(instant: datetime, zone: str) -> timedelta:
    """Time since local midnight, from the POSIX timestamp (not through astimezone, as the code does)."""
    local = datetime.fromtimestamp(instant.timestamp(), ZoneInfo(zone)).replace(tzinfo=None)
    return local - local.replace(hour=0, minute=0, second=0, microsecond=0)


def _convenient_everywhere(instant: datetime, zones: list[str]) -> bool:
    return all(EARLIEST <= _wall_clock(instant, zone) <= LATEST for zone in zones)


@given(instant=instants, zones=zone_sets)
def test_1006_6_b_1_an_allowed_instant_is_between_8_and_21_local_in_every_candidate_zone(
    instant: datetime, zones: list[str]
) -> None:
    assert within_hours(instant, zones) == _convenient_everywhere(instant, zones)


@given(instant=near_dst, zones=zone_sets)
def test_1006_6_b_1_the_window_follows_dst_changes(instant: datetime, zones: list[str]) -> None:
    assert within_hours(instant, zones) == _convenient_everywhere(instant, zones)


@given(instant=instants, zones=zone_sets, more=zone_sets)
def test_1006_6_b_1_another_possible_zone_never_widens_the_window(
    instant: datetime, zones: list[str], more: list[str]
) -> None:
    if within_hours(instant, zones + more):
        assert within_hours(instant, zones) and within_hours(instant, more)


@given(instant=instants)
def test_1006_6_b_1_no_known_zone_is_never_convenient(instant: datetime) -> None:
    assert not within_hours(instant, [])
    assert not within_hours(instant, ["Mars/Olympus_Mons"])


@given(instant=instants)
def test_1006_6_b_1_a_number_without_a_debtor_on_file_must_suit_every_zone_its_prefix_allows(
    instant: datetime,
) -> None:
    zones = candidate_zones(None, "+18005550100")
    if within_hours(instant, zones):
        assert all(within_hours(instant, [zone]) for zone in zones)
    assert {"Pacific/Guam", "America/New_York", "Pacific/Honolulu"} <= set(zones)


def test_1006_6_b_1_on_the_day_clocks_spring_forward_8am_moves_an_hour_earlier_in_utc() -> None:
    new_york = ["America/New_York"]

    assert not within_hours(datetime(2026, 3, 7, 12, 30, tzinfo=UTC), new_york)  # 07:30 EST
    assert within_hours(datetime(2026, 3, 8, 12, 30, tzinfo=UTC), new_york)  # 08:30 EDT
    assert within_hours(datetime(2026, 11, 1, 1, 0, tzinfo=UTC), new_york)  # 21:00 EDT, Oct 31
    assert not within_hours(datetime(2026, 11, 2, 2, 30, tzinfo=UTC), new_york)  # 21:30 EST


def test_a_recorded_zone_and_a_differently_located_number_both_count() -> None:
    assert candidate_zones("America/New_York", "+14155550123") == ("America/New_York", "America/Los_Angeles")
    assert candidate_zones("America/Chicago", "+18005550100") == ("America/Chicago",)
    assert candidate_zones(None, "+14155550123") == ("America/Los_Angeles",)
    assert phone_zones("not a number") == ()


def test_narrower_configured_hours_are_honoured() -> None:
    nine_pm = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 21:00 in New York

    assert within_hours(nine_pm, ["America/New_York"])
    assert not within_hours(nine_pm, ["America/New_York"], latest=time(20, 0))


@given(hour=st.integers(0, 23), start=st.integers(0, 24), end=st.integers(0, 24))
def test_an_hour_range_wraps_past_midnight_when_it_ends_before_it_starts(
    hour: int, start: int, end: int
) -> None:
    inside = in_hour_range(hour, start, end)
    if start <= end:
        assert inside == (start <= hour < end)
    else:
        assert inside == (not in_hour_range(hour, end, start))


def test_the_debtors_inconvenient_hours_apply_in_every_zone_they_could_be_in() -> None:
    noon_new_york = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 09:00 in Los Angeles
    zones = ("America/New_York", "America/Los_Angeles")

    assert contact_window.inconvenient_for_debtor(noon_new_york, zones, [], [[9, 10]])
    assert not contact_window.inconvenient_for_debtor(noon_new_york, zones, [], [[14, 16]])
