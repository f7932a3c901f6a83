"""channels.distress_slot: the Rasa process sets the tone slot exactly as the action server's
`action_validate_slot_mappings` did, and never calls it.

The reference is Rasa's own method (`STOCK_VALIDATE`) with the action server run in this process: the very
request body Rasa builds, through JSON, into rasa_sdk's executor with our `ValidateSlotMappings`, and its
answer back through Rasa's `RemoteAction.run`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.executor import ActionExecutor

from actions.support import ValidateSlotMappings
from channels import distress_slot

ROOT = Path(__file__).resolve().parents[2]
URL = "http://actions.invalid/webhook"


class InProcessActionServer(EndpointConfig):
    """The action endpoint, answered by rasa_sdk's executor in this process (the body through JSON)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(URL, **kwargs)
        self.executor = ActionExecutor()
        self.executor.register_action(ValidateSlotMappings)
        self.calls = 0

    async def request(self, method: str = "post", subpath: str | None = None, **kwargs: Any) -> Any:
        self.calls += 1
        return await self.executor.run(json.loads(json.dumps(kwargs["json"])))


class UnreachableActionServer(EndpointConfig):
    """An action endpoint that fails the test if anything calls it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(URL, **kwargs)

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the action server was called")


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


def said(
    level: str | None, intent: str = "check_balance", entities: list[dict[str, Any]] | None = None
) -> list[Any]:
    """A debtor message as Rasa logs it (the detector's reading in parse_data), after the bot listened."""
    distress = {} if level is None else {"distress": {"level": level, "score": 0.5, "vader_compound": -0.2}}
    entities = entities or []
    parse_data = {"intent": {"name": intent, "confidence": 0.9}, "entities": entities, **distress}
    message = UserUttered(f"a message at {level}", parse_data["intent"], entities, parse_data)
    return [ActionExecuted("action_listen"), message]


ZIP = [{"entity": "zip", "value": "20001", "start": 0, "end": 5}]
REFERENCE = [{"entity": "account_ref", "value": "ACME-1001", "start": 0, "end": 9}]
AMOUNT = [{"entity": "amount", "value": "50", "start": 4, "end": 6}]

CONVERSATIONS: dict[str, list[Any]] = {
    "calm": [*said("none"), *said("none")],
    "no reading at all": [*said(None)],
    "elevated once": [*said("none"), *said("elevated")],
    "elevated twice is high": [*said("elevated"), *said("none"), *said("elevated")],
    "crisis check": [*said("none"), *said("crisis_check")],
    "right after a crisis": [*said("crisis"), *said("none")],
    "calm identity answers keep the tone": [
        *said("high"),
        *said("none", intent="inform_identity"),
        *said("none", intent="deny", entities=ZIP),
    ],
    "a calm request of their own": [*said("high"), *said("none"), *said("none"), *said("none")],
    "an identity answer in distress counts": [*said("none"), *said("elevated", "inform_identity", REFERENCE)],
    "a restart forgets the earlier turns": [*said("elevated"), *said("elevated"), Restarted(), *said("none")],
    "a form's activation after slots were set": [
        *said("elevated"),
        *said("elevated", intent="promise_to_pay", entities=AMOUNT),
        SlotSet("promise_amount", "50"),
        SlotSet("distress_level", "high"),
    ],
}
CANDIDATES: dict[str, list[Any]] = {
    "none": [],
    "a slot of no form": [SlotSet("promise_amount", "50")],
    "a slot of a form": [SlotSet("account_ref", "ACME-1001")],
    "both, and the tone": [
        SlotSet("account_ref", "ACME-1001"),
        SlotSet("promise_amount", 50.0),
        SlotSet("distress_level", "none"),
    ],
}


def tracker_of(events: list[Any], domain: Domain) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("debtor", events, slots=domain.slots)


async def validated(
    method: Any, endpoint: EndpointConfig, tracker: Any, candidates: list[Any], domain: Domain
):
    """What `method` (Rasa's or ours) makes of the extracted `candidates`."""
    action = ActionExtractSlots(endpoint)
    return await method(action, list(candidates), CollectingOutputChannel(), None, tracker, domain)


def shown(events: list[Any]) -> list[tuple[str, str, Any]]:
    """Events as the tracker keeps them, in order, without timestamps."""
    return [(event.type_name, event.key, event.value) for event in events]


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(ActionExtractSlots, "_execute_validation_action", distress_slot.STOCK_VALIDATE)
    distress_slot.install()
    yield


def test_our_validation_action_has_nothing_but_the_tone_to_extract_and_nothing_to_validate() -> None:
    """What the computation here assumes of ValidateSlotMappings."""
    names = {name for name in dir(ValidateSlotMappings) if name.startswith(("extract_", "validate_"))}

    assert names == {"extract_distress_level"}
    assert ValidateSlotMappings().name() == "action_validate_slot_mappings"


@pytest.mark.parametrize("candidates", CANDIDATES.values(), ids=CANDIDATES.keys())
@pytest.mark.parametrize("events", CONVERSATIONS.values(), ids=CONVERSATIONS.keys())
async def test_the_same_events_as_the_action_server_returned(
    events: list[Any], candidates: list[Any], domain: Domain
) -> None:
    tracker = tracker_of(events, domain)
    server = InProcessActionServer()

    stock = await validated(distress_slot.STOCK_VALIDATE, server, tracker, candidates, domain)
    ours = await validated(
        distress_slot.execute_validation_action, UnreachableActionServer(), tracker, candidates, domain
    )

    assert server.calls == 1
    assert shown(ours) == shown(stock)
    assert [type(event) for event in ours] == [type(event) for event in stock]


@pytest.mark.parametrize(
    ("events", "tone"),
    [
        (CONVERSATIONS["calm"], "none"),
        (CONVERSATIONS["elevated twice is high"], "high"),
        (CONVERSATIONS["crisis check"], "crisis_check"),
        (CONVERSATIONS["calm identity answers keep the tone"], "high"),
        (CONVERSATIONS["a calm request of their own"], "none"),
    ],
)
async def test_the_tone_is_set_on_every_message_changed_or_not(
    events: list[Any], tone: str, domain: Domain
) -> None:
    """rasa_sdk returns the extracted slot every time, even when the tracker holds that value already."""
    tracker = tracker_of([SlotSet("distress_level", tone), *events], domain)

    ours = await validated(
        distress_slot.execute_validation_action, UnreachableActionServer(), tracker, [], domain
    )

    assert shown(ours) == [("slot", "distress_level", tone)]


async def test_slots_of_forms_follow_the_action_servers_answer_as_rasa_merges_them(domain: Domain) -> None:
    tracker = tracker_of(CONVERSATIONS["elevated twice is high"], domain)

    ours = await validated(
        distress_slot.execute_validation_action,
        UnreachableActionServer(),
        tracker,
        CANDIDATES["both, and the tone"],
        domain,
    )

    assert shown(ours) == [
        ("slot", "promise_amount", 50.0),
        ("slot", "distress_level", "high"),
        ("slot", "account_ref", "ACME-1001"),
    ]


async def test_a_selective_domain_gets_the_empty_answer_it_got_from_the_action_server(domain: Domain) -> None:
    tracker = tracker_of(CONVERSATIONS["elevated twice is high"], domain)
    candidates = CANDIDATES["both, and the tone"]
    server = InProcessActionServer(enable_selective_domain=True)

    stock = await validated(distress_slot.STOCK_VALIDATE, server, tracker, candidates, domain)
    selective = UnreachableActionServer(enable_selective_domain=True)
    ours = await validated(distress_slot.execute_validation_action, selective, tracker, candidates, domain)

    assert shown(ours) == shown(stock) == shown(candidates)


async def test_without_the_action_in_the_domain_the_candidates_pass_as_they_are(domain: Domain) -> None:
    other = Domain.from_dict(
        {"slots": {"distress_level": {"type": "text", "mappings": [{"type": "custom"}]}}}
    )
    tracker = tracker_of(CONVERSATIONS["elevated twice is high"], other)
    candidates = [SlotSet("distress_level", "none")]

    ours = await validated(
        distress_slot.execute_validation_action, UnreachableActionServer(), tracker, candidates, other
    )

    assert shown(ours) == shown(candidates)


@pytest.mark.usefixtures("patched")
async def test_extracting_slots_after_a_message_sets_the_tone_without_calling_the_action_server(
    domain: Domain,
) -> None:
    events = [*said("elevated"), *said("elevated", intent="promise_to_pay", entities=[*AMOUNT, *REFERENCE])]
    tracker = tracker_of(events, domain)
    action = ActionExtractSlots(UnreachableActionServer())

    extracted = await action.run(CollectingOutputChannel(), None, tracker, domain)

    assert shown(extracted) == [
        ("slot", "promise_amount", "50"),
        ("slot", "distress_level", "high"),
        ("slot", "account_ref", "ACME-1001"),
    ]


@pytest.mark.usefixtures("patched")
async def test_rasas_whole_extraction_gives_what_it_gave_with_the_action_server(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = [*said("high"), *said("none", intent="promise_to_pay", entities=[*AMOUNT, *REFERENCE])]
    ours = await ActionExtractSlots(UnreachableActionServer()).run(
        CollectingOutputChannel(), None, tracker_of(events, domain), domain
    )
    monkeypatch.setattr(ActionExtractSlots, "_execute_validation_action", distress_slot.STOCK_VALIDATE)

    stock = await ActionExtractSlots(InProcessActionServer()).run(
        CollectingOutputChannel(), None, tracker_of(events, domain), domain
    )

    assert shown(ours) == shown(stock)


@pytest.mark.usefixtures("patched")
def test_install_is_idempotent_and_reported() -> None:
    distress_slot.install()

    assert distress_slot.installed()
    assert ActionExtractSlots._execute_validation_action is distress_slot.execute_validation_action


def test_not_installed_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ActionExtractSlots, "_execute_validation_action", distress_slot.STOCK_VALIDATE)

    assert not distress_slot.installed()
