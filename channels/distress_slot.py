"""The tone slot computed in the Rasa process: no round trip to the action server on every debtor message.

Rasa 3.6's `ActionExtractSlots` ends every debtor message (and every form activation) by calling
`action_validate_slot_mappings` when the domain lists it (`_execute_validation_action`): the whole tracker
as JSON, posted to the action server, for one slot. Ours (`ValidateSlotMappings`, actions/support.py, a
rasa_sdk `ValidationAction`) only extracts `distress_level` from the debtor's messages (the rule of
shared/distress_tone.py, written once for both) and has no `validate_<slot>` method. `install()` replaces
the method with one that answers as rasa_sdk would have, without the call:

- rasa_sdk extracts the slot for every slot of the domain it got outside forms (a mapping without an
  `active_loop` condition), and ours has an extract method for `distress_level` only: one `SlotSet` of it,
  always, changed or not, computed on the tracker with the latest message;
- it then "validates" the slot events at the end of the tracker it got (the trailing run of `slot` events:
  Rasa's extracted candidates, after the slots set just before them at a form's activation, then the
  extracted tone), each slot once with its last value, in first-seen order, leaving out the slots in forms:
  all come back unchanged, since no `validate_<slot>` method exists;
- with a selective domain (`enable_selective_domain` on the action endpoint, the action not asking for the
  domain) it got no domain, so no slot at all.

Rasa's own merge follows as in the original: the answer first, then the candidates it did not name.
`install()` runs in the Rasa server's launcher (channels/serve.py) before Rasa starts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final

from rasa.core.actions.action import ActionExtractSlots, RemoteAction  # type: ignore[import-untyped]
from rasa.shared.core.constants import ACTION_VALIDATE_SLOT_MAPPINGS  # type: ignore[import-untyped]
from rasa.shared.core.events import Restarted, SlotSet, UserUttered  # type: ignore[import-untyped]

from bot.distress.escalation import WINDOW, conversation_level
from shared.distress_tone import SLOT, recent_levels

STOCK_VALIDATE: Final = ActionExtractSlots._execute_validation_action
"""Rasa's own method, which calls the action server (kept for comparison and the tests)."""


def readings(tracker: Any) -> Iterator[dict[str, Any]]:
    """The NLU readings of the debtor's messages since the latest restart, newest first."""
    for event in reversed(tracker.events):
        if isinstance(event, Restarted):
            return
        if isinstance(event, UserUttered):
            yield event.parse_data


def tone(tracker: Any) -> str:
    """The conversation's distress level after its latest message (shared/distress_tone.py)."""
    return conversation_level(recent_levels(readings(tracker), WINDOW))


def trailing_slot_events(tracker: Any) -> list[Any]:
    """The slot events at the tracker's end, oldest first (what rasa_sdk's `slots_to_validate` reads)."""
    trailing: list[Any] = []
    for event in reversed(tracker.events):
        if not isinstance(event, SlotSet):
            break
        trailing.append(event)
    return trailing[::-1]


def domain_sent(domain: Any, action_endpoint: Any) -> Mapping[str, Any]:
    """The domain the action server would get: none with a selective domain the action did not ask for."""
    selective = RemoteAction(ACTION_VALIDATE_SLOT_MAPPINGS, action_endpoint)._is_selective_domain_enabled()
    asked = domain.does_custom_action_explicitly_need_domain(ACTION_VALIDATE_SLOT_MAPPINGS)
    sent: Mapping[str, Any] = domain.as_dict() if asked or not selective else {}
    return sent


def in_a_form(slot: Mapping[str, Any]) -> bool:
    """Whether a slot of the domain has a mapping conditioned on an active form (rasa_sdk's test)."""
    mappings = slot.get("mappings") or []
    return any(
        condition.get("active_loop") for mapping in mappings for condition in mapping.get("conditions", [])
    )


def slots_outside_forms(domain: Mapping[str, Any]) -> set[str]:
    """The slots rasa_sdk's `ValidationAction` extracts and validates: those of no form."""
    return {name for name, slot in domain.get("slots", {}).items() if not in_a_form(slot)}


def validation_events(candidates: list[Any], tracker: Any, domain: Any, action_endpoint: Any) -> list[Any]:
    """The SlotSet events `ValidateSlotMappings` would return for Rasa's extracted `candidates`."""
    ours = slots_outside_forms(domain_sent(domain, action_endpoint))
    extracted = [SlotSet(SLOT, tone(tracker))] if SLOT in ours else []
    latest = {event.key: event.value for event in [*trailing_slot_events(tracker), *candidates, *extracted]}
    return [SlotSet(name, value) for name, value in latest.items() if name in ours]


async def execute_validation_action(
    self: Any, extraction_events: list[Any], output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> list[Any]:
    """ActionExtractSlots._execute_validation_action, our validation action's answer computed here."""
    candidates = [event for event in extraction_events if isinstance(event, SlotSet)]
    if ACTION_VALIDATE_SLOT_MAPPINGS not in domain.user_actions:
        return candidates
    validated = validation_events(candidates, tracker, domain, self._action_endpoint)
    named = {event.key for event in validated}
    return [*validated, *(event for event in candidates if event.key not in named)]


def install() -> None:
    """Make this process's ActionExtractSlots compute the tone slot instead of calling the action server."""
    ActionExtractSlots._execute_validation_action = execute_validation_action


def installed() -> bool:
    """Whether this process's ActionExtractSlots computes the tone slot itself."""
    return ActionExtractSlots._execute_validation_action is execute_validation_action
