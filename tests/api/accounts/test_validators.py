"""Normalisation of debtor facts and account fields."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from api.accounts import validators
from api.accounts.exceptions import InvalidValueError


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+12025550143", "+12025550143"),
        ("(202) 555-0143", "+12025550143"),
        ("202.555.0143", "+12025550143"),
        ("1 202 555 0143", "+12025550143"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_numbers_are_normalised_to_e164(raw: str, e164: str) -> None:
    assert validators.normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12345", "call me", "+1 202 555 014", "+1 202 555 01433"])
def test_invalid_phone_numbers_are_rejected_without_repeating_them(raw: str) -> None:
    with pytest.raises(InvalidValueError) as caught:
        validators.normalize_phone(raw)

    assert raw not in str(caught.value)


def _each_rejected(check: Callable[[Any], object], *bad: object) -> None:
    """`check` raises InvalidValueError on every one of `bad`."""
    for value in bad:
        with pytest.raises(InvalidValueError):
            check(value)


def test_time_zones_must_be_iana_names() -> None:
    assert validators.validate_timezone(" America/Chicago ") == "America/Chicago"
    _each_rejected(validators.validate_timezone, "EST5EDT/Nowhere", "", "../etc/passwd")


def test_zip_codes_keep_five_digits() -> None:
    assert validators.normalize_zip("20001") == "20001"
    assert validators.normalize_zip(" 20001-1234 ") == "20001"
    _each_rejected(validators.normalize_zip, "2000", "200011", "ABCDE", "20001-12")


def test_ssn_last4_is_four_digits() -> None:
    assert validators.normalize_ssn_last4(" 0042 ") == "0042"
    _each_rejected(validators.normalize_ssn_last4, "42", "12345", "12a4")


def test_dates_of_birth_must_be_plausible() -> None:
    today = date(2026, 1, 1)
    assert validators.validate_dob(date(1985, 3, 14), today) == date(1985, 3, 14)
    _each_rejected(lambda bad: validators.validate_dob(bad, today), date(1899, 12, 31), date(2026, 1, 2))


def test_currency_and_reference_are_upper_cased() -> None:
    assert validators.normalize_currency(" usd ") == "USD"
    assert validators.normalize_reference(" acme-1001 ") == "ACME-1001"
    _each_rejected(validators.normalize_currency, "US", "USDX", "U$D")
    _each_rejected(validators.normalize_reference, "", "ACME 1001", "-ACME")
