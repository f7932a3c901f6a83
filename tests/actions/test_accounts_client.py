"""The accounts API client keeps one pooled HTTP client per event loop (issue 15: CPU per turn)."""

from __future__ import annotations

import httpx

from actions.clients.accounts import AccountsClient, shared_client
from actions.config import ActionSettings, get_settings
from tests.actions.conftest import ACCOUNT_ID


async def test_calls_in_one_event_loop_share_one_http_client():
    settings = get_settings()
    assert shared_client(settings) is shared_client(settings)


async def test_other_settings_get_a_client_of_their_own():
    first = shared_client(get_settings())
    other = shared_client(ActionSettings("http://elsewhere.test", "other-token", 1.0))
    assert other is not first
    assert str(other.base_url).startswith("http://elsewhere.test")


async def test_consecutive_requests_reach_the_api_with_the_token(api):
    route = api.get(f"/api/v1/accounts/{ACCOUNT_ID}/status").mock(
        return_value=httpx.Response(200, json={"collection_allowed": True, "timezone": "UTC"})
    )
    client = AccountsClient()
    for _ in range(3):
        assert (await client.status(ACCOUNT_ID)).collection_allowed
    assert route.call_count == 3
    assert {call.request.headers["Authorization"] for call in route.calls} == {"Bearer test-token"}
