"""The portal's card form checks: Luhn, expiry, security code, amount; only the last 4 survive."""

from datetime import date
from decimal import Decimal

import pytest

from api.collections.payment_links import CardPayment
from api.portal.card_form import MAX_FORM_BYTES, check_form, luhn_valid, parse_form

TODAY = date(2026, 11, 22)
BALANCE = Decimal("1320.40")
VALID = {
    "amount": "100",
    "name": "Jordan Rivera",
    "card_number": "4111 1111 1111 1111",
    "expiry": "04/28",
    "cvc": "123",
}


@pytest.mark.parametrize(
    "number",
    ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "4012888888881881"],
)
def test_well_known_test_card_numbers_pass_luhn(number: str) -> None:
    assert luhn_valid(number)


@pytest.mark.parametrize("number", ["4111111111111112", "1234567812345678", "378282246310006"])
def test_a_mistyped_number_fails_luhn(number: str) -> None:
    assert not luhn_valid(number)


def test_a_valid_form_keeps_only_the_amount_and_the_last_4() -> None:
    result = check_form(VALID, BALANCE, TODAY)

    assert (result.payment, result.errors) == (CardPayment(Decimal("100.00"), "1111"), {})
    assert "4111 1111" not in repr(result) and "41111111" not in repr(result)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("card_number", "4111 1111 1111 1112"),
        ("card_number", "4111"),
        ("card_number", "4111-1111-1111-111x"),
        ("expiry", "13/28"),
        ("expiry", "10/26"),
        ("expiry", "2028-04"),
        ("cvc", "12"),
        ("cvc", "12a"),
        ("amount", "0"),
        ("amount", "1320.41"),
        ("amount", "ten"),
        ("amount", "10.001"),
        ("name", "   "),
    ],
)
def test_each_bad_field_is_named(field: str, value: str) -> None:
    result = check_form({**VALID, field: value}, BALANCE, TODAY)

    assert result.payment is None
    assert list(result.errors) == [field]


@pytest.mark.parametrize(
    ("expiry", "ok"), [("11/26", True), ("11/2026", True), ("10/26", False), ("1/30", True)]
)
def test_a_card_is_valid_until_the_end_of_its_expiry_month(expiry: str, ok: bool) -> None:
    assert (check_form({**VALID, "expiry": expiry}, BALANCE, TODAY).payment is not None) is ok


def test_amounts_may_carry_a_dollar_sign_and_commas() -> None:
    result = check_form({**VALID, "amount": "$1,320.40"}, BALANCE, TODAY)

    assert result.payment == CardPayment(Decimal("1320.40"), "1111")


def test_parse_form_reads_urlencoded_bodies_and_refuses_huge_ones() -> None:
    assert parse_form(b"amount=10&card_number=4111+1111&name=J%C3%B6rg") == {
        "amount": "10",
        "card_number": "4111 1111",
        "name": "Jörg",
    }
    assert parse_form(b"a=" + b"x" * MAX_FORM_BYTES) == {}
