"""The tone slot (`distress_level`): which of the debtor's messages count, and the distress level of each.

One rule for both processes: the Rasa server sets the slot itself after every debtor message
(channels/distress_slot.py), and the action server's `action_validate_slot_mappings` (actions/support.py)
sets the same for `rasa shell` and anything else run without our launcher. Both hand in the NLU readings
(`parse_data`) of the debtor's messages, newest first, and make the slot's value of the levels with
`bot.distress.escalation.conversation_level` (kept in bot/, whose every file is part of the model's hash).
Standard library only, so both environments import it.
"""

from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any, Final

from shared.identity_facts import IDENTITY_ENTITIES

SLOT: Final = "distress_level"
IDENTITY_INTENT: Final = "inform_identity"
CALM: Final = (None, "none")
Reading = Mapping[str, Any]
"""One debtor message's NLU reading (its `parse_data`), with the distress detector's `distress`."""


def level_of(reading: Reading) -> str | None:
    """The distress level the NLU found in a debtor message."""
    level: str | None = (reading.get("distress") or {}).get("level")
    return level


def calm_identity_answer(reading: Reading) -> bool:
    """A debtor message without distress that gives a reference, a date of birth or a ZIP code."""
    named = {entity.get("entity") for entity in reading.get("entities") or []}
    identity = (reading.get("intent") or {}).get("name") == IDENTITY_INTENT or named & IDENTITY_ENTITIES
    return level_of(reading) in CALM and bool(identity)


def recent_levels(newest_first: Iterable[Reading], window: int) -> list[str | None]:
    """Distress levels of the last `window` debtor messages that count, oldest first; a calm answer to an
    identity question ("03/14/1985") says nothing of how the debtor feels, so "im so stressed i cant even
    sleep" before verification still sets the tone of the balance after it."""
    counted = (level_of(reading) for reading in newest_first if not calm_identity_answer(reading))
    return list(islice(counted, window))[::-1]
