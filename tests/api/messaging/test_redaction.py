"""shared.redaction (inbound SMS): Luhn-valid card numbers and SSNs are cut out of texts before storage."""

import pytest

from shared.redaction import CARD_PLACEHOLDER, SSN_PLACEHOLDER, redact


@pytest.mark.parametrize(
    "text",
    ["4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "378282246310005", "6011000990139424"],
)
def test_a_luhn_valid_card_number_is_removed_however_it_is_grouped(text: str) -> None:
    assert redact(f"my card is {text} ok") == f"my card is {CARD_PLACEHOLDER} ok"


@pytest.mark.parametrize(
    "text", ["4111 1111 1111 1112", "call 212 555 0147", "ref 12345678901234", "I can pay 1200.00", "12/2027"]
)
def test_other_digit_runs_are_kept(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123-45-6789", SSN_PLACEHOLDER),
        ("my ssn is 123 45 6789", f"my ssn is {SSN_PLACEHOLDER}"),
        ("SSN: 123456789", f"SSN: {SSN_PLACEHOLDER}"),
        ("social security number 123456789", f"social security number {SSN_PLACEHOLDER}"),
    ],
)
def test_an_ssn_is_removed(text: str, expected: str) -> None:
    assert redact(text) == expected
