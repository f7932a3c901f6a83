"""channels.event_types: Rasa's event lookup by type name, remembered (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered

from channels import event_types


@pytest.fixture
def remembering() -> Iterator[None]:
    event_types.install()
    yield
    Event.resolve_by_type = staticmethod(event_types.STOCK_RESOLVE)


@pytest.mark.usefixtures("remembering")
def test_every_known_event_type_resolves_as_rasas_lookup_does() -> None:
    assert event_types.installed()
    for name in ("user", "bot", "action", "slot", "session_started", "active_loop", "followup"):
        assert Event.resolve_by_type(name) is event_types.STOCK_RESOLVE(name)
        assert Event.resolve_by_type(name) is event_types.STOCK_RESOLVE(name)  # remembered


@pytest.mark.usefixtures("remembering")
def test_unknown_names_keep_rasas_answers() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")
    assert "no_such_event" not in event_types._resolved


@pytest.mark.usefixtures("remembering")
def test_a_tracker_round_trip_is_unchanged() -> None:
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hi"),
        SlotSet("verified", True),
        BotUttered("Hello"),
    ]
    dumped = [event.as_dict() for event in events]
    assert [Event.from_parameters(d) for d in dumped] == events
