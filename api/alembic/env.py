"""Alembic environment: the URL comes from the settings (DATABASE_URL), the schema from every domain's models.

Tests and tools may pass a URL in `config.attributes["database_url"]` instead.
"""

import logging
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

# Each domain's tables, registered on Base.metadata by importing its models.
from api.accounts import models as accounts_models  # noqa: F401
from api.campaigns import models as campaigns_models  # noqa: F401
from api.collections import models as collections_models  # noqa: F401
from api.conversations import models as conversations_models  # noqa: F401
from api.core.config import DatabaseSettings
from api.core.db import ensure_sqlite_directory
from api.core.models import Base
from api.experiments import models as experiments_models  # noqa: F401
from api.handoffs import models as handoffs_models  # noqa: F401
from api.insights import models as insights_models  # noqa: F401
from api.responses import models as responses_models  # noqa: F401
from api.staff import models as staff_models  # noqa: F401

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_metadata = Base.metadata


def database_url() -> str:
    """The URL handed in by the caller, else DATABASE_URL from the environment or .env."""
    url = config.attributes.get("database_url")
    return str(url) if url else DatabaseSettings().DATABASE_URL


def run_migrations_offline() -> None:
    """Emit SQL to stdout without a connection (`alembic upgrade head --sql`)."""
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations over a real connection; SQLite gets batch mode for ALTER TABLE."""
    url = database_url()
    ensure_sqlite_directory(url)
    engine = create_engine(url, poolclass=pool.NullPool, hide_parameters=True)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
