"""The debtor hears who we are in the first answer of every session they write in.

A reminder put on a new conversation's tracker (api/campaigns/reminders.py, `POST .../tracker/events`) makes
Rasa start the session there and then, with nobody to hear it: the introduction and the mini-Miranda went
into the tracker only, and the debtor's reply ("got the reminder, ill pay it on the 15th") met a session
already started and was answered with the date-of-birth question alone. Here a debtor message arriving in
a session in which they have not written yet starts the session again, on the channel they wrote on, so
that the first answer they read says who we are (Reg F 1006.18(e)); the slots `action_session_start`
carries over (the reminder answered, the account the channel bound) are kept. `install()` runs in the Rasa
server's launcher (channels/serve.py).
"""

from __future__ import annotations

from typing import Any, Final

from rasa.core.channels.channel import OutputChannel  # type: ignore[import-untyped]
from rasa.core.policies.policy import PolicyPrediction  # type: ignore[import-untyped]
from rasa.core.processor import MessageProcessor  # type: ignore[import-untyped]
from rasa.shared.core.constants import (  # type: ignore[import-untyped]
    ACTION_SESSION_START_NAME,
    SESSION_START_METADATA_SLOT,
)
from rasa.shared.core.events import (  # type: ignore[import-untyped]
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker  # type: ignore[import-untyped]

STOCK_FETCH: Final = MessageProcessor.fetch_tracker_and_update_session


def started_unheard(tracker: DialogueStateTracker) -> bool:
    """A session is under way (a reminder or an agent's message started it) but the debtor has not written
    in it, so its introduction went to nobody. A debtor message since the session's start, with nothing
    reverted after it, settles it from the end of the tracker (every turn of a conversation under way); only
    otherwise are the applied events worked out (a replay of the whole tracker)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, (SessionStarted, Restarted, UserUtteranceReverted)):
            break
    events = tracker.applied_events()
    return bool(events) and not any(isinstance(event, UserUttered) for event in events)


async def start_session(
    processor: MessageProcessor,
    tracker: DialogueStateTracker,
    output_channel: OutputChannel,
    metadata: dict[str, Any] | None,
) -> None:
    """Run `action_session_start` on the tracker as Rasa does for a new conversation."""
    if metadata:
        tracker.update(SlotSet(SESSION_START_METADATA_SLOT, metadata), processor.domain)
    await processor._run_action(
        action=processor._get_action(ACTION_SESSION_START_NAME),
        tracker=tracker,
        output_channel=output_channel,
        nlg=processor.nlg,
        prediction=PolicyPrediction.for_action_name(processor.domain, ACTION_SESSION_START_NAME),
    )


async def fetch_and_introduce(
    self: MessageProcessor,
    sender_id: str,
    output_channel: OutputChannel | None = None,
    metadata: dict[str, Any] | None = None,
) -> DialogueStateTracker:
    """MessageProcessor.fetch_tracker_and_update_session, starting the session again for a debtor message
    (it has an output channel) in a session the debtor has not written in. The tracker is fetched once:
    Rasa's own fetch would read it from the store again (a Redis GET and a replay of every event)."""
    if output_channel is None:
        return await STOCK_FETCH(self, sender_id, output_channel, metadata)
    tracker = await self.get_tracker(sender_id)
    if started_unheard(tracker):
        await start_session(self, tracker, output_channel, metadata)
    else:
        await self._update_tracker_session(tracker, output_channel, metadata)  # what Rasa's fetch does
    return tracker


def install() -> None:
    """Make this process's processor introduce the bot to a debtor writing first in a session it started."""
    MessageProcessor.fetch_tracker_and_update_session = fetch_and_introduce


def installed() -> bool:
    """Whether this process's processor introduces the bot in such sessions."""
    return MessageProcessor.fetch_tracker_and_update_session is fetch_and_introduce
