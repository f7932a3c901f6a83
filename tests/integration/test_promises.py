"""Part of the total now and the rest later, on the running product: "can i pay 300 tomorrow and the rest
in 2 weeks?" is two promises, the second of what is left; a month without a day gets the day asked, and
the answer is the rest's promise (a bare date right after a promise would otherwise correct it). The two
tests promise different amounts: the API records a promise repeated on one account once."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from tests.integration.conftest import Stack
from tests.integration.test_reliability import verified

pytestmark = pytest.mark.integration


def latest_promises(stack: Stack, count: int) -> list[tuple[str, str | None]]:
    """The last `count` promises recorded, oldest first, as (date, amount)."""
    with sqlite3.connect(stack.env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        rows = db.execute("SELECT promised_on, amount FROM promises ORDER BY rowid DESC LIMIT ?", (count,))
        return [(str(day), None if amount is None else f"{float(amount):.2f}") for day, amount in rows][::-1]


def test_part_now_and_the_rest_in_two_weeks_are_two_promises(stack: Stack) -> None:
    sender = verified(stack)

    said = " ".join(stack.say(sender, "can i pay 300 tomorrow and the rest in 2 weeks?"))

    assert "$300.00" in said and "$1,020.40" in said, said
    assert [amount for _, amount in latest_promises(stack, 2)] == ["300.00", "1020.40"]


def test_the_rest_in_a_month_gets_its_day_asked_and_the_answer_is_the_rest(stack: Stack) -> None:
    sender = verified(stack)
    month = (date.today() + timedelta(days=40)).strftime("%B").lower()

    asked = " ".join(stack.say(sender, f"i'll pay 250 tomorrow and the rest in {month}"))
    day = date.today() + timedelta(days=12)
    answered = " ".join(stack.say(sender, f"{day.month}/{day.day}"))

    assert "$250.00" in asked and "That leaves $1,070.40. Which day" in asked, asked
    assert "$1,070.40" in answered, answered
    first, rest = latest_promises(stack, 2)  # "tomorrow" is the debtor's, whatever the machine's date
    assert (first[1], rest) == ("250.00", (str(day), "1070.40"))
