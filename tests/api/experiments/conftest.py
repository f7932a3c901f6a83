"""Experiments tests start from empty experiment tables (the databases are shared by the session)."""

from collections.abc import Iterator

import pytest

from api.experiments.models import Experiment, ExperimentVariant, Exposure
from tests.api.table_helpers import emptied


@pytest.fixture(autouse=True)
def _empty_experiments(database_url: str) -> Iterator[None]:
    """Empty the three tables before and after each test."""
    yield from emptied(database_url, Exposure, ExperimentVariant, Experiment)
