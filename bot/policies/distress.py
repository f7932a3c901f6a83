"""A dialogue policy that puts people before collection: crisis first, a direct check-in when a warning
sign is uncertain, then escalating distress."""

from __future__ import annotations

from typing import Any

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.distress.check_in import YES, check_in_answer
from bot.distress.detector import (
    BY_SIMILARITY_ONLY,
    LEVEL,
    LEVEL_CRISIS_CHECK,
    LEVEL_NONE,
    SCORE,
    VADER_COMPOUND,
)
from bot.distress.escalation import CRISIS, CRISIS_CHECK, HIGH, WINDOW, conversation_level

DISTRESS = "distress"
CRISIS_ACTION = "crisis_action"
SUPPORT_ACTION = "support_action"
CHECK_IN_ACTION = "check_in_action"
CHECK_IN_CLEARED_ACTION = "check_in_cleared_action"
CHECK_IN_SLOT = "check_in_slot"
NO_OFFER_AFTER_INTENTS = "no_offer_after_intents"
# A warning sign found only by closeness to a prototype, in words the NLU is sure are an everyday request
# ("who are you people", "i'd rather talk to someone real"), is not acted on: the closeness is the least
# certain signal, and these requests are answered anyway (a person, for a person). A pattern or a crisis
# prototype always counts.
EVERYDAY_INTENTS = frozenset(
    {
        "ask_who_is_this",
        "bot_challenge",
        "request_human",
        "greet",
        "help",
        "check_balance",
        "make_payment",
        # "i thought insurance covered it" (dispute 0.94) came close to a crisis prototype
        "dispute_debt",
        "request_validation",
        "already_paid",
        "request_payment_plan",
        "offer_payment",
        "settlement_offer",
        "promise_to_pay",
    }
)
EVERYDAY_CONFIDENCE = 0.85
# A sure no or goodbye in calm words ("i'd rather not" to a plan, "i have to get going"; VADER >= 0 and a
# low distress score) near a prototype by closeness alone is a reply, not a warning sign. A goodbye that is
# one ("i just wanted to say goodbye to everyone", "ok bye for good") is a pattern's, and "nope, i'm so
# tired of all of it" (VADER -0.58, score 0.95) keeps its check-in. So is a calm yes or thanks: "Yes, please
# arrange that." to a plan came close to a prototype of putting affairs in order and was asked about suicide
# (heldout33 1093).
CALM_REPLY_INTENTS = frozenset({"deny", "goodbye", "affirm", "thank_you"})
CALM_SCORE = 0.5


class OverridePolicy(Policy):
    """A policy that learns nothing and, when `_next_action` names an action, predicts it for certain."""

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        """Nothing to learn: the decisions are rules about people, not patterns in stories."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """The action `_next_action` names with confidence 1, or no prediction at all."""
        action = self._next_action(tracker)
        probabilities = self._default_predictions(domain)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)

    def _next_action(self, tracker: DialogueStateTracker) -> str | None:
        raise NotImplementedError


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class DistressPolicy(OverridePolicy):
    """Overrides every other policy when a message signals crisis, a warning sign, or rising distress.

    Crisis: the crisis action runs at once, whatever form or flow is active, and the bot then listens.
    Crisis check (a warning sign without a direct statement): the check-in action stops collecting and
    asks directly, with the crisis line; its slot marks the question as open. The answer decides: a yes
    (or anything but a clear no) is a crisis, a no continues gently. Another warning sign within the
    window of turns after a check-in is a crisis too.
    High or repeatedly elevated distress: a person and hardship options are offered, at most once per
    window of turns, unless the debtor is already asking for exactly that.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Priority above RulePolicy, so a crisis is never answered by a collection rule."""
        return {
            POLICY_PRIORITY: RULE_POLICY_PRIORITY + 2,
            CRISIS_ACTION: "action_crisis_support",
            SUPPORT_ACTION: "action_offer_support",
            CHECK_IN_ACTION: "action_crisis_check_in",
            CHECK_IN_CLEARED_ACTION: "action_crisis_check_in_cleared",
            CHECK_IN_SLOT: "crisis_check_in_open",
            # Asking for exactly that, leaving, or a circumstance whose own answer is gentle (a death, an
            # attorney); a yes or no to the question on the table is answered first ("ugh fine ok"); terms
            # named are judged first ("maybe 30 a month? sorry if thats way too low, its all i have left"
            # got the support offer instead of an answer), and that answer names a person in gentle words.
            # Thanks is a closing like goodbye ("i'll think it over. thank u for being decent about it" got
            # "What would help most?" instead of "You're welcome", heldout30 1026). So is a request for the
            # link ("sorry, could you send me the link again? I closed the page by accident" got the offer and
            # no link, heldout33 1097).
            NO_OFFER_AFTER_INTENTS: [
                "financial_hardship",
                "offer_payment",
                "settlement_offer",
                "promise_to_pay",
                "request_payment_plan",
                "request_human",
                "goodbye",
                "thank_you",
                "make_payment",
                "opt_out",
                "deceased",
                "bankruptcy",
                "has_attorney",
                "wrong_person",
                "affirm",
                "deny",
            ],
        }

    def _next_action(self, tracker: DialogueStateTracker) -> str | None:
        last = tracker.latest_action_name
        if last in self._speaking_actions():
            return str(ACTION_LISTEN_NAME)
        if last != ACTION_LISTEN_NAME or not isinstance(tracker.latest_message, UserUttered):
            return None
        levels = _recent_levels(tracker)
        level = conversation_level(levels)
        if tracker.get_slot(self.config[CHECK_IN_SLOT]):
            # a crisis signal in the answer is a yes, unless the answer denies the question in so many words
            return self._answer_to_check_in(tracker.latest_message, levels[-1])
        if level == CRISIS:
            return str(self.config[CRISIS_ACTION])
        if level == CRISIS_CHECK:
            return str(self.config[CRISIS_ACTION if self._checked_in_recently(tracker) else CHECK_IN_ACTION])
        intent = (tracker.latest_message.intent or {}).get("name")
        if (
            level == HIGH
            and intent not in self.config[NO_OFFER_AFTER_INTENTS]
            and not self._offered_recently(tracker)
        ):
            return str(self.config[SUPPORT_ACTION])
        return None

    def _speaking_actions(self) -> tuple[str, ...]:
        """The policy's own actions: each says its piece, then the bot waits for the debtor."""
        keys = (CRISIS_ACTION, SUPPORT_ACTION, CHECK_IN_ACTION, CHECK_IN_CLEARED_ACTION)
        return tuple(str(self.config[key]) for key in keys)

    def _answer_to_check_in(self, message: UserUttered, level: str | None) -> str:
        """Crisis support unless the answer is a clear no (the answer's own level, not the window's)."""
        intent = (message.intent or {}).get("name")
        if check_in_answer(message.text, intent, level) == YES:
            return str(self.config[CRISIS_ACTION])
        return str(self.config[CHECK_IN_CLEARED_ACTION])

    def _offered_recently(self, tracker: DialogueStateTracker) -> bool:
        """A person was offered within the window: by the support offer, or the check-in and its reply."""
        offers = (SUPPORT_ACTION, CHECK_IN_ACTION, CHECK_IN_CLEARED_ACTION)
        return any(_ran_within_window(tracker, str(self.config[key])) for key in offers)

    def _checked_in_recently(self, tracker: DialogueStateTracker) -> bool:
        return _ran_within_window(tracker, str(self.config[CHECK_IN_ACTION]))


def _ran_within_window(tracker: DialogueStateTracker, action: str) -> bool:
    """Whether `action` ran within the last WINDOW user turns."""
    user_turns = 0
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            user_turns += 1
            if user_turns > WINDOW:
                return False
        elif isinstance(event, ActionExecuted) and event.action_name == action:
            return True
    return False


def _recent_levels(tracker: DialogueStateTracker) -> list[str | None]:
    """Distress levels of the last few user turns, oldest first."""
    levels: list[str | None] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            levels.append(level_of(event))
            if len(levels) == WINDOW:
                break
    return levels[::-1]


def level_of(message: UserUttered) -> str | None:
    """A message's distress level, with an uncertain warning sign in sure everyday words set aside."""
    distress = (message.parse_data or {}).get(DISTRESS) or {}
    if distress.get(LEVEL) == LEVEL_CRISIS_CHECK and distress.get(BY_SIMILARITY_ONLY) and everyday(message):
        return LEVEL_NONE
    return distress.get(LEVEL)


def everyday(message: UserUttered) -> bool:
    """Sure everyday words: a request the bot answers anyway, or a calm no or goodbye."""
    intent = message.intent or {}
    distress = (message.parse_data or {}).get(DISTRESS) or {}
    name, sure = intent.get("name"), (intent.get("confidence") or 0) >= EVERYDAY_CONFIDENCE
    calm = (distress.get(VADER_COMPOUND) or 0) >= 0 and (distress.get(SCORE) or 0) < CALM_SCORE
    return sure and (name in EVERYDAY_INTENTS or (name in CALM_REPLY_INTENTS and calm))
