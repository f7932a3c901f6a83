"""`python -m api.staff create --email ... --role ...` (api/staff/__main__.py): add a console user.

The password comes from STAFF_PASSWORD, else from a prompt that does not echo it; it is never printed.
"""

import argparse
import getpass
import logging
import os

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from api.core.config import DatabaseSettings
from api.core.db import get_session_factory
from api.staff.service import Role, create_user, find_by_email

logger = logging.getLogger(__name__)

PASSWORD_ENV = "STAFF_PASSWORD"  # noqa: S105 (the variable's name, not a password)


def _password() -> str:
    """The new user's password: from the environment, else asked twice without echo."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Repeat password: "):
        raise ValueError("the passwords differ")
    return first


def create(database_url: str, email: str, role: Role, password: str) -> str:
    """Create the user; returns its id. Raises ValueError when the email is taken or the password short."""
    with get_session_factory(database_url)() as session:
        if find_by_email(session, email) is not None:
            raise ValueError("a staff user with this email exists")
        user = create_user(session, email, password, role)
        try:
            session.commit()
        except IntegrityError:
            raise ValueError("a staff user with this email exists") from None
        return user.id


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit status 1 on a bad password, a taken email or an unmigrated database."""
    parser = argparse.ArgumentParser(prog="python -m api.staff", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("create", help="create a staff user")
    new.add_argument("--email", required=True)
    new.add_argument("--role", required=True, choices=[role.value for role in Role])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s [%(name)s] %(message)s")
    try:
        user_id = create(DatabaseSettings().DATABASE_URL, args.email, Role(args.role), _password())
    except ValueError as error:
        logger.error("not created: %s", error)
        return 1
    except SQLAlchemyError as error:
        logger.error("not created (%s); did `alembic upgrade head` run?", type(error).__name__)
        return 1
    logger.info("staff user created: %s (%s)", user_id, args.role)
    return 0
