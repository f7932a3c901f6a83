"""A dialogue policy that keeps the bot silent while a person owns the conversation."""

from __future__ import annotations

from typing import Any

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.distress import OverridePolicy

SLOT_KEY = "slot"
RELAY_ACTION_KEY = "relay_action"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class HandoffPolicy(OverridePolicy):
    """While the `handed_off` slot is set: every debtor message goes to the relay action, then listen.

    Its priority is above every other policy (crisis included): the person who owns the conversation
    sees the distress markers and answers; the bot must not speak over them. The agent's release clears
    the slot (through Rasa's HTTP API) and the other policies take over again with the next message.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Highest priority; the slot and relay action names as in domain.yml."""
        return {
            POLICY_PRIORITY: RULE_POLICY_PRIORITY + 3,
            SLOT_KEY: "handed_off",
            RELAY_ACTION_KEY: "action_handoff_relay",
        }

    def _next_action(self, tracker: DialogueStateTracker) -> str | None:
        if not tracker.get_slot(self.config[SLOT_KEY]):
            return None
        last = tracker.latest_action_name
        if last == self.config[RELAY_ACTION_KEY]:
            return str(ACTION_LISTEN_NAME)
        if last == ACTION_LISTEN_NAME and isinstance(tracker.latest_message, UserUttered):
            return str(self.config[RELAY_ACTION_KEY])
        return None
