"""Which variation of a response the bot says, with its placeholders filled, as Rasa 3.6 decides it.

Mirrors rule for rule rasa/core/nlg/generator.py (ResponseVariationFilter), response.py
(TemplatedNaturalLanguageGenerator) and interpolator.py, so the NLG route answers exactly what domain.yml
would; tests/bot/test_nlg_equivalence.py holds it to Rasa's own generator.
"""

import copy
import random
import re
from typing import Any, Final

Variation = dict[str, Any]

CONDITION: Final = "condition"
CHANNEL: Final = "channel"
INTERPOLATED_KEYS: Final = ("text", "image", "custom", "buttons", "attachment", "quick_replies")
PLACEHOLDER: Final = re.compile(r"{([^\n{}]+?)}")


def _matches(slots: dict[str, Any], variation: Variation) -> bool:
    """Whether every slot condition holds (strings compare case-folded, other types by equality)."""
    for constraint in variation.get(CONDITION, []):
        expected, actual = constraint["value"], slots.get(constraint["name"])
        if isinstance(actual, str) and isinstance(expected, str):
            if actual.casefold() != expected.casefold():
                return False
        elif actual != expected:
            return False
    return True


def _on(channel: str | None, variations: list[Variation]) -> list[Variation]:
    """The variations meant for this channel (None: the ones meant for every channel)."""
    return [variation for variation in variations if variation.get(CHANNEL) == channel]


def candidates(variations: list[Variation], channel: str, slots: dict[str, Any]) -> list[Variation]:
    """The variations the bot chooses among: matching conditions first, then channel-specific ones."""
    defaults = [v for v in variations if v.get(CONDITION) is None]
    conditional = [v for v in variations if v.get(CONDITION) and _matches(slots, v)]
    for group in (_on(channel, conditional), _on(channel, defaults), _on(None, conditional)):
        if group:
            return group
    return _on(None, defaults)


def interpolate_text(text: str, values: dict[str, Any]) -> str:
    """`{name}` replaced by values[name]; the text unchanged when a name has no value (as Rasa does)."""
    try:
        filled = PLACEHOLDER.sub(r"{0[\1]}", text).format(values)
        if "0[" in filled:
            # a doubled brace escaped a placeholder: Rasa then formats the original text without values
            return text.format({})
        return filled
    except KeyError:
        return text


def interpolate(value: Any, values: dict[str, Any]) -> Any:
    """Every string inside `value` (nested dicts and lists too) interpolated, in place where Rasa does."""
    if isinstance(value, str):
        return interpolate_text(value, values)
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict):
                interpolate(item, values)
            elif isinstance(item, list):
                value[key] = [interpolate(element, values) for element in item]
            elif isinstance(item, str):
                value[key] = interpolate_text(item, values)
        return value
    if isinstance(value, list):
        return [interpolate(element, values) for element in value]
    return value


def fill(variation: Variation, slots: dict[str, Any], arguments: dict[str, Any]) -> Variation:
    """A copy of the variation with slots and the action's arguments (which win) filled in."""
    response = copy.deepcopy(variation)
    values = {**slots, **arguments}
    if values:
        for key in INTERPOLATED_KEYS:
            if key in response:
                response[key] = interpolate(response[key], values)
    return response


def choose(
    variations: list[Variation], channel: str, slots: dict[str, Any], arguments: dict[str, Any]
) -> Variation | None:
    """One of the candidates at random (as Rasa: uniformly), filled; None when no variation fits."""
    eligible = candidates(variations, channel, slots)
    if not eligible:
        return None
    return fill(random.choice(eligible), slots, arguments)  # noqa: S311  (wording, not security)
