"""Demo console users for `python -m api.seed`: an agent, a supervisor and a marketer, created once.

Passwords come from DEMO_AGENT_PASSWORD / DEMO_SUPERVISOR_PASSWORD / DEMO_MARKETING_PASSWORD, else the
documented demo defaults below; they are for a local demo only (create real users with
`python -m api.staff create`).
"""

import os
from dataclasses import dataclass

from sqlalchemy.orm import Session

from api.staff.service import Role, create_user, find_by_email


@dataclass(frozen=True)
class DemoStaff:
    """A demo user and where its password may come from."""

    email: str
    role: Role
    password_env: str
    default_password: str


DEMO_STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("agent@example.com", Role.AGENT, "DEMO_AGENT_PASSWORD", "demo-agent-password"),
    DemoStaff(
        "supervisor@example.com", Role.SUPERVISOR, "DEMO_SUPERVISOR_PASSWORD", "demo-supervisor-password"
    ),
    DemoStaff("marketing@example.com", Role.MARKETING, "DEMO_MARKETING_PASSWORD", "demo-marketing-password"),
)


def seed_staff(session: Session) -> list[str]:
    """Create the demo staff users that are missing (commits); returns the emails it created."""
    created = []
    for demo in DEMO_STAFF:
        if find_by_email(session, demo.email) is None:
            create_user(
                session, demo.email, os.environ.get(demo.password_env) or demo.default_password, demo.role
            )
            created.append(demo.email)
    session.commit()
    return created
