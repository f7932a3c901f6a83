"""Crisis signals: curated regexes over normalised text OR closeness to crisis prototype sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lowercase, drop apostrophes ("don't" -> "dont"), every other non-alphanumeric run -> a space."""
    lowered = _APOSTROPHES.sub("", text.lower())
    return _NON_ALNUM.sub(" ", lowered).strip()


@dataclass
class CrisisDetector:
    """Recall over precision: either signal alone is enough."""

    patterns: list[str]
    prototypes: np.ndarray  # (k, 384) L2-normalised sentence embeddings
    similarity_threshold: float
    _compiled: list[re.Pattern[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Compiles the patterns once."""
        self._compiled = [re.compile(pattern) for pattern in self.patterns]

    def pattern_match(self, text: str) -> bool:
        """True when any curated pattern occurs in the normalised text."""
        normalised = normalise(text)
        return any(pattern.search(normalised) for pattern in self._compiled)

    def similarity(self, embeddings: np.ndarray) -> np.ndarray:
        """Highest cosine similarity of each (normalised) embedding to any prototype."""
        if not len(self.prototypes) or not len(embeddings):
            return np.zeros(len(embeddings))
        return np.max(embeddings @ self.prototypes.T, axis=1)

    def detect(self, texts: Sequence[str], embeddings: np.ndarray) -> list[bool]:
        """Crisis flag per text."""
        close = self.similarity(embeddings) >= self.similarity_threshold
        return [bool(near) or self.pattern_match(text) for text, near in zip(texts, close, strict=False)]
