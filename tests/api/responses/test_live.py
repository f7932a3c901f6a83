"""The NLG route's memory of live versions: a few seconds at most, forgotten at once on a local publish."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from api.core.models import utcnow
from api.responses import live, service
from api.staff.models import StaffUser
from tests.api.handoff_helpers import Staff


async def test_a_version_published_elsewhere_is_served_once_the_entry_expires(
    database_url: str, session: Session, seeded: Any, staff: dict[str, Staff], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(live.time, "monotonic", lambda: clock[0])
    before = await live.variations(database_url, "utter_goodbye")
    author = session.get(StaffUser, staff["marketing"].id)
    assert author is not None
    service.publish(session, "utter_goodbye", [{"text": "See you."}], author, "", utcnow())
    session.commit()  # as another API process would: this one's memory is not told

    still = await live.variations(database_url, "utter_goodbye")
    clock[0] += live.TTL_SECONDS + 0.01
    after = await live.variations(database_url, "utter_goodbye")

    assert before == still == seeded["utter_goodbye"]
    assert after == [{"text": "See you."}]


async def test_an_unknown_response_is_remembered_as_unknown(database_url: str, seeded: Any) -> None:
    assert await live.variations(database_url, "utter_nothing") is None
    assert await live.variations(database_url, "utter_nothing") is None
