"""The bot asks the API for its responses and falls back to domain.yml when the API is down, slow or wrong."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator

import pytest
from rasa.core.actions.action import ActionBotResponse
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import NaturalLanguageGenerator, TemplatedNaturalLanguageGenerator
from rasa.core.nlg.callback import nlg_request_format
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from channels.nlg import FallbackNaturalLanguageGenerator, nlg_request
from tests.channels.conftest import API_BIN, ROOT, ApiServer
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


def test_the_request_is_rasas_with_the_tracker_cut_to_its_id_and_slots() -> None:
    tracker = _tracker("elevated")
    ours = nlg_request("utter_greet", tracker, "twilio", "greet-1", {"total": "$1.00"})
    rasas = nlg_request_format("utter_greet", tracker, "twilio", response_id="greet-1", total="$1.00")

    assert {**ours, "tracker": rasas["tracker"]} == rasas
    assert ours["tracker"] == {"sender_id": "c1", "slots": rasas["tracker"]["slots"]}


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


def _seed_responses(api: ApiServer) -> None:
    """domain.yml's responses into the real API's database, as `python -m api.seed` adds them."""
    code = (
        "from pathlib import Path; from api.core.config import get_settings; "
        "from api.core.db import get_session_factory; from api.seed import seed_responses; "
        "seed_responses(get_session_factory(get_settings().DATABASE_URL)(), Path('domain.yml'))"
    )
    subprocess.run(
        [str(API_BIN / "python"), "-c", code], cwd=ROOT, env=api.env, check=True, capture_output=True
    )


@pytest.mark.parametrize(
    ("response", "distress"), [("utter_introduction", "none"), ("utter_ask_dob", "elevated")]
)
async def test_the_real_api_makes_rasa_utter_what_domain_yml_would(
    api_server: ApiServer, caplog: pytest.LogCaptureFixture, response: str, distress: str
) -> None:
    """Rasa's own bot-response action, through the real API's NLG route and through domain.yml alone."""
    _seed_responses(api_server)
    domain = Domain.load(str(ROOT / "domain.yml"))
    config = EndpointConfig(
        api_server.url + NLG_PATH, headers={"Authorization": f"Bearer {api_server.token}"}, timeout=5
    )
    tracker = DialogueStateTracker.from_events(
        "c1", [SlotSet("distress_level", distress)], slots=domain.slots
    )
    filled = tracker.current_slot_values()
    assert (
        len(ResponseVariationFilter(domain.responses).responses_for_utter_action(response, "rest", filled))
        == 1
    )

    action = ActionBotResponse(response)
    with caplog.at_level(logging.WARNING, logger="channels.nlg"):
        remote = await action.run(
            CollectingOutputChannel(), FallbackNaturalLanguageGenerator(config, domain), tracker, domain
        )
    local = await action.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker, domain
    )

    fallbacks = [record for record in caplog.records if record.name == "channels.nlg"]
    assert not fallbacks, "the answer came from domain.yml, not from the API"
    assert remote == local and len(remote) == 1
