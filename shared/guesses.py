"""The NLU's guesses at a message it could not place, and when the best one is clear enough to act on.

Used by the Rasa server's parse guard (channels/guards.py) and by the request kept from before verification
(actions/identity.py). Standard library only, so both environments import it.
"""

from typing import Any, Final

FALLBACK: Final = "nlu_fallback"
CLEAR_GUESS: Final = 0.45
CLEAR_MARGIN: Final = 0.2
"""A guess this sure and this far ahead of the next is clear enough to act on."""


def guesses(parse_data: dict[str, Any]) -> list[dict[str, Any]]:
    """The NLU's ranking without the fallback: its guesses at what an unplaced message asks."""
    return [e for e in parse_data.get("intent_ranking") or [] if e.get("name") != FALLBACK]


def clear_best(parse_data: dict[str, Any]) -> dict[str, Any] | None:
    """The best guess, when it is sure enough and far enough ahead of the next one to act on."""
    ranking = guesses(parse_data)
    scores = [float(e.get("confidence") or 0.0) for e in ranking[:2]] + [0.0, 0.0]
    clear = scores[0] >= CLEAR_GUESS and scores[0] - scores[1] >= CLEAR_MARGIN
    return ranking[0] if clear else None
