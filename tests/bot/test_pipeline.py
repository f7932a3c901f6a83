"""Both components inside a real Rasa pipeline: trained by `rasa train nlu`, distress in the parse output."""

from __future__ import annotations

import pytest
import yaml

from .conftest import GOEMOTIONS, ROOT

NLU = """
version: "3.1"
nlu:
- intent: check_balance
  examples: |
    - how much do i owe
    - whats my balance
    - what is the payoff amount
    - how much is left on my account
- intent: promise_to_pay
  examples: |
    - i will pay on friday
    - i can pay next week
    - ill send it on the 15th
    - i'll pay it monday
"""


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch):
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    if not GOEMOTIONS.is_dir():
        pytest.skip(f"GoEmotions training data not found at {GOEMOTIONS}")
    workdir = tmp_path_factory.mktemp("pipeline")
    monkeypatch_module.setenv("RASA_CACHE_DIRECTORY", str(workdir / "cache"))
    (workdir / "nlu.yml").write_text(NLU, encoding="utf-8")
    pipeline = [
        {"name": "WhitespaceTokenizer"},
        {"name": "bot.embedding.featurizer.MiniLMFeaturizer"},
        {
            "name": "bot.distress.detector.DistressDetector",
            "data_dir": str(ROOT / "data" / "distress"),
            "goemotions_dir": str(GOEMOTIONS),
        },
        {"name": "CountVectorsFeaturizer"},
        {"name": "DIETClassifier", "epochs": 2},
    ]
    config = {"recipe": "default.v1", "language": "en", "assistant_id": "test", "pipeline": pipeline}
    (workdir / "config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    model = train_nlu(str(workdir / "config.yml"), str(workdir / "nlu.yml"), str(workdir / "models"))
    assert model is not None
    return Agent.load(model)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


async def test_parse_output_carries_distress(agent):
    parsed = await agent.parse_message("i want to die")
    assert parsed["distress"]["level"] == "crisis"
    assert set(parsed["distress"]) == {"score", "level", "vader_compound"}
    calm = await agent.parse_message("how much do i owe")
    assert calm["distress"]["level"] == "none"


async def test_the_transformer_runs_once_per_parse(agent):
    from bot.embedding.minilm import get_encoder

    encoder = get_encoder()
    before = encoder.encoded_texts
    for text in ("hi there 1177", "i am scared about the letter 1177", "i will pay on friday 1177"):
        await agent.parse_message(text)
    assert encoder.encoded_texts - before == 3
