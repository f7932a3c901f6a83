"""Conversation-level distress: repeated distress escalates, crisis always wins, a warning sign is next."""

import pytest

from bot.distress.escalation import conversation_level


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([], "none"),
        (["none"], "none"),
        (["elevated"], "elevated"),
        (["high"], "high"),
        (["none", "none", "crisis"], "crisis"),
        (["elevated", "none", "elevated"], "high"),  # distress that keeps coming back
        (["elevated", "elevated", "none"], "none"),  # calm now: no escalation on a calm turn
        (["crisis", "none"], "high"),  # right after a crisis the tone stays gentle
        (["crisis", "none", "none", "none"], "none"),
        ([None, "elevated"], "elevated"),
        (["none", "crisis_check"], "crisis_check"),  # a warning sign: ask directly
        (["crisis_check", "crisis"], "crisis"),
        (["crisis_check", "none"], "high"),  # after a check-in the tone stays gentle
        (["crisis_check", "none", "none", "none"], "none"),
    ],
)
def test_conversation_level(levels, expected):
    assert conversation_level(levels) == expected
