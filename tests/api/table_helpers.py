"""Tests share one database per backend: each domain's tests empty the tables they write."""

from collections.abc import Iterator

from sqlalchemy import delete

from api.core.db import get_engine
from api.core.models import Base


def empty_tables(url: str, *tables: type[Base]) -> None:
    """Delete every row of `tables`, in the order given (children before their parents)."""
    with get_engine(url).begin() as connection:
        for table in tables:
            connection.execute(delete(table))


def emptied(url: str, *tables: type[Base]) -> Iterator[None]:
    """A fixture's body: `tables` empty before the test and again after it."""
    empty_tables(url, *tables)
    yield
    empty_tables(url, *tables)
