"""The distress head: logistic regression over [MiniLM sentence embedding, VADER scores]."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.arrays import Array

if TYPE_CHECKING:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

VADER_KEYS = ("compound", "neg", "neu", "pos")
_vader_lock = threading.Lock()
_vader: SentimentIntensityAnalyzer | None = None


def vader_scores(texts: Sequence[str]) -> Array:
    """VADER compound/neg/neu/pos per text, shape (n, 4)."""
    analyzer = _analyzer()
    rows = [[analyzer.polarity_scores(text)[key] for key in VADER_KEYS] for text in texts]
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), len(VADER_KEYS))


def _analyzer() -> SentimentIntensityAnalyzer:
    global _vader
    if _vader is None:
        with _vader_lock:
            if _vader is None:
                from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

                _vader = SentimentIntensityAnalyzer()
    return _vader


@dataclass(frozen=True)
class DistressHead:
    """Linear weights over the joined features, plus the two level thresholds."""

    weights: Array
    bias: float
    elevated_threshold: float
    high_threshold: float

    def scores(self, embeddings: Array, vader: Array) -> Array:
        """Probability of distress per row, in 0..1."""
        logits = np.hstack([embeddings, vader]).astype(np.float64) @ self.weights + self.bias
        probabilities: Array = 1.0 / (1.0 + np.exp(-logits))
        return probabilities

    def save(self, path: Path) -> None:
        """Writes plain arrays (no pickle)."""
        np.savez(
            path,
            weights=self.weights,
            bias=np.float64(self.bias),
            thresholds=np.array([self.elevated_threshold, self.high_threshold]),
        )

    @classmethod
    def load(cls, path: Path) -> DistressHead:
        """Reads what `save` wrote."""
        with np.load(path, allow_pickle=False) as stored:
            elevated, high = (float(v) for v in stored["thresholds"])
            return cls(stored["weights"], float(stored["bias"]), elevated, high)


def fit_weights(
    features: Array, labels: Array, sample_weight: Array, c: float, seed: int
) -> tuple[Array, float]:
    """L2-regularised logistic regression (lbfgs, deterministic); returns weights and bias."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    model.fit(features, labels, sample_weight=sample_weight)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def pick_thresholds(scores: Array, labels: Array, high_precision: float) -> tuple[float, float]:
    """Elevated: the F1-best cut on held-out rows; high: the lowest cut reaching `high_precision`."""
    from sklearn.metrics import precision_recall_curve

    precision, recall, cuts = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    elevated = float(cuts[int(np.argmax(f1[:-1]))])
    precise = np.nonzero(precision[:-1] >= high_precision)[0]
    high = float(cuts[precise[0]]) if precise.size else float(cuts[-1])
    return elevated, max(high, elevated)
