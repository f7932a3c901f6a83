"""Conversation-level distress: one turn's level, raised when distress keeps coming back.

Pure functions shared by the dialogue policy (Rasa side) and the tone slot (action side).
"""

from __future__ import annotations

from collections.abc import Sequence

NONE, ELEVATED, HIGH, CRISIS_CHECK, CRISIS = "none", "elevated", "high", "crisis_check", "crisis"
LEVELS = (NONE, ELEVATED, HIGH, CRISIS_CHECK, CRISIS)
WINDOW = 3  # user turns
REPEATS_TO_ESCALATE = 2  # elevated-or-worse turns within the window that count as high


def rank(level: str | None) -> int:
    """Order of a level; unknown or missing counts as none."""
    return LEVELS.index(level) if level in LEVELS else 0


def conversation_level(
    levels: Sequence[str | None], window: int = WINDOW, repeats: int = REPEATS_TO_ESCALATE
) -> str:
    """The level the bot should act on after the latest turn (levels oldest first)."""
    if not levels:
        return NONE
    current, recent = rank(levels[-1]), [rank(level) for level in levels[-window:]]
    if current >= rank(CRISIS_CHECK):
        return LEVELS[current]
    distressed_turns = sum(1 for value in recent if value >= rank(ELEVATED))
    if current == rank(HIGH) or (current >= rank(ELEVATED) and distressed_turns >= repeats):
        return HIGH
    if max(recent) >= rank(CRISIS_CHECK):
        return HIGH  # the turns right after a crisis or a check-in keep the gentlest tone
    return LEVELS[current]
