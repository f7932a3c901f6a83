"""/chat?link=...: a valid personal link reaches the widget (which sends it with every message); an
expired, forged or garbled one opens the chat unbound with a plain notice (rendered by the autoescaped
template), never an error page, and the page says nothing about any account either way."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from shared import personal_link
from tests.api.webchat.test_router import page_config, web  # noqa: F401  (fixture)
from tests.factories import SECRET_KEY

NOW = datetime.now(UTC)
NOTICE = "This chat link has expired or is not valid"


def link(secret: str = SECRET_KEY, expires_in: timedelta = timedelta(days=3)) -> str:
    return personal_link.encode(secret, "acc-1", NOW - timedelta(days=1), NOW + expires_in)


def test_a_valid_link_is_handed_to_the_widget_without_a_notice(web: TestClient) -> None:  # noqa: F811
    token = link()

    response = web.get("/chat", params={"link": token})

    assert response.status_code == 200
    config = page_config(response.text)
    assert config["link"] == token
    assert NOTICE not in response.text
    assert "acc-1" not in response.text


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(link(expires_in=timedelta(seconds=-1)), id="expired"),
        pytest.param(link(secret="another-secret-key-0123456789abcdef"), id="forged"),
        pytest.param("not-a-token", id="garbage"),
        pytest.param("x" * 5000, id="huge"),
    ],
)
def test_a_refused_link_opens_the_chat_unbound_with_a_clear_line(web: TestClient, bad: str) -> None:  # noqa: F811
    response = web.get("/chat", params={"link": bad})

    assert response.status_code == 200
    assert "link" not in page_config(response.text)
    assert f'<p class="chat-notice" id="chat-link-notice" role="status">{NOTICE}' in response.text
    assert "acc-1" not in response.text


def test_the_plain_chat_page_has_neither_link_nor_notice(web: TestClient) -> None:  # noqa: F811
    page = web.get("/chat").text

    assert "link" not in page_config(page) and "chat-link-notice" not in page


def test_the_page_script_sends_the_link_as_message_metadata(web: TestClient) -> None:  # noqa: F811
    script = web.get("/chat/chat.js").text

    assert "link: config.link" in script
    assert "customData: customData" in script
