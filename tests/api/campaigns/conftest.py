"""Campaign tests start and end without campaigns."""

from collections.abc import Iterator

import pytest

from tests.api.campaigns.helpers import empty_campaign_tables


@pytest.fixture(autouse=True)
def _empty_campaigns(request: pytest.FixtureRequest) -> Iterator[None]:
    if "database_url" not in request.fixturenames:
        yield
        return
    url: str = request.getfixturevalue("database_url")
    empty_campaign_tables(url)
    yield
    empty_campaign_tables(url)
