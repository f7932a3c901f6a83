"""The seeded creditor policies: the contract's default and the three demo creditors, inserted once."""

import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.collections.models import CreditorPolicy
from api.collections.offer_policy import Frequency, Policy
from api.collections.service import policy_for
from api.seed import seed_policies
from tests.api.alembic_helpers import REPO_ROOT, migrate
from tests.api.collections_helpers import delete_policies
from tests.factories import API_TOKEN, SECRET_KEY


@pytest.fixture(autouse=True)
def _no_policies_left(database_url: str) -> Iterator[None]:
    yield
    delete_policies(database_url)


def test_the_policies_are_seeded_once(session: Session) -> None:
    first = seed_policies(session)
    second = seed_policies(session)

    assert first == ["default", "Northwind Bank", "Contoso Health", "Fabrikam Telecom"]
    assert second == []
    assert len(list(session.scalars(select(CreditorPolicy)))) == 4


def test_the_demo_policies_match_the_contract(session: Session) -> None:
    seed_policies(session)

    assert policy_for(session, "Northwind Bank") == Policy(creditor="Northwind Bank")
    contoso = policy_for(session, "Contoso Health")
    assert (contoso.settlement_floor_pct, contoso.max_term_months) == (Decimal("50.00"), 18)
    fabrikam = policy_for(session, "Fabrikam Telecom")
    assert (fabrikam.allowed_frequencies, fabrikam.max_term_months) == ((Frequency.MONTHLY,), 6)
    assert policy_for(session, "Someone Else") == Policy()


def test_reseeding_keeps_an_edited_policy(session: Session) -> None:
    seed_policies(session)
    row = session.get(CreditorPolicy, "Contoso Health")
    assert row is not None
    row.max_term_months = 9
    session.commit()

    seed_policies(session)

    assert policy_for(session, "Contoso Health").max_term_months == 9


def test_the_seed_command_reports_the_policies(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    migrate(url)
    env = {**os.environ, "DATABASE_URL": url, "API_TOKEN": API_TOKEN, "SECRET_KEY": SECRET_KEY}
    command = [sys.executable, "-m", "api.seed"]

    runs = [
        subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
        for _ in "12"
    ]

    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr
    assert (
        "creditor policies created: default, Northwind Bank, Contoso Health, Fabrikam Telecom"
        in runs[0].stderr
    )
    assert "creditor policies created: none (already present)" in runs[1].stderr
