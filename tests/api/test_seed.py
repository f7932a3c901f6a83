"""`python -m api.seed`: the three README demo accounts, inserted once, verifiable with their facts."""

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.accounts.models import Account
from api.seed import DEMO_ACCOUNTS, seed
from sms_sink.config import DEMO_PHONES
from tests.api.alembic_helpers import REPO_ROOT, migrate
from tests.factories import API_TOKEN, SECRET_KEY


def test_seed_creates_the_demo_accounts_once(session: Session) -> None:
    first = seed(session, SECRET_KEY)
    second = seed(session, SECRET_KEY)

    assert first == ["ACME-1001", "ACME-1002", "ACME-1003"]
    assert second == []
    assert session.scalar(select(func.count()).select_from(Account)) == 3


def test_demo_accounts_match_the_readme(session: Session) -> None:
    seed(session, SECRET_KEY)

    accounts = {account.reference: account for account in session.scalars(select(Account))}

    jordan, sam, alex = accounts["ACME-1001"], accounts["ACME-1002"], accounts["ACME-1003"]
    assert (jordan.debtor.phone, str(jordan.total), jordan.days_past_due) == ("+12025550143", "1320.40", 45)
    assert (sam.debtor.timezone, str(sam.total), sam.days_past_due) == ("America/Chicago", "665.00", 120)
    assert (alex.creditor, str(alex.total), alex.time_barred) == ("Fabrikam Telecom", "323.00", True)


def test_the_readme_conversation_works_on_seeded_data(client: TestClient, session: Session) -> None:
    seed(session, SECRET_KEY)

    account_id = client.post("/api/v1/accounts/lookup", json={"phone": "(202) 555-0143"}).json()["account_id"]
    outcome = client.post(
        f"/api/v1/accounts/{account_id}/verify", json={"dob": "1985-03-14", "zip_code": "20001"}
    )
    balance = client.get(
        f"/api/v1/accounts/{account_id}/balance", headers={"X-Verification-Grant": outcome.json()["grant"]}
    )

    assert balance.json()["total"] == "1320.40"
    sam = client.post("/api/v1/accounts/lookup", json={"reference": "acme-1002"}).json()["account_id"]
    assert client.post(
        f"/api/v1/accounts/{sam}/verify", json={"dob": "1990-07-02", "ssn_last4": "8765"}
    ).json()["verified"]


def _run_seed(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "api.seed"]
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)


def test_seed_module_runs_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'accounts.db'}"
    migrate(url)
    env = {**os.environ, "DATABASE_URL": url, "API_TOKEN": API_TOKEN, "SECRET_KEY": SECRET_KEY}

    runs = [_run_seed(env) for _ in range(2)]

    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr
    assert "ACME-1001, ACME-1002, ACME-1003" in runs[0].stderr
    assert "already present" in runs[1].stderr
    assert "+12025550143" not in runs[0].stderr + runs[0].stdout


def test_seed_exits_1_with_a_hint_when_not_migrated(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    env.update(API_TOKEN=API_TOKEN, SECRET_KEY=SECRET_KEY)

    run = _run_seed(env)

    assert run.returncode == 1
    assert "alembic upgrade head" in run.stderr


def test_the_sms_sink_offers_the_demo_debtors_phones() -> None:
    """The sink's page texts from these numbers so that the bot already knows the account."""
    seeded = [
        (a["debtor"]["phone"], f"{a['debtor']['first_name']} {a['debtor']['last_name']}, {a['reference']}")
        for a in DEMO_ACCOUNTS
    ]

    assert list(DEMO_PHONES) == seeded
