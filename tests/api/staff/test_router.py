"""Staff sign-in: passwords, session tokens and cookies, the CSRF header, the CLI and the demo users."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.staff.models import StaffUser
from api.staff.seed import seed_staff
from api.staff.service import authenticate, issue_session
from tests.api.alembic_helpers import REPO_ROOT, migrate
from tests.api.handoff_helpers import (
    HANDOFFS,
    PASSWORD,
    Staff,
    act,
    create_handoff,
    make_staff,
)
from tests.factories import SECRET_KEY

LOGIN = "/api/v1/staff/login"


def test_sign_in_returns_a_token_and_an_http_only_cookie(
    anonymous_client: TestClient, session: Session, handoff_tables: None
) -> None:
    agent = make_staff(session, "agent", "dana@example.com")

    response = anonymous_client.post(LOGIN, json={"email": "Dana@Example.com ", "password": PASSWORD})

    assert response.status_code == 200, response.text
    assert (response.json()["role"], response.json()["email"]) == ("agent", agent.email)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    token = response.json()["token"]
    me = anonymous_client.get("/api/v1/staff/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["id"] == agent.id


def test_wrong_password_unknown_email_and_inactive_users_are_refused(
    anonymous_client: TestClient, session: Session, handoff_tables: None
) -> None:
    make_staff(session, "agent", "dana@example.com")
    make_staff(session, "agent", "gone@example.com", active=False)

    attempts = [("dana@example.com", "wrong password"), ("nobody@example.com", PASSWORD)]
    attempts.append(("gone@example.com", PASSWORD))

    for email, password in attempts:
        response = anonymous_client.post(LOGIN, json={"email": email, "password": password})
        assert (response.status_code, response.json()["detail"]) == (401, "wrong email or password")


def test_the_cookie_signs_in_pages_and_writes_need_the_console_header(
    client: TestClient, anonymous_client: TestClient, session: Session, handoff_tables: None
) -> None:
    make_staff(session, "agent", "dana@example.com")
    handoff = create_handoff(client)
    anonymous_client.post(LOGIN, json={"email": "dana@example.com", "password": PASSWORD})
    claim = f"{HANDOFFS}/{handoff['id']}/claim"

    assert anonymous_client.get(HANDOFFS).status_code == 200
    assert anonymous_client.post(claim).status_code == 403
    assert anonymous_client.post(claim, headers={"X-Console-Request": "1"}).status_code == 200


def test_an_expired_session_is_refused(client: TestClient, session: Session, handoff_tables: None) -> None:
    agent = make_staff(session, "agent")
    user = session.get(StaffUser, agent.id)
    assert user is not None
    expired = issue_session(SECRET_KEY, user, 60, datetime.now(UTC) - timedelta(hours=1)).token

    assert client.get(HANDOFFS, headers={"Authorization": f"Bearer {expired}"}).status_code == 401


def test_demo_staff_are_seeded_once_and_can_sign_in(session: Session, handoff_tables: None) -> None:
    first, second = seed_staff(session), seed_staff(session)

    assert (first, second) == (["agent@example.com", "supervisor@example.com", "marketing@example.com"], [])
    user = authenticate(session, "supervisor@example.com", "demo-supervisor-password")
    assert user is not None and user.role == "supervisor"


def test_the_cli_creates_a_user_without_printing_the_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    migrate(url)
    password = "a-long-enough-password"
    env = {**os.environ, "DATABASE_URL": url, "STAFF_PASSWORD": password}
    command = [
        sys.executable,
        "-m",
        "api.staff",
        "create",
        "--email",
        "lee@example.com",
        "--role",
        "supervisor",
    ]

    runs = [subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True) for _ in range(2)]

    assert [run.returncode for run in runs] == [0, 1], runs[0].stderr
    assert "exists" in runs[1].stderr
    assert password not in "".join(run.stdout + run.stderr for run in runs)


def test_supervisors_list_who_a_handoff_can_go_to_and_agents_cannot(
    client: TestClient, staff: dict[str, Staff]
) -> None:
    response = client.get("/api/v1/staff/agents", headers=staff["supervisor"].headers)

    assert response.status_code == 200, response.text
    listed = {person["email"]: person["role"] for person in response.json()}
    assert listed == {
        "admin@example.com": "admin",
        "agent2@example.com": "agent",
        "agent@example.com": "agent",
        "supervisor@example.com": "supervisor",
    }  # marketing works no handoffs, so it is not offered
    for who in ("agent", "marketing"):
        assert client.get("/api/v1/staff/agents", headers=staff[who].headers).status_code == 403
    assert client.get("/api/v1/staff/agents").status_code == 401


def test_a_reassigned_handoff_names_its_new_owner(client: TestClient, staff: dict[str, Staff]) -> None:
    handoff = create_handoff(client)

    moved = act(client, staff["supervisor"], handoff["id"], "reassign", staff_id=staff["agent2"].id)

    assert (moved["status"], moved["claimed_by_email"]) == ("claimed", "agent2@example.com")
