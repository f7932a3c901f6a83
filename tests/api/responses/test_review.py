"""The compliance review before publishing: forbidden phrasings, kept disclosures, fillable placeholders."""

from typing import Any

import pytest

from api.compliance import language_lint
from api.responses import review, service
from tests.api.responses_helpers import DOMAIN

RESPONSES = service.read_domain_responses(DOMAIN)
MIRANDA = [{"text": "Hi. This is a communication from a debt collector."}]


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_of_domain_yml_can_be_published_unchanged(name: str) -> None:
    assert review.review(RESPONSES[name], RESPONSES[name]) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Pay today or we will have you arrested.", "threat of arrest"),
        ("This is your final notice.", "false urgency"),
        ("We may garnish your wages.", "garnishment"),
        ("Don't be stupid, pay.", "profanity"),
        ("Paying avoids court.", "time barred legal mention"),
    ],
)
def test_forbidden_phrasings_block(text: str, problem: str) -> None:
    assert f"variation 1: forbidden phrasing ({problem})" in review.review([{"text": text}], None)


def test_button_titles_and_custom_texts_are_reviewed_too() -> None:
    variation = {"text": "Choose", "buttons": [{"title": "Avoid a lawsuit", "payload": "/x"}]}
    custom = {"custom": {"text": "Last chance!"}}

    assert review.review([variation], None)[0].startswith("variation 1: forbidden phrasing (legal threat)")
    assert review.review([custom], None) == ["variation 1: forbidden phrasing (false urgency)"]


def test_a_response_that_carried_the_mini_miranda_keeps_it_in_every_variation() -> None:
    kept = [{"text": "Hello! This is a communication from a debt collector."}]
    with_one_without: list[dict[str, Any]] = [*kept, {"text": "Hello!"}]

    assert review.review(kept, MIRANDA) == []
    assert review.review(with_one_without, MIRANDA) == ["variation 2: must keep the mini miranda"]
    assert review.review([{"text": "Hello!"}], [{"text": "Hello."}]) == []


def test_the_time_barred_disclosure_is_allowed_and_kept() -> None:
    disclosure = " ".join(language_lint.TIME_BARRED_DISCLOSURES)

    assert review.review([{"text": disclosure}], None) == []
    assert review.review([{"text": "Hi"}], [{"text": disclosure}]) == [
        "variation 1: must keep the time barred disclosure"
    ]


def test_a_lone_brace_is_a_problem_but_a_doubled_one_is_a_literal() -> None:
    assert review.review([{"text": "Pay {total"}], None)[0].startswith("variation 1: broken placeholder")
    assert review.review([{"text": "Pay }"}], None)[0].startswith("variation 1: broken placeholder")
    assert review.review([{"text": "Braces {{like this}} and {total}"}], None) == []


def test_a_response_needs_a_variation() -> None:
    assert review.review([], None) == ["a response needs at least one variation"]


def test_a_disclosure_its_companion_carries_may_leave_a_response() -> None:
    legacy_introduction = [{"text": "Hi, I'm Penny. This is a communication from a debt collector."}]
    plain = [{"text": "Hi, I'm Penny."}]
    carried = frozenset({"mini_miranda"})

    assert review.review(plain, legacy_introduction, "utter_introduction", carried) == []
    assert review.review(plain, legacy_introduction, "utter_introduction") == [
        "variation 1: must keep the mini miranda"
    ]


def test_a_response_said_to_accounts_whose_collection_stopped_never_carries_the_mini_miranda() -> None:
    with_miranda = [{"text": "What's your date of birth? This is an attempt to collect a debt."}]

    assert review.review(with_miranda, None, "utter_ask_dob") == [
        "variation 1: must not carry the mini miranda (utter_debt_collector_notice does)"
    ]
    assert review.review(with_miranda, None, "utter_balance") == []
