"""shared.buttons: a typed reply picks an offered button by its number or its exact title."""

from __future__ import annotations

import pytest

from shared.buttons import OfferedButtons, chosen_payload, normalised

SURVEY = [
    {"title": "Poor", "payload": "/r1"},
    {"title": "Fair", "payload": "/r2"},
    {"title": "OK", "payload": "/r3"},
    {"title": "Good", "payload": "/r4"},
    {"title": "Great", "payload": "/r5"},
]


@pytest.mark.parametrize(
    ("body", "payload"),
    [
        ("5", "/r5"),
        (" 2. ", "/r2"),
        ("3)", "/r3"),
        ("Great", "/r5"),
        ("great!!", "/r5"),
        ("GOOD \N{THUMBS UP SIGN}", "/r4"),
        ("ok", "/r3"),
        ("6", None),
        ("0", None),
        ("ok but how much do i owe", None),
        ("great thanks bye", None),
        ("", None),
        ("\N{THUMBS UP SIGN}", None),
    ],
)
def test_a_reply_picks_by_number_or_exact_title(body: str, payload: str | None) -> None:
    assert chosen_payload(SURVEY, body) == payload


def test_no_buttons_no_choice() -> None:
    assert chosen_payload(None, "1") is None
    assert chosen_payload([], "Great") is None


def test_two_buttons_with_the_same_title_pick_neither() -> None:
    buttons = [{"title": "Yes", "payload": "/a"}, {"title": "yes!", "payload": "/b"}]

    assert chosen_payload(buttons, "yes") is None


def test_normalised_keeps_words_only() -> None:
    assert normalised("  Talk to a PERSON, please!! ") == "talk to a person please"


def test_an_offer_answers_the_next_reply_only() -> None:
    offered = OfferedButtons()
    offered.offer("c1", SURVEY)

    assert offered.take("c1", "what?") is None
    assert offered.take("c1", "Great") is None


def test_offers_are_per_conversation_and_bounded() -> None:
    offered = OfferedButtons(capacity=2)
    for conversation in ("c1", "c2", "c3"):
        offered.offer(conversation, SURVEY)

    assert len(offered) == 2
    assert offered.take("c1", "Great") is None  # the oldest was dropped
    assert offered.take("c3", "Great") == "/r5"


def test_buttons_without_title_or_payload_are_not_offered() -> None:
    offered = OfferedButtons()
    offered.offer("c1", [{"title": "", "payload": "/x"}, {"title": "Yes", "payload": ""}])

    assert offered.take("c1", "1") is None
