"""MiniLM's two runtimes: ONNX Runtime on the exported graph and TensorFlow agree, and the right one loads."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from bot.embedding import runtimes
from bot.embedding.minilm import MiniLMEncoder, model_fingerprint, model_path

TEXTS = [
    "ok",
    "hi i cant pay 1300 at once. could i do like 50 a month? my dob is 03/14/1985 and zip 20001",
    "i lost my job 😞 and im scared, please stop calling me at work",
    "money " * 200,
]


@pytest.fixture(scope="module")
def tensorflow_encoder() -> MiniLMEncoder:
    return MiniLMEncoder(model_path(), runtime="tensorflow")


def test_onnx_runtime_and_tensorflow_give_the_same_encodings(encoder, tensorflow_encoder):
    for onnx, tensorflow in zip(encoder.encode(TEXTS), tensorflow_encoder.encode(TEXTS), strict=True):
        assert onnx.wordpiece_offsets == tensorflow.wordpiece_offsets
        assert np.allclose(onnx.sentence, tensorflow.sentence, atol=1e-4)
        assert np.allclose(onnx.wordpiece_embeddings, tensorflow.wordpiece_embeddings, atol=1e-3)


def test_a_batch_is_padded_to_its_longest_row_on_onnx_and_to_the_bucket_on_tensorflow(encoder):
    assert encoder.forward.padded_length(7) == 7
    assert runtimes.TensorFlowForward.padded_length(object(), 7) == 16  # type: ignore[arg-type]


def test_padding_does_not_change_an_encoding(encoder):
    alone = encoder.encode(["can i pay on friday"])[0]
    beside_a_long_one = encoder.encode(["can i pay on friday", "please " * 12])[0]
    assert np.allclose(alone.sentence, beside_a_long_one.sentence, atol=1e-5)


def test_tensorflow_is_used_when_asked_for(monkeypatch):
    monkeypatch.setenv(runtimes.RUNTIME_VARIABLE, "tensorflow")
    assert runtimes.load(model_path(), model_fingerprint()).name == "tensorflow"


def test_without_an_export_tensorflow_runs_and_says_so(caplog):
    with caplog.at_level(logging.WARNING, logger=runtimes.__name__):
        forward = runtimes.load(model_path(), "weights-never-exported")
    assert forward.name == "tensorflow"
    assert "make install exports it" in caplog.text


def test_the_export_is_named_by_the_weights():
    path = runtimes.export_path(model_fingerprint())
    assert path.is_file() and model_fingerprint() in path.name


def test_pooled_is_the_unit_mean_over_the_kept_wordpieces():
    hidden = np.array([[[3.0, 4.0], [100.0, 100.0]]], dtype=np.float32)
    assert np.allclose(runtimes.pooled(hidden, np.array([[1, 0]])), [[0.6, 0.8]])
