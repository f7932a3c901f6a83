"""shared.distress_tone: which debtor messages set the tone slot, and their levels (both processes' rule)."""

from __future__ import annotations

from typing import Any

from shared.distress_tone import calm_identity_answer, level_of, recent_levels


def reading(level: str | None, intent: str = "check_balance", entity: str | None = None) -> dict[str, Any]:
    entities = [{"entity": entity, "value": "x"}] if entity else []
    return {"intent": {"name": intent}, "entities": entities, "distress": {"level": level}}


def test_a_message_without_the_detectors_reading_has_no_level() -> None:
    assert level_of({}) is None
    assert level_of({"distress": None}) is None
    assert level_of(reading("elevated")) == "elevated"


def test_a_calm_identity_answer_is_one_by_its_intent_or_an_identity_entity() -> None:
    assert calm_identity_answer(reading("none", intent="inform_identity"))
    assert calm_identity_answer(reading(None, intent="deny", entity="zip"))
    assert not calm_identity_answer(reading("elevated", intent="inform_identity"))
    assert not calm_identity_answer(reading("none", entity="amount"))


def test_the_last_messages_that_count_oldest_first() -> None:
    newest_first = [
        reading("none", intent="inform_identity"),
        reading("high"),
        reading("none"),
        reading("elevated"),
        reading("crisis"),
    ]

    assert recent_levels(newest_first, 3) == ["elevated", "none", "high"]
    assert recent_levels(iter(newest_first[:1]), 3) == []
