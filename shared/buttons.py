"""A typed answer to the buttons the bot offered last: "2", "2.", "2)" or the button's own title.

SMS shows buttons as numbered options and webchat draws them, but debtors often type instead of tapping:
"Great", "great!!", "talk to a person". A reply that is exactly an option's number or (ignoring case,
punctuation and emoji) exactly its title stands for that button's payload; anything longer is left to the
NLU, so "ok but how much is it" is never read as the "OK" button.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Final

_OPTION: Final = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
_NOT_WORD: Final = re.compile(r"[^a-z0-9]+")

Buttons = Sequence[Mapping[str, str]]


def normalised(text: str) -> str:
    """Lower case words only: "Great!! 👍" -> "great"."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def by_number(buttons: Buttons, body: str) -> str | None:
    """The payload of option N when the body is just "N" (or "N." / "N)") and N was offered."""
    match = _OPTION.match(body)
    if match is None:
        return None
    index = int(match.group(1)) - 1
    return buttons[index]["payload"] if 0 <= index < len(buttons) else None


def by_title(buttons: Buttons, body: str) -> str | None:
    """The payload of the one button whose title the body is; None when none or several match."""
    said = normalised(body)
    matches = [b["payload"] for b in buttons if said and normalised(b.get("title", "")) == said]
    return matches[0] if len(matches) == 1 else None


def chosen_payload(buttons: Buttons | None, body: str) -> str | None:
    """The payload the reply picks from the buttons offered, by number or by title; None otherwise."""
    if not buttons:
        return None
    return by_number(buttons, body) or by_title(buttons, body)


class OfferedButtons:
    """The buttons last offered per conversation, for the very next message only (bounded, oldest dropped)."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._offered: OrderedDict[str, list[dict[str, str]]] = OrderedDict()
        self._capacity = capacity

    def offer(self, conversation_id: str, buttons: Buttons) -> None:
        """Remember what was offered; drop the oldest conversation beyond capacity."""
        kept = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))} for b in buttons]
        self._offered[conversation_id] = [b for b in kept if b["title"] and b["payload"]]
        self._offered.move_to_end(conversation_id)
        while len(self._offered) > self._capacity:
            self._offered.popitem(last=False)

    def take(self, conversation_id: str, body: str) -> str | None:
        """The payload the reply picks; the offer is used up by any reply."""
        return chosen_payload(self._offered.pop(conversation_id, None), body)

    def __len__(self) -> int:
        return len(self._offered)
