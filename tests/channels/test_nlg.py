"""The bot asks the API for its responses and falls back to domain.yml when the API is down, slow or wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa.core.nlg import NaturalLanguageGenerator, TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from channels.nlg import FallbackNaturalLanguageGenerator
from tests.fakes.nlg_server import NLG_PATH, FakeNlg

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
slots:
  distress_level:
    type: categorical
    values: [none, elevated]
    initial_value: none
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_greet:
    - text: "Hello from domain.yml, you owe {total}"
    - condition: [{type: slot, name: distress_level, value: elevated}]
      text: "Gently, from domain.yml"
"""
)
TOKEN = "service-token-for-the-api"


@pytest.fixture
def api() -> Iterator[FakeNlg]:
    with FakeNlg() as fake:
        yield fake


def _generator(url: str, timeout: float = 0.2) -> FallbackNaturalLanguageGenerator:
    config = EndpointConfig(
        url + NLG_PATH,
        headers={"Authorization": f"Bearer {TOKEN}"},
        type="channels.nlg.FallbackNaturalLanguageGenerator",
        timeout=timeout,
    )
    generator = NaturalLanguageGenerator.create(config, DOMAIN)
    assert isinstance(generator, FallbackNaturalLanguageGenerator)
    return generator


def _tracker(distress: str = "none") -> DialogueStateTracker:
    return DialogueStateTracker.from_events("c1", [SlotSet("distress_level", distress)], slots=DOMAIN.slots)


async def _say(generator: FallbackNaturalLanguageGenerator, distress: str = "none") -> str | None:
    message = await generator.generate(
        "utter_greet", _tracker(distress), "twilio", domain_responses=DOMAIN.responses
    )
    return None if message is None else message.get("text")


async def test_the_api_answers_with_the_service_token_the_slots_and_the_channel(api: FakeNlg) -> None:
    api.reply({"text": "Edited by marketing"})

    assert await _say(_generator(api.url), "elevated") == "Edited by marketing"

    (call,) = api.calls
    assert call.path == NLG_PATH and call.headers["Authorization"] == f"Bearer {TOKEN}"
    assert call.body["response"] == "utter_greet" and call.body["channel"] == {"name": "twilio"}
    assert call.body["tracker"]["slots"]["distress_level"] == "elevated"
    assert "domain_responses" not in call.body["arguments"]


async def test_an_action_s_arguments_reach_the_api(api: FakeNlg) -> None:
    api.reply({"text": "ok"})
    generator = _generator(api.url)

    await generator.generate("utter_greet", _tracker(), "rest", total="$12.00", buttons=[])

    assert api.calls[0].body["arguments"] == {"total": "$12.00", "buttons": []}


async def test_the_api_down_gives_domain_yml_s_response(api: FakeNlg) -> None:
    generator = _generator(api.url)
    api.stop()

    assert await _say(generator) == "Hello from domain.yml, you owe {total}"
    assert await _say(generator, "elevated") == "Gently, from domain.yml"


async def test_a_slow_api_gives_domain_yml_s_response(api: FakeNlg) -> None:
    api.hold()

    assert await _say(_generator(api.url, timeout=0.05)) == "Hello from domain.yml, you owe {total}"


@pytest.mark.parametrize("status", [401, 404, 422, 500, 503])
async def test_an_error_from_the_api_gives_domain_yml_s_response(api: FakeNlg, status: int) -> None:
    api.fail(status)

    assert await _say(_generator(api.url)) == "Hello from domain.yml, you owe {total}"


async def test_an_answer_that_is_not_json_gives_domain_yml_s_response(api: FakeNlg) -> None:
    api.garbage()

    assert await _say(_generator(api.url)) == "Hello from domain.yml, you owe {total}"


async def test_an_invalid_nlg_answer_gives_domain_yml_s_response(api: FakeNlg) -> None:
    api.reply({"text": 42})

    assert await _say(_generator(api.url)) == "Hello from domain.yml, you owe {total}"


async def test_an_action_s_arguments_fill_domain_yml_s_response_when_the_api_is_down(api: FakeNlg) -> None:
    generator = _generator(api.url)
    api.stop()

    message = await generator.generate("utter_greet", _tracker(), "rest", total="$12.00")

    assert message is not None and message["text"] == "Hello from domain.yml, you owe $12.00"


def test_rasa_gives_it_the_model_s_responses_when_it_was_built_without_a_domain() -> None:
    """`rasa run` builds the generator before loading the model; the Agent then sets `responses`, which it
    does only for templated generators (rasa/core/agent.py, load_model)."""
    kind = "channels.nlg.FallbackNaturalLanguageGenerator"
    config = EndpointConfig("http://127.0.0.1:9" + NLG_PATH, type=kind)

    generator = NaturalLanguageGenerator.create(config, None)

    assert isinstance(generator, TemplatedNaturalLanguageGenerator) and generator.responses == {}
