"""Normalisers for debtor facts; each returns the canonical form or raises InvalidValueError.

Error messages never repeat the rejected value: it may be a phone number, a date of birth or an SSN.
"""

import re
import zoneinfo
from datetime import date

import phonenumbers

from api.accounts.exceptions import InvalidValueError

DEFAULT_PHONE_REGION = "US"
_ZIP_RE = re.compile(r"^(\d{5})(?:-\d{4})?$")
_SSN_LAST4_RE = re.compile(r"^\d{4}$")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_REFERENCE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,63}$")
_OLDEST_DOB = date(1900, 1, 1)


def normalize_phone(value: str) -> str:
    """E.164 form of a phone number; numbers without a country code are read as US numbers."""
    try:
        parsed = phonenumbers.parse(value, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidValueError("not a valid phone number")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def validate_timezone(value: str) -> str:
    """An IANA time zone name such as America/New_York."""
    name = value.strip()
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidValueError("not an IANA time zone name") from None
    return name


def normalize_zip(value: str) -> str:
    """The 5-digit US ZIP code (a ZIP+4 is cut to its first five digits)."""
    match = _ZIP_RE.match(value.strip())
    if match is None:
        raise InvalidValueError("ZIP code must be 5 digits (or ZIP+4)")
    return match.group(1)


def normalize_ssn_last4(value: str) -> str:
    """The last four digits of an SSN."""
    digits = value.strip()
    if _SSN_LAST4_RE.match(digits) is None:
        raise InvalidValueError("ssn_last4 must be exactly 4 digits")
    return digits


def validate_dob(value: date, today: date | None = None) -> date:
    """A plausible date of birth: after 1900 and not in the future."""
    if not _OLDEST_DOB <= value <= (today or date.today()):
        raise InvalidValueError("date of birth out of range")
    return value


def normalize_currency(value: str) -> str:
    """An ISO 4217 alphabetic code, upper-cased."""
    code = value.strip().upper()
    if _CURRENCY_RE.match(code) is None:
        raise InvalidValueError("currency must be a 3-letter ISO 4217 code")
    return code


def normalize_reference(value: str) -> str:
    """Account references are matched case-insensitively, so they are stored upper-cased and trimmed."""
    reference = value.strip().upper()
    if _REFERENCE_RE.match(reference) is None:
        raise InvalidValueError("reference must be 1-64 letters, digits or . _ / -")
    return reference
