"""The seed from domain.yml and the live version."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from api.core.models import utcnow
from api.responses import service
from api.responses.exceptions import DomainFileError
from api.staff.models import StaffUser
from tests.api.handoff_helpers import Staff


def test_the_seed_keeps_every_variation_and_is_idempotent(session: Session, seeded: Any) -> None:
    again = service.seed_from_domain(session, seeded, utcnow())
    session.commit()

    assert again == 0
    for name, variations in seeded.items():
        live = service.live(session, name)
        assert live is not None and live.number == 1 and live.variations == variations
        assert live.note == service.SEED_NOTE and live.author_email is None


def test_a_re_seed_keeps_edits_and_adds_new_responses(
    session: Session, seeded: Any, staff: dict[str, Staff]
) -> None:
    author = session.get(StaffUser, staff["marketing"].id)
    assert author is not None
    service.publish(session, "utter_goodbye", [{"text": "Bye for now."}], author, "", utcnow())
    session.commit()

    added = service.seed_from_domain(session, {**seeded, "utter_new": [{"text": "New"}]}, utcnow())
    session.commit()

    assert added == 1
    assert service.live_variations(session, "utter_goodbye") == [{"text": "Bye for now."}]
    assert service.live_variations(session, "utter_new") == [{"text": "New"}]


def test_a_re_seed_brings_unedited_responses_up_to_a_changed_domain(
    session: Session, seeded: Any, staff: dict[str, Staff]
) -> None:
    """A release that rewords a response reaches existing installs, unless staff edited it here."""
    author = session.get(StaffUser, staff["marketing"].id)
    assert author is not None
    service.publish(session, "utter_goodbye", [{"text": "Bye for now."}], author, "", utcnow())
    session.commit()
    name = next(n for n in seeded if n != "utter_goodbye")
    reworded = {**seeded, name: [{"text": "Reworded by the release."}], "utter_goodbye": [{"text": "Later."}]}

    service.seed_from_domain(session, reworded, utcnow())
    session.commit()
    service.seed_from_domain(session, reworded, utcnow())  # idempotent
    session.commit()

    updated = service.live(session, name)
    assert updated is not None and updated.variations == [{"text": "Reworded by the release."}]
    assert (updated.number, updated.note) == (2, service.SEED_UPDATE_NOTE)
    assert service.live_variations(session, "utter_goodbye") == [{"text": "Bye for now."}]  # the edit stays


def test_a_domain_file_without_responses_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "domain.yml"
    broken.write_text("version: '3.1'\n")

    with pytest.raises(DomainFileError):
        service.read_domain_responses(broken)
    with pytest.raises(DomainFileError):
        service.read_domain_responses(tmp_path / "missing.yml")
