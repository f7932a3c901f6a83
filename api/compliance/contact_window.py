"""When a debtor may be contacted: the time zones a debtor could be in, and the hours allowed in each.

Pure functions of (instant, zones, hours), so the contact window is property-tested on its own.
Reg F 1006.6(b)(1)(i) and comment 6(b)(1)(i)-2: without knowledge to the contrary, 08:00 to 21:00 local
is convenient; when the debtor's location is unclear or conflicting (a time zone on file, a number whose
area code is elsewhere), a communication must be convenient in every location the debtor could be in.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezone

EARLIEST = time(8, 0)
LATEST = time(21, 0)
"""Reg F 1006.6(b)(1)(i): before 8:00 a.m. and after 9:00 p.m. local time are inconvenient."""


def phone_zones(phone: str | None) -> tuple[str, ...]:
    """Every time zone the number's prefix could be in; empty when the number tells nothing."""
    if not phone:
        return ()
    try:
        number = phonenumbers.parse(phone)
    except phonenumbers.NumberParseException:
        return ()
    zones = phone_timezone.time_zones_for_number(number)
    return () if zones == phone_timezone._UNKNOWN_TIME_ZONE_LIST else tuple(zones)


def is_country_level(phone: str) -> bool:
    """True when the number's zones are just its whole country's (a toll-free or unmapped prefix)."""
    number = phonenumbers.parse(phone)
    country = phone_timezone._country_level_time_zones_for_number(number)
    return phone_timezone.time_zones_for_number(number) == country


def _number_zones(phone: str) -> tuple[tuple[str, ...], bool]:
    """The number's zones and whether they are just its whole country's, from one parse."""
    try:
        number = phonenumbers.parse(phone)
    except phonenumbers.NumberParseException:
        return (), False
    zones = phone_timezone.time_zones_for_number(number)
    if zones == phone_timezone._UNKNOWN_TIME_ZONE_LIST:
        return (), False
    return tuple(zones), zones == phone_timezone._country_level_time_zones_for_number(number)


def candidate_zones(recorded: str | None, phone: str | None) -> tuple[str, ...]:
    """The zones a debtor could be in: the recorded zone plus the number's area, if the area says one.

    A number that maps only to its whole country adds nothing to a recorded zone, but without one it
    is all we know, so every zone of that country counts.
    """
    zones, country_level = _number_zones(phone) if phone else ((), False)
    if recorded is None:
        return zones
    located = zones if not country_level else ()
    return tuple(dict.fromkeys((recorded, *located)))


def local_times(instant: datetime, zones: Iterable[str]) -> list[datetime]:
    """The instant on the wall clock of each zone (an unknown zone name raises ZoneInfoNotFoundError)."""
    return [instant.astimezone(ZoneInfo(zone)) for zone in zones]


def within_hours(
    instant: datetime, zones: Sequence[str], earliest: time = EARLIEST, latest: time = LATEST
) -> bool:
    """True when the instant is between `earliest` and `latest` (both included) in every zone.

    No zone at all, or a zone this machine does not know, is never within hours: the safe side.
    """
    if not zones:
        return False
    try:
        clocks = local_times(instant, zones)
    except ZoneInfoNotFoundError:
        return False
    return all(earliest <= clock.time().replace(tzinfo=None) <= latest for clock in clocks)


def in_hour_range(hour: int, start: int, end: int) -> bool:
    """Whether a local hour falls in [start, end); start > end wraps past midnight."""
    if start <= end:
        return start <= hour < end
    return hour >= start or hour < end


def inconvenient_for_debtor(
    instant: datetime, zones: Sequence[str], weekdays: Sequence[int], hours: Sequence[Sequence[int]]
) -> bool:
    """True when, in any zone, the instant falls on a weekday or in an hour range the debtor ruled out."""
    try:
        clocks = local_times(instant, zones)
    except ZoneInfoNotFoundError:
        return True
    for clock in clocks:
        if clock.weekday() in weekdays:
            return True
        if any(in_hour_range(clock.hour, start, end) for start, end in hours):
            return True
    return False


Interval = tuple[datetime, datetime]


def _instant(day: date, clock: time, zone: ZoneInfo, later: bool) -> datetime:
    """A local wall time as an instant; across a DST gap or overlap, the later (or earlier) reading."""
    readings = [datetime.combine(day, clock, tzinfo=zone).replace(fold=fold) for fold in (0, 1)]
    instants = [reading.astimezone(UTC) for reading in readings]
    return max(instants) if later else min(instants)


def daily_windows(after: datetime, zone: str, earliest: time, latest: time, days: int) -> list[Interval]:
    """[earliest, latest] of each local day in one zone, as UTC instants, from the local day of `after` on.

    Across a DST change the window is read on the safe side: it opens at the later and closes at the
    earlier of the instants a wall time could mean.
    """
    tz = ZoneInfo(zone)
    first = after.astimezone(tz).date()
    windows = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        start, end = _instant(day, earliest, tz, later=True), _instant(day, latest, tz, later=False)
        if start < end:
            windows.append((start, end))
    return windows


def intersect(left: Sequence[Interval], right: Sequence[Interval]) -> list[Interval]:
    """The overlaps of two sorted lists of intervals."""
    overlaps = []
    for a_start, a_end in left:
        for b_start, b_end in right:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                overlaps.append((start, end))
    return sorted(overlaps)


def next_window(
    after: datetime, zones: Sequence[str], earliest: time = EARLIEST, latest: time = LATEST, days: int = 8
) -> Interval | None:
    """The first stretch from `after` on that is within hours in every zone; None when there is none
    in `days` days, no zone is known, or a zone is unknown to this machine."""
    if not zones:
        return None
    try:
        common = [(after - timedelta(days=1), after + timedelta(days=days + 1))]
        for zone in zones:
            common = intersect(
                common, daily_windows(after - timedelta(days=1), zone, earliest, latest, days + 2)
            )
    except ZoneInfoNotFoundError:
        return None
    upcoming = [(max(start, after), end) for start, end in common if end > after]
    return upcoming[0] if upcoming else None
