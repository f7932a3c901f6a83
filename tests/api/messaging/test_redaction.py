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
    "text",
    [
        "11-30-1978 94110",
        "03 14 1985 20001",
        "415-555-0133 94110",
        "11/30/1978 94110",
        "ACME-1001 03-14-1985 20001",
        "acme1001 03-14-1985 20001",
        "ACME 1001 03-14-1985 20001",
    ],
)
def test_a_birth_date_or_a_phone_number_beside_a_zip_code_is_no_card_number(text: str) -> None:
    # "11-30-1978 94110" is 13 digits that pass the Luhn check: it had been cut out, and read as an opt-out
    assert redact(text) == text


@pytest.mark.parametrize("before", ["12 ", "11-30 ", "415-555 ", "11-30-1978 "])
def test_a_card_number_after_a_date_or_a_phone_number_is_still_removed(before: str) -> None:
    for card in ("4111 1111 1111 1111", "4222222222222"):
        redacted = redact(f"{before}{card}")
        assert CARD_PLACEHOLDER in redacted and card not in redacted and "1111 1111" not in redacted


def test_a_card_number_glued_to_a_word_is_still_removed() -> None:
    assert CARD_PLACEHOLDER in redact("visa4111111111111111")
    assert "1111" not in redact("cc#4111 1111 1111 1111")


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


@pytest.mark.parametrize(
    "text", ["4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", "41 11 11 11 11 11 11 11", "4111-11111-1111111"]
)
def test_a_card_number_grouped_oddly_is_still_removed(text: str) -> None:
    assert redact(f"card {text} thanks") == f"card {CARD_PLACEHOLDER} thanks"
