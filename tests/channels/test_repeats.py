"""channels.repeats: one answer never says the same line twice (issue 11)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels import repeats

EMPATHY = "I'm sorry things are hard right now."
ASK_REF = "To find your account, please send the reference number."


def said(text: str, **data: Any) -> BotUttered:
    return BotUttered(text, data=data)


def tracker_with(*events: Any) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("debtor", list(events))


async def sent(new: list[Any], *history: Any) -> list[str]:
    """What the patched send puts on the channel for `new`, logged after `history` as Rasa does."""
    channel = CollectingOutputChannel()
    await repeats.send_without_repeats(new, tracker_with(*history, *new), channel)
    return [message["text"] for message in channel.messages]


@pytest.fixture
def patched() -> Iterator[None]:
    repeats.install()
    yield
    MessageProcessor._send_bot_messages = staticmethod(repeats.STOCK_SEND)


async def test_a_line_already_said_in_this_answer_is_not_sent_again() -> None:
    history = [UserUttered("my husband is in the hospital", message_id="m1"), said(EMPATHY)]

    assert await sent([ActionExecuted("utter_hardship_empathy"), said(EMPATHY)], *history) == []
    assert await sent([said(ASK_REF)], *history) == [ASK_REF]


async def test_the_same_line_twice_in_one_action_goes_once() -> None:
    history = [UserUttered("hi", message_id="m1")]

    assert await sent([said(EMPATHY), said(EMPATHY), said(ASK_REF)], *history) == [EMPATHY, ASK_REF]


async def test_a_line_said_in_answer_to_an_earlier_message_is_said_again() -> None:
    history = [UserUttered("hi", message_id="m1"), said(ASK_REF), UserUttered("what?", message_id="m2")]

    assert await sent([said(ASK_REF)], *history) == [ASK_REF]


def from_response(text: str, response: str) -> BotUttered:
    return BotUttered(text, metadata={"utter_action": response})


async def test_who_we_are_is_not_said_again_right_after_the_introduction() -> None:
    """heldout16 570: "who is Sam??" as the first message heard who we are twice, in other words."""
    intro = from_response("Hi, I'm Penny, the virtual assistant.", "utter_introduction")
    who = from_response("This is Penny, the virtual assistant.", "utter_who_is_this")
    first = [intro, UserUttered("who are you people", message_id="m1")]
    later = [*first, said(ASK_REF), UserUttered("sorry, who is this again?", message_id="m2")]

    assert await sent([who, said(ASK_REF)], *first) == [ASK_REF]
    assert await sent([who], *later) == [who.text]


async def test_parts_of_one_message_are_one_answer() -> None:
    history = [
        UserUttered("i lost my job", message_id="m1"),
        said(EMPATHY),
        UserUttered("can you stop texting in the mornings", message_id="m1.1"),
    ]

    assert await sent([said(EMPATHY), said("Noted.")], *history) == ["Noted."]


async def test_the_same_text_with_other_buttons_is_another_line() -> None:
    history = [UserUttered("hi", message_id="m1"), said("Did you mean?", buttons=[{"title": "A"}])]

    assert await sent([said("Did you mean?", buttons=[{"title": "B"}])], *history) == ["Did you mean?"]


@pytest.mark.usefixtures("patched")
def test_install_replaces_rasas_send() -> None:
    assert repeats.installed()
    assert MessageProcessor._send_bot_messages is repeats.send_without_repeats
