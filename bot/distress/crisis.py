"""Crisis signals in two tiers: `crisis` (act now) and `crisis_check` (ask directly), never neither by doubt.

Crisis: a curated crisis regex over the normalised text OR closeness to a crisis prototype sentence.
Check: an indirect warning sign (a check regex), OR closeness to any prototype, crisis or check, in the
band just below the crisis threshold. Recall over precision: a needless check-in costs one kind question,
a missed crisis can cost a life.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.arrays import Array

CRISIS, CHECK, NO_SIGNAL = "crisis", "crisis_check", "none"
CHECK_BY_SIMILARITY = "crisis_check_by_similarity"
"""A warning sign only by closeness to a prototype (no pattern): the least certain signal."""

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lowercase, drop apostrophes ("don't" -> "dont"), every other non-alphanumeric run -> a space."""
    lowered = _APOSTROPHES.sub("", text.lower())
    return _NON_ALNUM.sub(" ", lowered).strip()


def _no_prototypes() -> Array:
    return np.zeros((0, 0), dtype=np.float32)


def _compile(patterns: Sequence[str]) -> list[re.Pattern[str]]:
    return [re.compile(pattern) for pattern in patterns]


def _search(compiled: list[re.Pattern[str]], normalised: str) -> bool:
    return any(pattern.search(normalised) for pattern in compiled)


def _max_similarity(embeddings: Array, prototypes: Array) -> Array:
    """Highest cosine similarity of each (L2-normalised) embedding to any prototype; 0 without any."""
    if not len(prototypes) or not len(embeddings):
        return np.zeros(len(embeddings))
    similarity: Array = np.max(embeddings @ prototypes.T, axis=1)
    return similarity


@dataclass
class CrisisDetector:
    """Patterns and prototype embeddings of both tiers; `signals` says which tier each text reaches."""

    patterns: list[str]
    prototypes: Array  # (k, 384) L2-normalised sentence embeddings
    similarity_threshold: float
    check_patterns: list[str] = field(default_factory=list)
    check_prototypes: Array = field(default_factory=_no_prototypes)
    check_similarity_threshold: float | None = None  # None: no similarity band, check patterns only
    _compiled: list[re.Pattern[str]] = field(init=False, repr=False)
    _compiled_check: list[re.Pattern[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Compiles the patterns once."""
        self._compiled = _compile(self.patterns)
        self._compiled_check = _compile(self.check_patterns)

    def pattern_match(self, text: str) -> bool:
        """True when any crisis pattern occurs in the normalised text."""
        return _search(self._compiled, normalise(text))

    def check_pattern_match(self, text: str) -> bool:
        """True when any warning-sign (check) pattern occurs in the normalised text."""
        return _search(self._compiled_check, normalise(text))

    def similarity(self, embeddings: Array) -> Array:
        """Highest cosine similarity of each embedding to any crisis prototype."""
        return _max_similarity(embeddings, self.prototypes)

    def check_similarity(self, embeddings: Array) -> Array:
        """Highest cosine similarity of each embedding to any prototype, crisis or check."""
        return np.maximum(self.similarity(embeddings), _max_similarity(embeddings, self.check_prototypes))

    def signals(self, texts: Sequence[str], embeddings: Array) -> list[str]:
        """CRISIS, CHECK, CHECK_BY_SIMILARITY or NO_SIGNAL per text."""
        crisis_close = self.similarity(embeddings) >= self.similarity_threshold
        band = self.check_similarity_threshold
        check_close = (
            self.check_similarity(embeddings) >= band if band is not None else np.zeros(len(texts), bool)
        )
        return [
            self._signal(text, bool(crisis_near), bool(check_near))
            for text, crisis_near, check_near in zip(texts, crisis_close, check_close, strict=False)
        ]

    def detect(self, texts: Sequence[str], embeddings: Array) -> list[bool]:
        """Crisis flag per text (the top tier only)."""
        return [signal == CRISIS for signal in self.signals(texts, embeddings)]

    def _signal(self, text: str, crisis_near: bool, check_near: bool) -> str:
        normalised = normalise(text)
        if crisis_near or _search(self._compiled, normalised):
            return CRISIS
        if _search(self._compiled_check, normalised):
            return CHECK
        return CHECK_BY_SIMILARITY if check_near else NO_SIGNAL
