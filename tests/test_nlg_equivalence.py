"""The API's NLG route answers exactly what Rasa's templated generator would from domain.yml.

For every response of domain.yml (and of a domain that uses every other response feature: buttons, custom
payloads, images, attachments, channel-specific variations, ids, doubled braces, several conditions), with
representative slot values, channels and action arguments, the request is built by Rasa's own
`nlg_request_format` from a real tracker and sent as JSON. The API (its own environment, a subprocess:
tests/api/responses/nlg_oracle.py) answers with its candidates and its route's answer; Rasa's
ResponseVariationFilter and TemplatedNaturalLanguageGenerator give theirs. They must be equal, in order.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from channels.nlg import nlg_request

ROOT = Path(__file__).resolve().parents[1]
API_PYTHON = ROOT / ".venv" / "api" / "bin" / "python"
SLOT_SCENARIOS: list[dict[str, Any]] = [
    {},
    {"distress_level": "elevated"},
    {"distress_level": "HIGH", "locale": "en-GB"},
    {"distress_level": "crisis", "locale": "en-GB", "verified": True},
    {"locale": "en-gb", "lookup_failures": 2.0, "pending_offer": {"amount": 12.5, "terms": ["a", 1]}},
]
CHANNELS = ("twilio", "socketio")
ARGUMENT_VALUES: list[Any] = ["$1,320.40", 3, 12.5, None, True, "Ünïcode € {x}", ["a", 2]]

FEATURES = """
version: "3.1"
slots:
  distress_level: {type: categorical, values: [none, elevated, high, crisis], initial_value: none,
                   influence_conversation: false, mappings: [{type: custom}]}
  locale: {type: categorical, values: [en-US, en-GB], initial_value: en-US, influence_conversation: false,
           mappings: [{type: custom}]}
  verified: {type: bool, initial_value: false, influence_conversation: false, mappings: [{type: custom}]}
  lookup_failures: {type: float, initial_value: 0, influence_conversation: false, mappings: [{type: custom}]}
  pending_offer: {type: any, influence_conversation: false, mappings: [{type: custom}]}
responses:
  utter_buttons:
    - text: "Pay {total} now?"
      buttons:
        - title: "Yes, pay {total}"
          payload: '/affirm{{"amount": "{total}"}}'
        - title: "No"
          payload: /deny
  utter_channels:
    - text: "Default"
    - text: "SMS only {total}"
      channel: twilio
    - text: "Elevated SMS"
      channel: twilio
      condition: [{type: slot, name: distress_level, value: elevated}]
    - text: "Elevated, any channel"
      condition: [{type: slot, name: distress_level, value: elevated}]
    - text: "Webchat only"
      channel: socketio
  utter_custom:
    - custom:
        text: "Custom {total}"
        nested: {link: "https://pay.example.org/{url}", items: ["{total}", 3, {deep: "{fees}"}]}
  utter_image:
    - text: "Look"
      image: "https://example.org/{creditor}.png"
  utter_ids:
    - id: "first"
      text: "First {total}"
    - id: "second"
      text: "Second {total}"
  utter_braces:
    - text: "Literal {{total}} and {total}"
    - text: "Only a literal {{brace}}"
  utter_slots:
    - text: "Failures {lookup_failures}, verified {verified}, offer {pending_offer}, unknown {nope}"
  utter_conditions:
    - condition: [{type: slot, name: distress_level, value: high}, {type: slot, name: locale, value: en-GB}]
      text: "High, in the UK"
    - condition: [{type: slot, name: verified, value: true}]
      text: "Verified"
    - text: "Otherwise"
  utter_rich:
    - text: "q {total}"
      quick_replies: [{title: "{total}", payload: "/x"}]
      attachment: {url: "https://example.org/{url}"}
      elements: [{title: "{total}", subtitle: "{fees}"}]
"""


def _placeholders(variations: list[dict[str, Any]]) -> list[str]:
    """Every {name} a response's variations use."""
    return sorted(set(re.findall(r"{([^\n{}]+?)}", json.dumps(variations))))


def _cases(domain: Domain) -> list[dict[str, Any]]:
    """Requests exactly as Rasa's callback generator would send them (JSON included)."""
    cases, known = [], {slot.name for slot in domain.slots}
    for name, variations in domain.responses.items():
        names = _placeholders(variations)
        filled = {p: ARGUMENT_VALUES[i % len(ARGUMENT_VALUES)] for i, p in enumerate(names)}
        for slots in SLOT_SCENARIOS:
            events = [SlotSet(slot, value) for slot, value in slots.items() if slot in known]
            for channel in CHANNELS:
                for arguments in ({}, filled):
                    cases.append(_case(domain, name, events, channel, arguments))
    return cases


def _case(domain: Domain, name: str, events: list[SlotSet], channel: str, arguments: dict[str, Any]) -> Any:
    tracker = DialogueStateTracker.from_events("equivalence", events, slots=domain.slots)
    response_id = CallbackNaturalLanguageGenerator.fetch_response_id(name, tracker, channel, domain.responses)
    request = nlg_request(name, tracker, channel, response_id, copy.deepcopy(arguments))
    slots = tracker.current_slot_values()
    generator = TemplatedNaturalLanguageGenerator(domain.responses)
    eligible = ResponseVariationFilter(domain.responses).responses_for_utter_action(name, channel, slots)
    expected = [generator._fill_response(copy.deepcopy(v), slots, **arguments) for v in eligible]
    said = generator.generate_from_slots(name, slots, channel, **copy.deepcopy(arguments))
    assert said in expected or (said is None and not expected)
    return {"request": json.loads(json.dumps(request)), "expected": json.loads(json.dumps(expected))}


def _ask_the_api(domain_file: Path, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    job = json.dumps({"domain": str(domain_file), "cases": [{"request": c["request"]} for c in cases]})
    done = subprocess.run(
        [str(API_PYTHON), "-m", "tests.api.responses.nlg_oracle"],
        input=job,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=300,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("source", ["domain.yml", "every response feature"])
def test_the_api_answers_what_rasa_s_templated_generator_would(source: str, tmp_path: Path) -> None:
    domain_file = ROOT / "domain.yml"
    if source != "domain.yml":
        domain_file = tmp_path / "domain.yml"
        domain_file.write_text(FEATURES)
    domain = Domain.load(str(domain_file))
    cases = _cases(domain)

    answers = _ask_the_api(domain_file, cases)

    assert len(answers) == len(cases) > 100
    for case, api in zip(cases, answers, strict=True):
        label = (case["request"]["response"], case["request"]["tracker"]["slots"], case["request"]["channel"])
        assert api["candidates"] == case["expected"], label
        if case["expected"]:
            assert api["status"] == 200 and api["answer"] in case["expected"], label
        else:
            assert api["status"] == 404, label
