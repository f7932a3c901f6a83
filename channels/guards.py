"""A flag read without its words is no flag: the parse guard of the Rasa server.

`deceased`, `bankruptcy` and `has_attorney` stop collection on the account when recorded, and forms end on
them ("october 28", answered to "when did you pay?", read as a bankruptcy at 0.65, recorded a bankruptcy).
Such a reading stands only when the message has words of that circumstance (shared/flag_words.py); without
them it leaves the ranking and the message is what the NLU is unsure of (`nlu_fallback` at the fallback
threshold): a form takes its answer from it, and elsewhere the two-stage fallback offers the other guesses.
Applied to every parse of the Rasa process (channels/segments.py wraps `MessageProcessor.parse_message`),
so the segmenting step judges clauses with it too.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from shared.flag_words import names_the_flag

logger = logging.getLogger(__name__)

FALLBACK: Final = "nlu_fallback"
FALLBACK_CONFIDENCE: Final = 0.6
"""config.yml's FallbackClassifier threshold: the confidence Rasa gives its own nlu_fallback."""

Parse = dict[str, Any]


def guarded(parse_data: Parse) -> Parse:
    """The parse, with a flag intent its text does not name replaced by the fallback."""
    found = parse_data.get("intent") or {}
    name, text = str(found.get("name") or ""), str(parse_data.get("text") or "")
    if names_the_flag(name, text):
        return parse_data
    logger.info("flag read without its words set aside", extra={"intent": name})
    fallback = {"name": FALLBACK, "confidence": FALLBACK_CONFIDENCE}
    ranking = [e for e in parse_data.get("intent_ranking") or [] if e.get("name") not in (name, FALLBACK)]
    return {**parse_data, "intent": fallback, "intent_ranking": [fallback, *ranking]}
