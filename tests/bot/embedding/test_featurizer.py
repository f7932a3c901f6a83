"""MiniLMFeaturizer: Rasa-shaped dense features aligned to the whitespace tokens."""

from __future__ import annotations

import numpy as np
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.embedding.featurizer import MiniLMFeaturizer
from bot.embedding.minilm import EMBEDDING_DIM
from tests.bot.conftest import tokenized


def test_registered_as_a_message_featurizer_like_rasas_own():
    assert MiniLMFeaturizer.required_components() == LanguageModelFeaturizer.required_components()
    assert "batch_size" in MiniLMFeaturizer.get_default_config()


def test_sequence_features_have_one_row_per_token_and_a_sentence_feature(featurizer, tokenizer):
    (message,) = featurizer.process(tokenized(tokenizer, "Hi, I can't pay $50 until friday!!"))
    sequence, sentence = message.get_dense_features("text")
    tokens = message.get("text_tokens")
    assert sequence.features.shape == (len(tokens), EMBEDDING_DIM)
    assert sentence.features.shape == (1, EMBEDDING_DIM)
    assert np.isclose(np.linalg.norm(sentence.features), 1.0, atol=1e-4)
    assert all(row.any() for row in sequence.features)


def test_a_token_split_into_wordpieces_gets_their_mean(featurizer, tokenizer, encoder):
    text = "unaffordable repossession"
    (message,) = featurizer.process(tokenized(tokenizer, text))
    (encoding,) = encoder.encode([text])
    first_word = [i for i, (_, end) in enumerate(encoding.wordpiece_offsets) if end <= len("unaffordable")]
    assert len(first_word) > 1  # the word really is split
    sequence, _ = message.get_dense_features("text")
    expected = encoding.wordpiece_embeddings[first_word].mean(axis=0)
    assert np.allclose(sequence.features[0], expected, atol=1e-4)


def test_training_data_is_featurized_in_batches_like_single_messages(featurizer, tokenizer, encoder):
    texts = [f"i can pay {n} dollars on the {n}th" for n in range(1, 12)] + ["hello"]
    data = TrainingData(training_examples=tokenized(tokenizer, *texts))
    calls = encoder.forward_calls
    featurizer.process_training_data(data)
    assert encoder.forward_calls - calls < len(texts)  # batched, not one call per example
    (single,) = featurizer.process(tokenized(tokenizer, texts[3]))
    batched = data.training_examples[3]
    for ours, theirs in zip(
        single.get_dense_features("text"), batched.get_dense_features("text"), strict=False
    ):
        assert ours.features.shape == theirs.features.shape
        assert np.allclose(ours.features, theirs.features, atol=1e-4)


def test_messages_without_text_are_left_alone(featurizer, tokenizer):
    (message,) = featurizer.process(tokenized(tokenizer, ""))
    assert message.features == []
