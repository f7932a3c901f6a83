"""Insert the three demo accounts the README shows, the creditor policies, the demo staff and the bot's
responses from domain.yml (for the marketing editor), unless they exist. On the embedded SQLite default
(a demo, never a production database), also demo conversations for the insights dashboard and a demo
experiment, when the review tables are empty.

`python -m api.seed`; existing rows are left as they are, so edited policies survive a re-run.

Run the migrations first (`alembic upgrade head`). Use the same SECRET_KEY as the server, or the demo
identity facts will not verify.
"""

import logging
import sys
from decimal import Decimal
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.accounts import service as accounts
from api.accounts.schemas import AccountCreate
from api.collections.models import CreditorPolicy
from api.collections.offer_policy import Frequency, Policy
from api.collections.service import to_row
from api.core.config import get_settings
from api.core.db import get_session_factory
from api.core.models import utcnow
from api.experiments import demo as experiments_demo
from api.insights import demo as insights_demo
from api.responses import service as responses
from api.responses.exceptions import DomainFileError
from api.staff.seed import seed_staff
from shared.demo import DEMO_ACCOUNTS

logger = logging.getLogger(__name__)

DEMO_POLICIES: tuple[Policy, ...] = (
    Policy(),  # "default": every creditor without a row of its own
    Policy(creditor="Northwind Bank"),
    Policy(creditor="Contoso Health", settlement_floor_pct=Decimal("50.0"), max_term_months=18),
    Policy(creditor="Fabrikam Telecom", allowed_frequencies=(Frequency.MONTHLY,), max_term_months=6),
)


def seed_policies(session: Session) -> list[str]:
    """Create the demo creditor policies that are missing; returns the creditors it created."""
    created = [
        policy.creditor for policy in DEMO_POLICIES if session.get(CreditorPolicy, policy.creditor) is None
    ]
    session.add_all(to_row(policy) for policy in DEMO_POLICIES if policy.creditor in created)
    session.commit()
    return created


def seed(session: Session, secret: str) -> list[str]:
    """Create the demo accounts that are missing; returns the references it created."""
    created = []
    for raw in DEMO_ACCOUNTS:
        demo = AccountCreate.model_validate(raw)
        if accounts.get_account_by_reference(session, demo.reference) is None:
            accounts.create_account(session, demo, secret)
            created.append(demo.reference)
    return created


def seed_responses(session: Session, domain_file: Path) -> int:
    """Add the domain's responses the database lacks (edited ones are kept); returns how many."""
    added = responses.seed_from_domain(session, responses.read_domain_responses(domain_file), utcnow())
    session.commit()
    return added


def seed_demo_insights(session: Session, database_url: str) -> int:
    """Demo conversations and a demo experiment on the embedded SQLite default; how many conversations."""
    if not database_url.startswith("sqlite"):
        return 0
    references = [raw["reference"] for raw in DEMO_ACCOUNTS]
    found = (accounts.get_account_by_reference(session, reference) for reference in references)
    account_ids = [account.id for account in found if account is not None]
    now = utcnow()
    senders = insights_demo.generate(session, account_ids, now.date())
    experiments_demo.seed_demo(session, senders, now)
    return len(senders)


def main() -> int:
    """Seed the database named by DATABASE_URL; exit status 1 if it is unreachable or not migrated."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s [%(name)s] %(message)s")
    settings = get_settings()
    try:
        with get_session_factory(settings.DATABASE_URL)() as session:
            policies = seed_policies(session)
            created = seed(session, settings.SECRET_KEY.get_secret_value())
            staff = seed_staff(session)
            added = seed_responses(session, Path(settings.RESPONSES_DOMAIN_FILE))
            demo = seed_demo_insights(session, settings.DATABASE_URL)
    except DomainFileError as error:
        logger.error("seeding the bot's responses failed: %s", error)
        return 1
    except SQLAlchemyError as error:
        logger.error("seeding failed (%s); did `alembic upgrade head` run?", type(error).__name__)
        return 1
    logger.info(
        "creditor policies created: %s", ", ".join(policies) if policies else "none (already present)"
    )
    logger.info("demo accounts created: %s", ", ".join(created) if created else "none (already present)")
    logger.info("demo staff created: %s", ", ".join(staff) if staff else "none (already present)")
    logger.info("bot responses added from domain.yml: %d", added)
    logger.info("demo conversations for the insights dashboard: %d", demo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
