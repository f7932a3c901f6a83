"""The debt collector notice of a session's first turn waits for the turn's answer to the message.

`action_session_start` runs before the debtor's first message is read, so its Reg F 1006.18(e) notice ("This
is an attempt to collect a debt") went to whoever wrote first: a sister reporting her brother's death, an
attorney taking the matter over, a stranger whose number we had wrongly (heldout19 658, 660). The notice is
owed to the consumer; to anyone else it tells a third party that a debt is being collected. The gate
withholds it only on an account already stopped, and the flag is recorded later in the same turn.

`HeldNotice` wraps a turn's output channel: from the notice on, the turn's messages wait, in order, until
the turn is over; the notice is then dropped if the turn's answer says the writer is not the consumer or
collection stopped (the answers in `WITHOUT_THE_NOTICE`), and everything else goes in the order it came.
A turn without the notice (every turn but a session's first) passes straight through.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final

from rasa.core.channels.channel import OutputChannel, UserMessage  # type: ignore[import-untyped]

DEBT_COLLECTOR_NOTICE: Final = "utter_debt_collector_notice"
WITHOUT_THE_NOTICE: Final = frozenset(
    {
        "utter_flag_attorney",
        "utter_attorney_contact_noted",
        "utter_flag_bankruptcy",
        "utter_flag_deceased",
        "utter_paused_attorney",
        "utter_paused_bankruptcy",
        "utter_paused_deceased",
        "utter_paused_cease",
        "utter_wrong_person",
    }
)
"""Answers saying the writer is not the consumer (a relative, an attorney, a wrong number) or that collection
stopped (bankruptcy, cease): response names as in domain.yml (tests/channels/test_held_notice.py)."""


def response_of(message: Mapping[str, Any]) -> str | None:
    """The response a bot message was made from, if any."""
    name = message.get("utter_action")
    return name if isinstance(name, str) else None


class HeldNotice:
    """A turn's output channel that holds the session's notice, and what follows it, until the turn ends."""

    def __init__(self, output: OutputChannel) -> None:
        self.output = output
        self.held: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.output, name)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Pass the message on, or hold it when it is the notice or follows it."""
        if self.held or response_of(message) == DEBT_COLLECTOR_NOTICE:
            self.held.append((recipient_id, message))
            return
        await self.output.send_response(recipient_id, message)

    async def release(self) -> None:
        """The turn is over: send what was held, without the notice if the answer says so."""
        held, self.held = self.held, []
        answers = {response_of(message) for _, message in held}
        drop = DEBT_COLLECTOR_NOTICE if answers & WITHOUT_THE_NOTICE else None
        for recipient_id, message in held:
            if response_of(message) != drop:
                await self.output.send_response(recipient_id, message)


OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def holding_the_notice(on_new_message: OnNewMessage) -> OnNewMessage:
    """`on_new_message` with the turn's output through `HeldNotice`, released when the turn ends (or fails:
    what was held goes before the channel's reply to the failure)."""

    async def turn(message: UserMessage) -> Any:
        held = HeldNotice(message.output_channel)
        message.output_channel = held
        try:
            return await on_new_message(message)
        finally:
            message.output_channel = held.output
            await held.release()

    return turn
