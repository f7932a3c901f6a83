"""DistressDetector: score, level and VADER on every message; crisis wins; one forward pass."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from bot.distress.data import read_crisis, read_examples
from bot.distress.detector import DISTRESS, DistressDetector
from bot.distress.head import DistressHead
from tests.bot.conftest import tokenized

CASES = yaml.safe_load((Path(__file__).parent / "crisis_cases.yml").read_text(encoding="utf-8"))


def levels(detector: DistressDetector, texts: list[str]) -> dict[str, str]:
    return {text: result["level"] for text, result in zip(texts, detector.assess(texts), strict=False)}


def test_distress_is_in_the_parse_output(loaded_detector, featurizer, tokenizer):
    (message,) = loaded_detector.process(featurizer.process(tokenized(tokenizer, "please i have 3 kids")))
    distress = message.as_dict(only_output_properties=True)[DISTRESS]
    assert set(distress) == {"score", "level", "vader_compound"}
    assert 0.0 <= distress["score"] <= 1.0
    assert -1.0 <= distress["vader_compound"] <= 1.0
    assert distress["level"] in {"none", "elevated", "high", "crisis_check", "crisis"}


def test_the_model_runs_once_per_message_when_the_featurizer_ran(
    loaded_detector, featurizer, tokenizer, encoder
):
    messages = tokenized(tokenizer, "i cant sleep over this debt 4417", "can i pay 20 on friday 4417")
    before = encoder.encoded_texts
    loaded_detector.process(featurizer.process(messages))
    assert encoder.encoded_texts - before == len(messages)


def test_without_the_featurizer_the_detector_encodes_by_itself(loaded_detector, encoder):
    before = encoder.encoded_texts
    (message,) = loaded_detector.process([Message(data={"text": "i am panicking about rent 9981"})])
    assert encoder.encoded_texts - before == 1
    assert message.get(DISTRESS)["level"] != "none"


@pytest.mark.parametrize("text", CASES["crisis_direct"] + CASES["crisis_indirect"])
def test_crisis_messages_are_crisis(loaded_detector, text):
    assert levels(loaded_detector, [text])[text] == "crisis"


def test_calm_messages_are_none(loaded_detector):
    assert set(levels(loaded_detector, CASES["calm"]).values()) == {"none"}


@pytest.mark.parametrize(
    "text",
    ["i dont know what to do anymore", "please i have 3 kids", "my mom just died and i cant think"],
)
def test_distress_without_negative_words_is_noticed(loaded_detector, text):
    assert levels(loaded_detector, [text])[text] in {"elevated", "high", "crisis_check", "crisis"}


def test_empty_text_is_not_distress(loaded_detector):
    assert loaded_detector.assess([""]) == [{"score": 0.0, "level": "none", "vader_compound": 0.0}]


def test_persisted_head_round_trips(trained_detector, loaded_detector, tmp_path):
    texts = ["i'm scared", "send me the link", "everyone would be better off without me"]
    assert trained_detector.assess(texts) == loaded_detector.assess(texts)
    head = loaded_detector._head
    head.save(tmp_path / "head.npz")
    again = DistressHead.load(tmp_path / "head.npz")
    assert np.array_equal(again.weights, head.weights)
    assert (again.bias, again.elevated_threshold, again.high_threshold) == (
        head.bias,
        head.elevated_threshold,
        head.high_threshold,
    )
    with np.load(tmp_path / "head.npz", allow_pickle=False) as stored:  # plain arrays, no pickle
        assert set(stored.files) == {"weights", "bias", "thresholds"}


def test_thresholds_are_ordered_and_overridable(loaded_detector, distress_config, distress_storage):
    head = loaded_detector._head
    assert 0.0 < head.elevated_threshold <= head.high_threshold < 1.0
    never = {**distress_config, "elevated_threshold": 1.0, "high_threshold": 1.0}
    always = {**distress_config, "elevated_threshold": 0.0, "high_threshold": 1.0}
    resource = loaded_detector._resource
    strict = DistressDetector.load(never, distress_storage, resource, None)
    lenient = DistressDetector.load(always, distress_storage, resource, None)
    assert strict.assess(["i am so scared i cant breathe"])[0]["level"] == "none"
    assert lenient.assess(["hi"])[0]["level"] == "elevated"


def test_data_changes_change_the_training_fingerprint(tmp_path, distress_config):
    (tmp_path / "examples.yml").write_text("distressed: [a]\n", encoding="utf-8")
    config = {**distress_config, "data_dir": str(tmp_path)}
    before = DistressDetector.fingerprint_addon(config)
    (tmp_path / "examples.yml").write_text("distressed: [a, b]\n", encoding="utf-8")
    assert DistressDetector.fingerprint_addon(config) != before


@pytest.mark.parametrize("text", CASES["idioms"])
def test_figures_of_speech_are_not_crisis(loaded_detector, text):
    assert levels(loaded_detector, [text])[text] not in {"crisis", "crisis_check"}


@pytest.mark.parametrize("text", CASES["warning_signs"])
def test_indirect_warning_signs_get_at_least_a_check_in(loaded_detector, text):
    assert levels(loaded_detector, [text])[text] in {"crisis_check", "crisis"}


def test_the_check_in_tier_is_persisted_with_the_model(loaded_detector, distress_storage):
    crisis = loaded_detector._crisis
    assert crisis.check_patterns and len(crisis.check_prototypes) >= 10
    assert crisis.check_similarity_threshold < crisis.similarity_threshold
    with (
        distress_storage.read_from(loaded_detector._resource) as directory,
        np.load(directory / "crisis_prototypes.npz", allow_pickle=False) as stored,
    ):
        assert set(stored.files) == {"embeddings", "check_embeddings"}  # plain arrays, no pickle


def test_a_model_trained_before_the_check_in_tier_still_loads(loaded_detector, distress_config, tmp_path):
    """Older models have crisis patterns and prototypes only: they load, and the band uses the crisis ones."""
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    storage, resource = LocalModelStorage(tmp_path), Resource("old_distress")
    crisis = loaded_detector._crisis
    with storage.write_to(resource) as directory:
        loaded_detector._head.save(directory / "head.npz")
        old = {"patterns": crisis.patterns, "similarity_threshold": 0.5}
        (directory / "crisis.json").write_text(json.dumps(old), encoding="utf-8")
        np.savez(directory / "crisis_prototypes.npz", embeddings=crisis.prototypes)
    old_detector = DistressDetector.load(distress_config, storage, resource, None)
    assert old_detector._crisis.check_patterns == []
    assert old_detector.assess(["i want to die"])[0]["level"] == "crisis"


def test_no_prototype_is_within_the_check_band_of_our_own_calm_or_curt_examples(encoder):
    """Prototypes stay specific: none is close to a not-distressed example (training data, not eval)."""
    data_dir = Path(__file__).resolve().parents[3] / "data" / "distress"
    crisis = read_crisis(data_dir)
    prototypes = encoder.sentence_embeddings(crisis.prototypes + crisis.check_prototypes)
    calm = encoder.sentence_embeddings([row.text for row in read_examples(data_dir) if row.label == 0])
    band = DistressDetector.get_default_config()["crisis_check_similarity_threshold"]
    assert float(np.max(calm @ prototypes.T)) < band


PAYING_OFF = [
    "I'd like to pay this off at 55 a month if that's doable.",
    "can I pay this off in installments",
    "how fast can I pay this off",
    "would you take 300 to pay this off",
    "i can pay it all off with my tax refund",
]


def test_no_prototype_is_within_the_check_band_of_offers_to_pay_off(encoder):
    """Issue 11 (heldout6 260): "pay this off at 55 a month" was 0.51 from "my life insurance would pay
    this off", so an offer got a suicide check-in."""
    crisis = read_crisis(Path(__file__).resolve().parents[3] / "data" / "distress")
    prototypes = encoder.sentence_embeddings(crisis.prototypes + crisis.check_prototypes)
    offers = encoder.sentence_embeddings(PAYING_OFF)
    band = DistressDetector.get_default_config()["crisis_check_similarity_threshold"]
    assert float(np.max(offers @ prototypes.T)) < band
