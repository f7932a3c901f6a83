"""Handoff test helpers: staff users without the cost of argon2 per test, tokens, requests."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.handoffs.models import Handoff, HandoffEntry
from api.staff.models import StaffAudit, StaffUser
from api.staff.service import hash_password, issue_session
from tests.api.table_helpers import emptied
from tests.factories import SECRET_KEY

HANDOFFS = "/api/v1/handoffs"
PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)
"""One hash for every test user: argon2 is slow on purpose."""


@dataclass(frozen=True)
class Staff:
    """A test staff user and the headers that sign it in."""

    id: str
    email: str
    role: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """Bearer headers of this user's session."""
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def handoff_tables(database_url: str) -> Iterator[None]:
    """Empty handoff and staff tables before and after the test."""
    yield from emptied(database_url, StaffAudit, HandoffEntry, Handoff, StaffUser)


def make_staff(session: Session, role: str, email: str | None = None, active: bool = True) -> Staff:
    """A staff user in the database with a valid session token."""
    user = StaffUser(email=email or f"{role}-{uuid.uuid4().hex[:8]}@example.com", role=role)
    user.password_hash, user.active = _HASH, active
    session.add(user)
    session.commit()
    token = issue_session(SECRET_KEY, user, 600, datetime.now(UTC)).token
    return Staff(user.id, user.email, role, token)


def sign_in(client: TestClient, who: Staff) -> Staff:
    """Sign `who` in through the login route, as the console's browser does (a session cookie)."""
    response = client.post("/api/v1/staff/login", json={"email": who.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return who


def sign_in_as(client: TestClient, session: Session, role: str) -> Staff:
    """A new staff user with `role`, signed in on `client`."""
    return sign_in(client, make_staff(session, role))


@pytest.fixture
def staff(handoff_tables: None, session: Session) -> dict[str, Staff]:
    """Two agents, a supervisor, a marketer and an admin."""
    return {
        name: make_staff(session, role, f"{name}@example.com")
        for name, role in (
            ("agent", "agent"),
            ("agent2", "agent"),
            ("supervisor", "supervisor"),
            ("marketing", "marketing"),
            ("admin", "admin"),
        )
    }


def handoff_body(**overrides: Any) -> dict[str, Any]:
    """A POST /handoffs body: a webchat debtor asking for a person."""
    body: dict[str, Any] = {
        "conversation_id": f"c-{uuid.uuid4().hex}",
        "channel": "webchat",
        "reason": "request_human",
        "transcript": [
            {"sender": "bot", "text": "How can I help?"},
            {"sender": "debtor", "text": "I want to talk to a person", "distress": "elevated"},
        ],
        "distress": [{"level": "none", "score": 0.1}, {"level": "elevated", "score": 0.5}],
        "summary": "Asked for a person after the balance.",
    }
    body.update(overrides)
    return body


def create_handoff(client: TestClient, expect: int = 201, **overrides: Any) -> dict[str, Any]:
    """POST /handoffs with the service token; returns the body."""
    response = client.post(HANDOFFS, json=handoff_body(**overrides))
    assert response.status_code == expect, response.text
    return dict(response.json())


def claimed_handoff(client: TestClient, agent: Staff, **overrides: Any) -> dict[str, Any]:
    """A handoff created by the bot (create_handoff) and claimed by `agent`; its body."""
    handoff = create_handoff(client, **overrides)
    act(client, agent, str(handoff["id"]), "claim")
    return handoff


def act(client: TestClient, who: Staff, handoff_id: str, action: str, expect: int = 200, **body: Any) -> Any:
    """POST /handoffs/{id}/{action} as a staff user; returns the body."""
    response = client.post(f"{HANDOFFS}/{handoff_id}/{action}", json=body or None, headers=who.headers)
    assert response.status_code == expect, response.text
    return response.json()
