"""The webchat page, its scripts and snippet, and the session tokens the Rasa webchat channel accepts."""

import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.testclient import TestClient

from api.core.config import Settings
from api.main import create_app
from api.webchat.router import WIDGET_JS
from api.webchat.sessions import RateLimiter, issue, session_of
from tests.conftest import IN_CI
from tests.factories import API_TOKEN, SECRET_KEY

WEBCHAT_SECRET = "test-webchat-secret-0123456789abcdef"
SOCKET_URL = "https://bot.acme.example"


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "DATABASE_URL": "sqlite://",
        "API_TOKEN": API_TOKEN,
        "SECRET_KEY": SECRET_KEY,
        "WEBCHAT_JWT_SECRET": WEBCHAT_SECRET,
        "WEBCHAT_SOCKET_URL": SOCKET_URL,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def web() -> Iterator[TestClient]:
    """A browser: no bearer token."""
    with TestClient(create_app(make_settings())) as client:
        yield client


def new_session(client: TestClient, body: object = None) -> dict[str, str]:
    response = client.post("/api/v1/webchat/session", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


# --- tokens -------------------------------------------------------------------------------------


def test_session_needs_no_bearer_and_returns_a_signed_short_lived_token(web: TestClient) -> None:
    before = datetime.now(UTC)
    session = new_session(web)
    claims = jwt.decode(session["token"], WEBCHAT_SECRET, algorithms=["HS256"])
    assert claims["sub"] == session["session_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", session["session_id"])
    expires_at = datetime.fromisoformat(session["expires_at"])
    assert timedelta(minutes=14) < expires_at - before <= timedelta(minutes=15, seconds=5)
    assert claims["exp"] == int(expires_at.timestamp())


def test_every_session_is_new_and_unguessable(web: TestClient) -> None:
    ids = {new_session(web)["session_id"] for _ in range(5)}
    assert len(ids) == 5


def test_a_valid_token_renews_its_own_session(web: TestClient) -> None:
    first = new_session(web)
    renewed = new_session(web, {"token": first["token"]})
    assert renewed["session_id"] == first["session_id"]


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(jwt.encode({"sub": "victim", "exp": 9999999999}, "x" * 40, "HS256"), id="forged"),
        pytest.param(jwt.encode({"sub": "victim", "exp": 1}, WEBCHAT_SECRET, "HS256"), id="expired"),
        pytest.param("garbage", id="garbage"),
    ],
)
def test_a_bad_token_gets_a_new_session_never_the_one_it_names(web: TestClient, token: str) -> None:
    assert new_session(web, {"token": token})["session_id"] != "victim"


def test_session_answers_503_until_the_secret_is_configured() -> None:
    with TestClient(create_app(make_settings(WEBCHAT_JWT_SECRET=None))) as client:
        assert client.post("/api/v1/webchat/session").status_code == 503


def test_session_requests_are_rate_limited_per_client() -> None:
    with TestClient(create_app(make_settings(WEBCHAT_SESSIONS_PER_MINUTE=3))) as client:
        codes = [client.post("/api/v1/webchat/session").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_session_responses_are_not_cached(web: TestClient) -> None:
    assert web.post("/api/v1/webchat/session").headers["cache-control"] == "no-store"


def test_rate_limiter_window_slides_and_memory_stays_bounded() -> None:
    limiter = RateLimiter(limit=2, window_seconds=60, max_keys=3)
    assert [limiter.allow("a", now=t) for t in (0, 1, 2)] == [True, True, False]
    assert limiter.allow("a", now=61)
    for key in "bcdef":
        limiter.allow(key, now=70)
    assert len(limiter._hits) == 3


def test_issued_token_round_trips_and_expires() -> None:
    now = datetime.now(UTC)
    fresh = issue(WEBCHAT_SECRET, 900, "abc", now=now)
    stale = issue(WEBCHAT_SECRET, 60, "abc", now=now - timedelta(minutes=5))
    assert session_of(WEBCHAT_SECRET, fresh.token) == "abc"
    assert session_of(WEBCHAT_SECRET, stale.token) is None
    assert session_of("y" * 40, fresh.token) is None


def test_the_webchat_channel_accepts_the_api_token() -> None:
    """Both sides agree: the claims the channel requires (sub, exp, HS256) are what the API signs."""
    token = issue(WEBCHAT_SECRET, 900, "abc").token
    claims = jwt.decode(token, WEBCHAT_SECRET, algorithms=["HS256"], options={"require": ["exp", "sub"]})
    assert claims["sub"] == "abc" and claims["exp"] > time.time()


# --- the page -----------------------------------------------------------------------------------


def page_config(html: str) -> dict[str, str]:
    match = re.search(r'<script type="application/json" id="webchat-config">(.*?)</script>', html, re.S)
    assert match
    return dict(json.loads(match.group(1)))


def test_chat_page_loads_the_widget_configured_for_the_rasa_socket(web: TestClient) -> None:
    response = web.get("/chat")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<title>Acme Recovery Services — secure chat</title>" in page
    assert 'name="viewport" content="width=device-width, initial-scale=1' in page
    assert "never type card numbers" in page
    assert '<script src="/chat/widget.js"></script>' in page
    assert '<script src="/chat/chat.js"></script>' in page
    config = page_config(page)
    assert config["socketUrl"] == SOCKET_URL
    assert config["socketPath"] == "/socket.io/"
    assert config["sessionUrl"] == "/api/v1/webchat/session"


def test_chat_page_socket_url_defaults_to_local_rasa() -> None:
    settings = Settings(_env_file=None, API_TOKEN=API_TOKEN, SECRET_KEY=SECRET_KEY)
    assert settings.WEBCHAT_SOCKET_URL == "http://localhost:5005"


def test_chat_page_allows_only_its_scripts_the_socket_and_configured_framers(web: TestClient) -> None:
    policy = web.get("/chat").headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert f"connect-src 'self' {SOCKET_URL} wss://bot.acme.example;" in policy
    assert "frame-ancestors 'self';" in policy


def test_chat_page_config_cannot_break_out_of_its_script_element() -> None:
    hostile = make_settings(WEBCHAT_SOCKET_URL="http://x/</script><script>alert(1)</script>")
    with TestClient(create_app(hostile)) as client:
        page = client.get("/chat").text
    assert "<script>alert(1)" not in page
    assert page_config(page)["socketUrl"] == "http://x/</script><script>alert(1)</script>"


def test_chat_page_script_uses_the_token_and_session_persistence(web: TestClient) -> None:
    script = web.get("/chat/chat.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    for needed in ("encodeURIComponent(session.token)", 'storage: "session"', "config.socketPath"):
        assert needed in script.text


def test_page_stylesheet_is_served(web: TestClient) -> None:
    response = web.get("/chat/chat.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")


def test_unknown_chat_files_are_not_served(web: TestClient) -> None:
    for name in ("package.json", "chat.html", "..%2fapi%2fmain.py"):
        assert web.get(f"/chat/{name}").status_code == 404


def test_embed_snippet_and_its_instructions_are_served(web: TestClient) -> None:
    snippet = web.get("/chat/embed.js")
    assert snippet.status_code == 200 and snippet.headers["content-type"].startswith("text/javascript")
    assert 'origin + "/chat"' in snippet.text
    page = web.get("/chat/embed.html")
    assert page.status_code == 200
    assert '&lt;script src="https://CHAT-HOST/chat/embed.js" async&gt;&lt;/script&gt;' in page.text
    assert '<script src="/chat/embed.js" async></script>' in page.text


def test_widget_bundle_is_served_from_the_npm_package(web: TestClient) -> None:
    if not WIDGET_JS.is_file():
        reason = "webchat/node_modules is missing: run `npm ci` in webchat/"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    response = web.get("/chat/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert "WebChat" in response.text[:1000]
    assert "fonts.googleapis.com" in WIDGET_JS.read_text()  # the npm bundle imports them ...
    assert "fonts.googleapis.com" not in response.text  # ... the debtor's browser is never sent there
    assert "rw-conversation-container" in response.text  # the widget's own styles stay


def test_widget_bundle_missing_is_a_clear_503(web: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from api.webchat import router as webchat

    monkeypatch.setattr(webchat, "WIDGET_JS", webchat.WEBCHAT_DIR / "missing.js")
    response = web.get("/chat/widget.js")
    assert response.status_code == 503
    assert response.json() == {"detail": "webchat widget not installed"}
