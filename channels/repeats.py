"""One answer never says the same thing twice.

A debtor's first message about hard times ("my husband is in the hospital and im barely keeping the
lights on") got "I'm sorry things are hard right now..." twice in one answer: two predictions in a row
uttered the same response. A message handled in parts (channels/segments.py) can likewise bring the same
line from two parts. Rasa 3.6 sends each `BotUttered` of an action as it runs
(`MessageProcessor._send_bot_messages`, after the events are on the tracker); here a line identical in text,
buttons and payload to one already sent in answer to the same debtor message (its parts included) is not
sent again. The tracker keeps every event as Rasa logged it. `install()` runs in the Rasa server's launcher
(channels/serve.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, Final

from rasa.core.channels.channel import OutputChannel  # type: ignore[import-untyped]
from rasa.core.processor import MessageProcessor  # type: ignore[import-untyped]
from rasa.shared.core.events import BotUttered, UserUttered  # type: ignore[import-untyped]
from rasa.shared.core.trackers import DialogueStateTracker  # type: ignore[import-untyped]

STOCK_SEND: Final = MessageProcessor._send_bot_messages
_LATER_PART: Final = re.compile(r"\.\d+$")
"""segments.part_message: the second and later parts of a message carry its id with ".N"."""


def line(event: BotUttered) -> str:
    """What the debtor sees of an utterance: its text, buttons and custom payload."""
    message = event.message()
    shown = {key: message.get(key) for key in ("text", "buttons", "quick_replies", "custom", "image")}
    return json.dumps(shown, sort_keys=True, default=str)


def _starts_the_answer(event: Any) -> bool:
    """A debtor message that is not a later part of one handled in parts."""
    return isinstance(event, UserUttered) and not _LATER_PART.search(event.message_id or "")


def answer_so_far(tracker: DialogueStateTracker) -> list[BotUttered]:
    """The bot's utterances since the debtor message being answered (all its parts)."""
    said: list[BotUttered] = []
    for event in reversed(tracker.events):
        if _starts_the_answer(event):
            break
        if isinstance(event, BotUttered):
            said.append(event)
    return said[::-1]


SAID_JUST_BEFORE: Final = {"utter_who_is_this": "utter_introduction"}
"""A response not sent when the one it maps to was said just before the debtor's message: a first message
asking who we are ("who are you people") heard "Hi, I'm Penny, the virtual assistant of Acme Recovery
Services" from the session's start and then "This is Penny, the virtual assistant of ..." again."""


def response_of(event: BotUttered) -> str | None:
    """The domain response an utterance was made from, if any."""
    return (event.metadata or {}).get("utter_action")


def said_before_the_message(tracker: DialogueStateTracker) -> set[str]:
    """The responses said between the debtor's previous message and the one being answered."""
    said: set[str] = set()
    passed = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered) and passed:
            break
        passed = passed or _starts_the_answer(event)
        response = response_of(event) if passed and isinstance(event, BotUttered) else None
        said |= {response} if response else set()
    return said


def first_times(events: Iterable[Any], tracker: DialogueStateTracker) -> list[BotUttered]:
    """The utterances among `events` (already on the tracker) not said before in this answer, nor said in
    other words just before the debtor's message (SAID_JUST_BEFORE)."""
    new = [event for event in events if isinstance(event, BotUttered)]
    earlier = answer_so_far(tracker)
    seen = {line(event) for event in earlier[: max(len(earlier) - len(new), 0)]}
    before = said_before_the_message(tracker)
    covered = {name for name, cover in SAID_JUST_BEFORE.items() if cover in before}
    kept: list[BotUttered] = []
    for event in new:
        if line(event) not in seen and response_of(event) not in covered:
            kept.append(event)
            seen.add(line(event))
    return kept


async def send_without_repeats(
    events: list[Any], tracker: DialogueStateTracker, output_channel: OutputChannel
) -> None:
    """MessageProcessor._send_bot_messages, without a line already sent in this answer."""
    for event in first_times(events, tracker):
        await output_channel.send_response(tracker.sender_id, event.message())


def install() -> None:
    """Make this process's processor send each line of an answer once."""
    MessageProcessor._send_bot_messages = staticmethod(send_without_repeats)


def installed() -> bool:
    """Whether this process's processor drops repeated lines."""
    return MessageProcessor.__dict__["_send_bot_messages"].__func__ is send_without_repeats
