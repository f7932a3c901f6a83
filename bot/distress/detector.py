"""Rasa graph component adding `distress` {score, level, vader_compound} to every parsed message.

Levels, lowest first: none, elevated, high (the head's score), crisis_check (a warning sign: ask directly),
crisis (bot/distress/crisis.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.distress.crisis import CHECK, CHECK_BY_SIMILARITY, CRISIS, CrisisDetector
from bot.distress.head import DistressHead, vader_scores
from bot.distress.training import HeadTrainingConfig, train_head
from bot.embedding.minilm import EMBEDDING_DIM, get_encoder
from bot.exceptions import ComponentNotTrainedError

logger = logging.getLogger(__name__)

DISTRESS = "distress"
SCORE = "score"
LEVEL = "level"
VADER_COMPOUND = "vader_compound"
BY_SIMILARITY_ONLY = "by_similarity_only"
"""Set on a crisis_check reached only by closeness to a prototype (the dialogue policy may weigh it)."""
LEVEL_NONE, LEVEL_ELEVATED, LEVEL_HIGH, LEVEL_CRISIS = "none", "elevated", "high", "crisis"
LEVEL_CRISIS_CHECK = "crisis_check"

DATA_DIR_KEY = "data_dir"
GOEMOTIONS_DIR_KEY = "goemotions_dir"
ELEVATED_KEY = "elevated_threshold"
HIGH_KEY = "high_threshold"
CRISIS_SIMILARITY_KEY = "crisis_similarity_threshold"
CHECK_SIMILARITY_KEY = "crisis_check_similarity_threshold"

HEAD_FILE = "head.npz"
CRISIS_FILE = "crisis.json"
PROTOTYPES_FILE = "crisis_prototypes.npz"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class DistressDetector(GraphComponent):
    """Distress score from a trained head over the featurizer's MiniLM embedding + VADER; crisis rules."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            DATA_DIR_KEY: "data/distress",  # relative to the working directory (the project root)
            GOEMOTIONS_DIR_KEY: "../shared/train-data/goemotions",
            "positive_emotions": ["sadness", "fear", "grief", "nervousness", "remorse", "embarrassment"],
            "max_positives": 3000,
            "max_negatives": 4000,
            "own_example_weight": 4.0,
            "regularization": 2.0,
            "high_precision": 0.9,  # `high` = lowest cut with this precision on GoEmotions dev
            "random_seed": 13,
            ELEVATED_KEY: None,  # None: picked on GoEmotions dev.tsv when training
            HIGH_KEY: None,
            # Similarity is the less certain signal: only paraphrase-close (>= 0.6) is a crisis on its own;
            # at 0.5-0.6 our own merely distressed examples ("my divorce wiped me out, i have nothing")
            # were called crisis. Below it, down to the check threshold, the bot asks directly instead.
            CRISIS_SIMILARITY_KEY: 0.6,
            # Closeness to any crisis or check prototype from here up to the crisis threshold: check in.
            # 0.48: the lowest cut adding no check on our own not-distressed examples and under 1% on
            # GoEmotions dev neutral rows (training-side data; never chosen on an evaluation set).
            CHECK_SIMILARITY_KEY: 0.48,
        }

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages the component needs (part of Rasa's training fingerprint)."""
        return ["vaderSentiment", "sklearn"]

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when our data files change, not only when the NLU data does."""
        digest = hashlib.sha256()
        for key in (DATA_DIR_KEY, GOEMOTIONS_DIR_KEY):
            folder = Path(config.get(key) or cls.get_default_config()[key])
            for path in sorted(folder.glob("*")) if folder.is_dir() else []:
                if path.is_file():
                    stat = path.stat()
                    digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        digest.update(Path(__file__).read_bytes())
        for module in ("training", "head", "data", "crisis"):
            digest.update((Path(__file__).parent / f"{module}.py").read_bytes())
        return digest.hexdigest()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        head: DistressHead | None = None,
        crisis: CrisisDetector | None = None,
    ) -> None:
        """Holds the trained head and crisis detector (None until trained)."""
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._head = head
        self._crisis = crisis

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DistressDetector:
        """Creates an untrained detector."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Trains the head on GoEmotions + our examples (the NLU data is not used) and persists it."""
        started = time.perf_counter()
        result = train_head(HeadTrainingConfig.from_component_config(self._config))
        self._head = result.head
        self._crisis = CrisisDetector(
            result.crisis.patterns,
            result.crisis_embeddings,
            float(self._config[CRISIS_SIMILARITY_KEY]),
            check_patterns=result.crisis.check_patterns,
            check_prototypes=result.check_embeddings,
            check_similarity_threshold=_optional_float(self._config.get(CHECK_SIMILARITY_KEY)),
        )
        self.persist()
        logger.info(
            "distress.trained rows=%d seconds=%.1f elevated=%.3f high=%.3f",
            result.rows,
            time.perf_counter() - started,
            self._head.elevated_threshold,
            self._head.high_threshold,
        )
        return self._resource

    def persist(self) -> None:
        """Writes head (.npz), crisis patterns (JSON) and prototype embeddings (.npz); no pickle."""
        if self._head is None or self._crisis is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            self._head.save(directory / HEAD_FILE)
            crisis = {
                "patterns": self._crisis.patterns,
                "similarity_threshold": self._crisis.similarity_threshold,
                "check_patterns": self._crisis.check_patterns,
                "check_similarity_threshold": self._crisis.check_similarity_threshold,
            }
            (directory / CRISIS_FILE).write_text(json.dumps(crisis, indent=2), encoding="utf-8")
            np.savez(
                directory / PROTOTYPES_FILE,
                embeddings=self._crisis.prototypes,
                check_embeddings=self._crisis.check_prototypes,
            )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> DistressDetector:
        """Loads the persisted head and warms the shared encoder up (a no-op after the featurizer)."""
        with model_storage.read_from(resource) as directory:
            head = DistressHead.load(directory / HEAD_FILE)
            crisis = _load_crisis(directory, config)
        get_encoder().warm_up()
        return cls(config, model_storage, resource, head=_with_thresholds(head, config), crisis=crisis)

    def process(self, messages: list[Message]) -> list[Message]:
        """Adds `distress` to each message, reusing the featurizer's cached sentence embeddings."""
        if self._head is None or self._crisis is None:
            return messages
        texts = [message.get(TEXT) or "" for message in messages]
        for message, distress in zip(messages, self.assess(texts), strict=False):
            message.set(DISTRESS, distress, add_to_output=True)
        return messages

    def assess(self, texts: list[str]) -> list[dict[str, Any]]:
        """Score, level and VADER compound for each text (empty text: no distress)."""
        present = [i for i, text in enumerate(texts) if text.strip()]
        embeddings = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        if present:
            embeddings[present] = get_encoder().sentence_embeddings([texts[i] for i in present])
        vader = vader_scores(texts)
        head, crisis_detector = self._trained()
        scores = head.scores(embeddings, vader)
        crisis = crisis_detector.signals(texts, embeddings)
        results = []
        for i, text in enumerate(texts):
            score = float(scores[i]) if text.strip() else 0.0
            results.append(self._result(score, crisis[i], float(vader[i, 0])))
        return results

    def _result(self, score: float, crisis: str, vader: float) -> dict[str, Any]:
        result = {SCORE: round(score, 4), LEVEL: self._level(score, crisis), VADER_COMPOUND: round(vader, 4)}
        return {**result, BY_SIMILARITY_ONLY: True} if crisis == CHECK_BY_SIMILARITY else result

    def _trained(self) -> tuple[DistressHead, CrisisDetector]:
        """The head and the crisis detector, which train() or load() provide."""
        if self._head is None or self._crisis is None:
            raise ComponentNotTrainedError("DistressDetector: train or load it before processing messages")
        return self._head, self._crisis

    def _level(self, score: float, crisis: str) -> str:
        if crisis == CRISIS:
            return LEVEL_CRISIS
        if crisis in (CHECK, CHECK_BY_SIMILARITY):
            return LEVEL_CRISIS_CHECK
        head, _ = self._trained()
        if score >= head.high_threshold:
            return LEVEL_HIGH
        if score >= head.elevated_threshold:
            return LEVEL_ELEVATED
        return LEVEL_NONE

    @property
    def elevated_threshold(self) -> float:
        """The operating threshold (score >= it: at least elevated)."""
        return float(self._head.elevated_threshold) if self._head is not None else 0.5


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _load_crisis(directory: Path, config: dict[str, Any]) -> CrisisDetector:
    """The persisted crisis material; thresholds in the config win over the stored ones.

    Models trained before the check-in tier have no check patterns or prototypes: their check band (from
    the config) then measures closeness to the crisis prototypes alone.
    """
    stored_config = json.loads((directory / CRISIS_FILE).read_text(encoding="utf-8"))
    with np.load(directory / PROTOTYPES_FILE, allow_pickle=False) as stored:
        prototypes = stored["embeddings"]
        check_prototypes = stored["check_embeddings"] if "check_embeddings" in stored.files else None
    threshold = config.get(CRISIS_SIMILARITY_KEY, stored_config["similarity_threshold"])
    check_threshold = config.get(CHECK_SIMILARITY_KEY, stored_config.get("check_similarity_threshold"))
    return CrisisDetector(
        stored_config["patterns"],
        prototypes,
        float(threshold if threshold is not None else stored_config["similarity_threshold"]),
        check_patterns=stored_config.get("check_patterns", []),
        check_prototypes=check_prototypes if check_prototypes is not None else np.zeros((0, EMBEDDING_DIM)),
        check_similarity_threshold=_optional_float(check_threshold),
    )


def _with_thresholds(head: DistressHead, config: dict[str, Any]) -> DistressHead:
    """Thresholds from the config override the ones picked on GoEmotions dev at training time."""
    overrides: dict[str, Any] = {}
    if config.get(ELEVATED_KEY) is not None:
        overrides["elevated_threshold"] = float(config[ELEVATED_KEY])
    if config.get(HIGH_KEY) is not None:
        overrides["high_threshold"] = float(config[HIGH_KEY])
    return replace(head, **overrides) if overrides else head
