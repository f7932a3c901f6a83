"""Experiments tests start from empty experiment tables (the databases are shared by the session)."""

from collections.abc import Iterator

import pytest
from sqlalchemy import delete

from api.core.db import get_engine
from api.experiments.models import Experiment, ExperimentVariant, Exposure


@pytest.fixture(autouse=True)
def _empty_experiments(database_url: str) -> Iterator[None]:
    """Empty the three tables before and after each test."""
    _empty(database_url)
    yield
    _empty(database_url)


def _empty(database_url: str) -> None:
    with get_engine(database_url).begin() as connection:
        for table in (Exposure, ExperimentVariant, Experiment):
            connection.execute(delete(table))
