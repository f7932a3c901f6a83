"""A step's message comes from the editable responses when marketing published one (the channel's own
variation first), else from the campaign's built-in texts; an email has a subject and asks for a call."""

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from api.campaigns import templates
from api.core.config import Settings
from api.responses import service as responses
from tests.api.campaigns.helpers import NOON_NEW_YORK, REMINDER
from tests.api.responses_helpers import empty_responses_tables


@pytest.fixture
def edited(database_url: str, session: Session) -> Iterator[None]:
    """The due-soon reminder published with an SMS text and an email variation; removed afterwards."""
    empty_responses_tables(database_url)
    variations = [
        {"text": "{company}: edited reminder. Reply to talk it through."},
        {"text": "Edited email reminder: call {phone}.", "channel": "email"},
    ]
    responses.seed_from_domain(session, {REMINDER: variations}, NOON_NEW_YORK)
    session.commit()
    yield
    empty_responses_tables(database_url)


def test_without_an_edited_response_the_built_in_texts_are_used(session: Session, settings: Settings) -> None:
    sms = templates.render(session, REMINDER, "sms", settings)
    email = templates.render(session, REMINDER, "email", settings)

    assert sms == templates.Reminder(templates.REMINDERS[REMINDER].format(company=settings.SMS_COMPANY_NAME))
    assert email.subject == f"A message from {settings.SMS_COMPANY_NAME}"
    assert f"Call us at {settings.COLLECTOR_PHONE}" in email.text


@pytest.mark.usefixtures("edited")
def test_the_published_response_wins_with_each_channels_own_variation(
    session: Session, settings: Settings
) -> None:
    sms = templates.render(session, REMINDER, "sms", settings)
    email = templates.render(session, REMINDER, "email", settings)

    assert sms.text == f"{settings.SMS_COMPANY_NAME}: edited reminder. Reply to talk it through."
    assert email.text == f"Edited email reminder: call {settings.COLLECTOR_PHONE}."
