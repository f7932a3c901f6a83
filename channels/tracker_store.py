"""Rasa's Redis tracker store saving a turn with one read of the stored conversation instead of two.

Rasa 3.6's `RedisTrackerStore.save` first streams the turn's new events to the event broker, which reads
and deserialises the stored conversation (`retrieve`, rebuilding a tracker per conversation session),
then reads and deserialises it again to merge it with the tracker it writes back. `save` here reads it
once and uses that copy for both: the new events are those past the length of the stored last session
(what Rasa's `TrackerEventDiffEngine` counts of `retrieve`'s answer), the merge is Rasa's own
`_merge_trackers`; the same events reach the broker, in the same order, before the same value is written
(issue 15). `install()` runs in the Rasa server's launcher (channels/serve.py) before Rasa starts.
"""

from __future__ import annotations

import itertools
from typing import Any

from rasa.core.tracker_store import RedisTrackerStore  # type: ignore[import-untyped]
from rasa.shared.core.constants import ACTION_SESSION_START_NAME  # type: ignore[import-untyped]
from rasa.shared.core.events import ActionExecuted, split_events  # type: ignore[import-untyped]

STOCK_SAVE = RedisTrackerStore.save
"""Rasa's own, kept for comparison (tests)."""


def last_session_length(stored: Any) -> int:
    """How many events Rasa's `retrieve` returns of a stored tracker (its last conversation session),
    counted without rebuilding a tracker per session as `get_trackers_for_conversation_sessions` does."""
    start = {"action_name": ACTION_SESSION_START_NAME}
    sessions = split_events(stored.events, ActionExecuted, start, include_splitting_event=True)
    if len(sessions) <= 1:
        return len(stored.events)
    limit = stored._max_event_history
    return len(sessions[-1]) if limit is None else min(len(sessions[-1]), limit)


async def save(self: Any, tracker: Any, timeout: float | None = None) -> None:
    """Stream the turn's new events, then write the merged conversation; one GET, one deserialisation."""
    key = self.key_prefix + tracker.sender_id
    raw = self.red.get(key)
    prior = self.deserialise_tracker(tracker.sender_id, raw) if raw is not None else None
    if self.event_broker is not None:
        offset = last_session_length(prior) if prior is not None else 0
        new_events = list(itertools.islice(tracker.events, offset, len(tracker.events)))
        await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)
    if prior is not None:
        tracker = self._merge_trackers(prior, tracker)
    if not timeout and self.record_exp:
        timeout = self.record_exp
    self.red.set(key, self.serialise_tracker(tracker), ex=timeout)


def install() -> None:
    """Make this process's Redis tracker store read the stored conversation once per save."""
    RedisTrackerStore.save = save


def installed() -> bool:
    """Whether this process's Redis tracker store saves with one read."""
    return RedisTrackerStore.save is save
