"""Fixtures for the custom NLU components: one shared encoder, one trained distress detector."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.distress.detector import DistressDetector
from bot.embedding.featurizer import MiniLMFeaturizer
from bot.embedding.minilm import MiniLMEncoder, get_encoder

ROOT = Path(__file__).resolve().parents[2]
GOEMOTIONS = ROOT.parent / "shared" / "train-data" / "goemotions"


@pytest.fixture(scope="session")
def encoder() -> MiniLMEncoder:
    encoder = get_encoder()
    encoder.warm_up()
    return encoder


@pytest.fixture(scope="session")
def tokenizer() -> WhitespaceTokenizer:
    context = ExecutionContext(GraphSchema({}), node_name="tokenizer")
    return WhitespaceTokenizer.create(WhitespaceTokenizer.get_default_config(), None, None, context)


@pytest.fixture(scope="session")
def featurizer(encoder: MiniLMEncoder) -> MiniLMFeaturizer:
    context = ExecutionContext(GraphSchema({}), node_name="minilm")
    return MiniLMFeaturizer.create(MiniLMFeaturizer.get_default_config(), None, None, context)


@pytest.fixture(scope="session")
def distress_storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model_storage"))


@pytest.fixture(scope="session")
def distress_config() -> dict:
    if not GOEMOTIONS.is_dir():
        pytest.skip(f"GoEmotions training data not found at {GOEMOTIONS}")
    return {
        **DistressDetector.get_default_config(),
        "data_dir": str(ROOT / "data" / "distress"),
        "goemotions_dir": str(GOEMOTIONS),
    }


@pytest.fixture(scope="session")
def trained_detector(
    distress_config: dict, distress_storage: LocalModelStorage, encoder: MiniLMEncoder
) -> DistressDetector:
    """Trained exactly as `rasa train` does (embeddings come from the on-disk cache after one run)."""
    context = ExecutionContext(GraphSchema({}), node_name="distress")
    detector = DistressDetector.create(distress_config, distress_storage, Resource("distress"), context)
    detector.train(training_data=None)  # the head does not learn from the NLU data
    return detector


@pytest.fixture(scope="session")
def loaded_detector(
    trained_detector: DistressDetector, distress_config: dict, distress_storage: LocalModelStorage
) -> DistressDetector:
    context = ExecutionContext(GraphSchema({}), node_name="distress")
    return DistressDetector.load(distress_config, distress_storage, Resource("distress"), context)


def tokenized(tokenizer: WhitespaceTokenizer, *texts: str) -> list[Message]:
    """Messages with Rasa whitespace tokens, as the pipeline hands them to the featurizer."""
    return tokenizer.process([Message(data={"text": text}) for text in texts])
