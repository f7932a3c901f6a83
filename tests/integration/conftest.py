"""The running product for integration tests, started as `make run` starts it (tests/integration/running.py:
the Procfile's commands through stack/, an env file made from .env.example like `make` makes .env, the same
endpoints and credentials files). What differs is only what must: free ports, fresh secrets, a temporary
database, and Rasa's stores in the real Redis (the production setting of the same endpoints.yml).

Slow (Rasa loads its model), so one session-scoped stack serves every integration test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.conftest import require_service
from tests.integration.running import (
    API_BIN,
    BOT_BIN,
    DEBT_WORDS,
    MINI_MIRANDA,
    REDIS_DB,
    ROOT,
    Stack,
    StackError,
    running_stack,
)

__all__ = ["API_BIN", "BOT_BIN", "DEBT_WORDS", "MINI_MIRANDA", "REDIS_DB", "ROOT", "Stack"]


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    require_service("Redis", "127.0.0.1", 6379)
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` first")
    tmp = tmp_path_factory.mktemp("stack")
    try:
        with running_stack(tmp) as running:
            yield running
    except StackError as error:
        pytest.fail(str(error))
    finally:
        sys.stdout.write("".join(f"\n--- {p.name} ---\n{p.read_text()[-1500:]}" for p in tmp.glob("*.log")))
