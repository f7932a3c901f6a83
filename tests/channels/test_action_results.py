"""The Rasa server checks action server responses with a validator compiled once, exactly as Rasa did."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from channels import action_results
from stack.services import ROOT, environment, write_example_env

VALID: list[dict[str, Any]] = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "verified", "value": True}], "responses": [{"text": "Hi"}]},
    {"events": [{"event": "followup", "name": "action_listen"}, {"event": "reset_slots"}]},
    {"responses": [{"response": "utter_greet", "buttons": []}]},
]
INVALID: list[Any] = [
    [],
    "not an object",
    {"events": "not a list"},
    {"events": [{"name": "no event key"}]},
    {"events": [{"event": "slot"}]},
    {"events": [{"event": "no_such_event"}]},
    {"events": [{"event": "slot", "name": 3, "value": 1}]},
    {"responses": ["not an object"]},
    {"responses": [{"text": "fine"}], "events": [None]},
]

LAUNCHED_AS_THE_PROCFILE_DOES = """
import sys
import rasa.__main__
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.core.agent import Agent
from rasa.core.processor import MessageProcessor
from rasa.core.policies.ted_policy import TED
def started():
    print("rasa starts with", RemoteAction._validate_action_result.__module__, RemoteAction.run.__module__,
          Agent.handle_message.__name__, MessageProcessor._send_bot_messages.__name__,
          TED._rasa_predict.__module__, ActionExtractSlots._execute_validation_action.__module__)
rasa.__main__.main = started
from channels import serve
sys.exit(serve.main(["--enable-api", "--credentials", "credentials.yml"]))
"""
IMPORTED_ALONE = """
import sys
import channels
print("rasa" in sys.modules, "tensorflow" in sys.modules)
"""


def _run(script: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout


def _action() -> RemoteAction:
    return RemoteAction("action_check", None)


def _error_of(validate: Any, result: Any) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        validate(_action(), result)
    return raised.value


def test_the_rasa_servers_launcher_installs_the_compiled_validator_before_rasa_starts(tmp_path: Path) -> None:
    env = environment(write_example_env(tmp_path / ".env"), base={"PATH": "/usr/bin:/bin"})

    output = _run(LAUNCHED_AS_THE_PROCFILE_DOES, env)

    assert output.split()[-9:] == [
        "rasa",
        "starts",
        "with",
        "channels.action_results",
        "channels.metrics",  # timed (channels.metrics) around the failure-noting run (channels.turns)
        "handle_in_parts",
        "send_without_repeats",
        "channels.ted_cache",
        "channels.distress_slot",
    ]


def test_importing_channels_alone_loads_neither_rasa_nor_tensorflow(tmp_path: Path) -> None:
    env = environment(write_example_env(tmp_path / ".env"), base={"PATH": "/usr/bin:/bin"})

    assert _run(IMPORTED_ALONE, env).split() == ["False", "False"]


def test_install_makes_every_remote_action_use_the_compiled_validator() -> None:
    action_results.install()

    assert action_results.installed()
    assert _action()._validate_action_result.__func__ is action_results.validate_action_result


@pytest.mark.parametrize("result", VALID)
def test_a_valid_response_passes_as_before(result: dict[str, Any]) -> None:
    assert action_results.STOCK_VALIDATE(_action(), result) is True
    assert _action()._validate_action_result(result) is True


@pytest.mark.parametrize("result", INVALID)
def test_an_invalid_response_is_rejected_with_the_very_error_rasa_raised(result: Any) -> None:
    stock = _error_of(action_results.STOCK_VALIDATE, result)
    compiled = _error_of(action_results.validate_action_result, result)

    assert compiled.message == stock.message
    assert str(compiled) == str(stock)
    assert (compiled.validator, list(compiled.path), list(compiled.schema_path)) == (
        stock.validator,
        list(stock.path),
        list(stock.schema_path),
    )
    assert compiled.message.endswith(action_results.HINT)


def test_the_schema_is_checked_and_compiled_once_per_action_class() -> None:
    first = action_results.compiled_validator(RemoteAction)

    assert action_results.compiled_validator(RemoteAction) is first
    assert first.schema == RemoteAction.action_response_format_spec()
