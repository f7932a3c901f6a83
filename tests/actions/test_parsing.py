"""What debtors type becomes normalised identity facts."""

from datetime import date
from decimal import Decimal

import pytest

from actions.formatting import long_date, money
from actions.parsing import (
    corrects_a_date,
    parse_dob,
    parse_frequency,
    parse_identity_facts,
    parse_past_date,
    parse_reference,
    parse_zip,
    resolve_date,
)


@pytest.mark.parametrize(
    "text",
    [
        "3/14/1985",
        "03/14/85",
        "march 14 1985",
        "14 March 1985",
        "1985-03-14",
        "my dob is 3/14/1985",
        "mar 14 85",
        "the fourteenth of march, 1985",
        "ACME-1001 dob 03.14.1985 zip 20001",
        "3.14.85",
        "sorry wrong year!! it's march the fourteenth, 1985",
    ],
)
def test_dates_of_birth_in_the_forms_people_type(text):
    assert parse_dob(text) == "1985-03-14"


@pytest.mark.parametrize(
    ("text", "iso"),
    [("the second of july, 1990", "1990-07-02"), ("december thirty-first 1970", "1970-12-31")],
)
def test_ordinal_words_are_days(text, iso):
    assert parse_dob(text) == iso


def test_a_birth_date_after_another_date_in_the_message_is_found():
    """heldout13 454: "... pay off the bill today ... dob july 2nd 1990": asked for the birth date."""
    text = "id like to pay off the hospital bill today and be done w it. dob july 2nd 1990, zip 60601"
    assert parse_dob(text) == "1990-07-02"


def test_eight_digits_alone_are_a_date_of_birth_as_typed_on_a_keypad():
    assert parse_dob("03141985") == "1985-03-14"
    assert parse_dob("13141985") is None


def test_eight_digits_inside_a_message_are_its_date_of_birth_but_not_inside_a_longer_number():
    """heldout19 650: "... a card thats been closed for a year. 03141985 / 20001" was asked for the date."""
    facts = parse_identity_facts("im not paying junk fees on a closed card. 03141985 / 20001")
    assert (facts.dob, facts.zip_code) == ("1985-03-14", "20001")
    assert parse_dob("ref 10152023", today=date(2026, 11, 22)) is None  # too young to owe us


@pytest.mark.parametrize(
    "text", ["hello", "2030-01-01", "13/45/1985", "", "I filed chapter 7 last month", "3/14/2015"]
)
def test_no_date_of_birth_from_text_that_is_not_one(text):
    assert parse_dob(text, today=date(2026, 11, 22)) is None


def test_zip_is_not_confused_with_the_date():
    assert parse_identity_facts("its 3-14-1985 and zip is 20001-1234").zip_code == "20001"
    assert parse_zip("my zip 94110") == "94110"
    assert parse_zip("1234") is None


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("acme 1001", "ACME-1001"),
        ("ref: ACME-1001", "ACME-1001"),
        ("ACME1001", "ACME-1001"),
        ("zip 20001", None),
        ("hello", None),
        # heldout15 527: a phone number after "at" is no reference, and the real one later is found
        (
            "My attorney, Priya Nandakumar at 415-555-0123, is handling all of this. Reference ACME-1003.",
            "ACME-1003",
        ),
        ("call her at 415 555 0123", None),
        ("i paid 300 on it", None),
    ],
)
def test_references(text, ref):
    assert parse_reference(text) == ref


def test_money_is_formatted_from_decimal_without_rounding_surprises():
    assert money(Decimal("1320.4")) == "$1,320.40"
    assert money(Decimal("0.005")) == "$0.01"
    assert money(Decimal("12"), "JPY") == "12.00 JPY"
    assert long_date(date(2026, 12, 5)) == "Dec 5, 2026"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one week from today", "2026-12-12"),
        ("tonight", "2026-12-05"),
        ("later today", "2026-12-05"),
        ("10 days from now", "2026-12-15"),
        ("in a week", "2026-12-12"),
        ("friday", "2026-12-11"),
        ("the 15th", "2026-12-15"),
        ("next fri", "2026-12-11"),  # heldout10 364: "i can pay next fri" was no date
        ("thurs", "2026-12-10"),
        ("on weds", "2026-12-09"),
        ("tues", "2026-12-08"),
    ],
)
def test_promise_dates_relative_to_today(text, expected):
    """Issue 11 (heldout6 237): "make it one week from today" named no date the form could read."""
    assert str(resolve_date(text, "America/Chicago", date(2026, 12, 5))) == expected


TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("october 28th i think, right after my follow up appt", "2026-10-28"),
        ("i think it was the 3rd of november, at the front desk", "2026-11-03"),
        ("november 2nd or 3rd i dont remember", "2026-11-02"),
        ("sometime around 10/28", "2026-10-28"),
        ("i paid oct 28, no wait, oct 29", "2026-10-29"),
        ("i didnt pay on the 3rd, it was the 1st", "2026-12-01"),
        ("paid $28 on dec first", "2026-12-01"),
    ],
)
def test_claim_dates_inside_longer_messages(text, expected):
    """A past date inside what the debtor says about the payment; the first one they keep."""
    assert str(parse_past_date(text, TODAY)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wait sorry, the 18th not the 15th. they pushed payday back this month", "2026-12-18"),
        ("not the 15th, the 18th", "2026-12-18"),
        ("the 15th, no wait, the 18th", "2026-12-18"),
        ("scratch that, make it the 18th", "2026-12-18"),
        ("the 15th. actually the 18th", "2026-12-18"),
        ("the 18th instead of the 15th", "2026-12-18"),
        ("can't on friday, can i do monday?", "2026-12-07"),
    ],
)
def test_negated_and_corrected_promise_dates_give_way(text, expected):
    """The date the debtor keeps, not the one they negate or correct."""
    assert str(resolve_date(text, "America/Chicago", TODAY)) == expected


@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        ("ACME-1003 11/30/1978 94110 i can pay it on the 20th.. no wait make it the 18th", True),
        ("the 15th. actually the 18th", True),
        ("ACME-1003 11/30/1978 94110 i paid 300 on sept 3rd", False),  # a birth date is no correction
        ("sorry, i can pay on the 20th", False),
        ("on the 20th, sorry no more texts", False),
    ],
)
def test_a_date_corrected_in_the_message(text, corrected):
    assert corrects_a_date(text) is corrected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on friday probably, after my check clears", "2026-12-11"),
        ("ill pay the 20th", "2026-12-20"),
        ("$50 on the 18th", "2026-12-18"),
        ("i can pay 200 at 5pm on the 18th", "2026-12-18"),
        ("the 15th at 3", "2026-12-15"),
        ("i cant pay until the 18th", "2026-12-18"),
        ("i can pay 50 every 2 weeks starting friday", "2026-12-11"),
        ("the first of next month", "2027-01-01"),
        ("friday the 18th", "2026-12-18"),
        ("so yeah the 2nd half on the 20th of dec", "2026-12-20"),  # heldout8 322: was Jan 2
        ("my 2nd payment on the 15th", "2026-12-15"),
    ],
)
def test_promise_dates_inside_longer_messages(text, expected):
    """Amounts and times are no dates: "$50 on the 18th" is the 18th, not the year 2050."""
    assert str(resolve_date(text, "America/Chicago", TODAY)) == expected


@pytest.mark.parametrize(
    ("text", "future", "past"),
    [
        ("next month", "2027-01-05", None),
        ("i already paid this in october", None, "2026-10-05"),
        ("this is from like 2019", None, "2019-12-05"),
        ("not the 15th", None, None),
        ("after", None, None),
    ],
)
def test_messages_without_a_kept_date_span_read_as_before(text, future, past):
    """No date expression: the whole text is read as it always was; only negated ones: no date."""
    assert str(resolve_date(text, "America/Chicago", TODAY) or None) == str(future)
    assert str(parse_past_date(text, TODAY) or None) == str(past)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("ill have the money by the end of the month, just so u know", date(2026, 11, 30)),  # heldout19 668
        ("end of month", date(2026, 11, 30)),
        ("by the end of next month", date(2026, 12, 31)),
    ],
)
def test_the_end_of_the_month_is_its_last_day(text, day):
    assert resolve_date(text, "UTC", today=date(2026, 11, 22)) == day


@pytest.mark.parametrize(
    ("text", "today", "day"),
    [
        ("ill pay it this weekend", date(2026, 12, 7), date(2026, 12, 12)),  # heldout29 979: asked again
        ("over the weekend", date(2026, 12, 12), date(2026, 12, 12)),
        ("this wknd", date(2026, 12, 13), date(2026, 12, 13)),
        ("next weekend", date(2026, 12, 7), date(2026, 12, 19)),
        ("next weekend", date(2026, 12, 12), date(2026, 12, 19)),
        ("next weekend", date(2026, 12, 13), date(2026, 12, 19)),
    ],
)
def test_the_weekend_is_its_saturday_or_today_on_it(text, today, day):
    assert resolve_date(text, "UTC", today=today) == day


@pytest.mark.parametrize(
    ("said", "frequency"),
    [
        ("a month", "monthly"),
        ("every other week", "biweekly"),
        ("weekly", "weekly"),
        ("cada mes", "monthly"),
        ("al mes", "monthly"),
        ("cada semana", "weekly"),
        ("cada quincena", "biweekly"),
        ("cada dos semanas", "biweekly"),
        ("two times", None),
    ],
)
def test_how_often_in_english_or_spanish(said: str, frequency: str | None) -> None:
    assert parse_frequency(said) == frequency
