"""Trains the distress head: GoEmotions sample + our examples, thresholds picked on GoEmotions dev."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from bot.arrays import Array
from bot.distress.data import (
    CrisisData,
    GoEmotionsSpec,
    LabelledText,
    read_crisis,
    read_examples,
    read_goemotions,
    read_goemotions_eval_split,
)
from bot.distress.head import DistressHead, fit_weights, pick_thresholds, vader_scores
from bot.embedding.cache import embed_with_cache
from bot.embedding.minilm import get_encoder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HeadTrainingConfig:
    """Where the data is and how to fit; built from the component config."""

    data_dir: Path
    goemotions_dir: Path
    goemotions: GoEmotionsSpec
    own_example_weight: float
    regularization: float
    high_precision: float
    seed: int
    elevated_threshold: float | None
    high_threshold: float | None

    @classmethod
    def from_component_config(cls, config: dict[str, Any]) -> HeadTrainingConfig:
        """Reads the DistressDetector config keys."""
        seed = int(config["random_seed"])
        return cls(
            data_dir=Path(config["data_dir"]),
            goemotions_dir=Path(config["goemotions_dir"]),
            goemotions=GoEmotionsSpec(
                positives=tuple(config["positive_emotions"]),
                max_positives=int(config["max_positives"]),
                max_negatives=int(config["max_negatives"]),
                seed=seed,
            ),
            own_example_weight=float(config["own_example_weight"]),
            regularization=float(config["regularization"]),
            high_precision=float(config["high_precision"]),
            seed=seed,
            elevated_threshold=config.get("elevated_threshold"),
            high_threshold=config.get("high_threshold"),
        )


@dataclass(frozen=True)
class TrainingResult:
    """The fitted head and the crisis material to persist with it (prototypes embedded)."""

    head: DistressHead
    crisis: CrisisData
    crisis_embeddings: Array
    check_embeddings: Array
    rows: int


def train_head(config: HeadTrainingConfig) -> TrainingResult:
    """Fits the head, picks the level thresholds on GoEmotions dev and embeds the crisis prototypes."""
    crisis = read_crisis(config.data_dir)
    prototypes = crisis.prototypes + crisis.check_prototypes
    public = read_goemotions(config.goemotions_dir / "train.tsv", config.goemotions)
    own = read_examples(config.data_dir) + [LabelledText(text, 1) for text in prototypes]
    rows = public + own
    weights = np.array([1.0] * len(public) + [config.own_example_weight] * len(own))
    # Embedded (and cached) separately: editing our examples does not re-embed the GoEmotions sample.
    features = np.vstack([_features([row.text for row in part]) for part in (public, own)])
    labels = np.array([row.label for row in rows])
    coef, bias = fit_weights(features, labels, weights, config.regularization, config.seed)
    head = DistressHead(coef, bias, 0.5, 0.5)
    head = _choose_thresholds(head, config)
    logger.info("distress.head_fitted public_rows=%d own_rows=%d", len(public), len(own))
    embeddings = get_encoder().sentence_embeddings(prototypes)
    split = len(crisis.prototypes)
    return TrainingResult(head, crisis, embeddings[:split], embeddings[split:], len(rows))


def _features(texts: list[str]) -> Array:
    return np.hstack([embed_with_cache(texts), vader_scores(texts)])


def _choose_thresholds(head: DistressHead, config: HeadTrainingConfig) -> DistressHead:
    dev = read_goemotions_eval_split(config.goemotions_dir / "dev.tsv", config.goemotions.positives)
    features = _features([row.text for row in dev])
    scores = head.scores(features[:, :-4], features[:, -4:])
    elevated, high = pick_thresholds(scores, np.array([row.label for row in dev]), config.high_precision)
    if config.elevated_threshold is not None:
        elevated = float(config.elevated_threshold)
    if config.high_threshold is not None:
        high = float(config.high_threshold)
    return replace(head, elevated_threshold=elevated, high_threshold=max(high, elevated))
