"""The personal link's token: issued for an account, read back by anyone holding SECRET_KEY, refused when
expired, forged, altered or of another kind (tests/shared runs under both environments)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import jwt
import pytest

from shared import personal_link, webchat_token

SECRET = "k" * 32
NOW = datetime.now(timezone.utc)


def issued(account_id: str = "acc-1", ttl: timedelta = timedelta(days=7), secret: str = SECRET) -> str:
    return personal_link.encode(secret, account_id, NOW, NOW + ttl)


def test_an_issued_link_names_its_account() -> None:
    assert personal_link.decode(issued(), SECRET) == "acc-1"
    assert personal_link.account_of(issued(), SECRET) == "acc-1"


def test_an_expired_link_is_refused() -> None:
    token = personal_link.encode(SECRET, "acc-1", NOW - timedelta(days=8), NOW - timedelta(seconds=1))

    with pytest.raises(personal_link.InvalidTokenError):
        personal_link.decode(token, SECRET)
    assert personal_link.account_of(token, SECRET) is None


def test_a_link_signed_with_another_key_is_refused() -> None:
    assert personal_link.account_of(issued(secret="x" * 32), SECRET) is None


def test_a_link_whose_account_was_altered_is_refused() -> None:
    header, _, signature = issued().split(".")
    forged_claims = jwt.utils.base64url_encode(
        b'{"sub":"acc-2","purpose":"personal-link","exp":9999999999}'
    ).decode()

    assert personal_link.account_of(f"{header}.{forged_claims}.{signature}", SECRET) is None


def test_the_raw_secret_key_does_not_sign_links() -> None:
    """The link key is derived for this one use: a token signed with SECRET_KEY itself (a grant's key)
    is not a link."""
    claims = {"sub": "acc-1", "purpose": personal_link.PURPOSE, "exp": NOW + timedelta(days=1)}

    assert personal_link.account_of(jwt.encode(claims, SECRET, algorithm="HS256"), SECRET) is None


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"sub": "acc-1", "exp": NOW + timedelta(days=1)}, id="no-purpose"),
        pytest.param(
            {"sub": "acc-1", "purpose": "debtor-disclosure", "exp": NOW + timedelta(days=1)}, id="grant"
        ),
        pytest.param({"sub": "acc-1", "purpose": personal_link.PURPOSE}, id="no-expiry"),
        pytest.param(
            {"sub": "", "purpose": personal_link.PURPOSE, "exp": NOW + timedelta(days=1)}, id="no-account"
        ),
    ],
)
def test_tokens_of_another_kind_are_refused(claims: dict[str, object]) -> None:
    token = jwt.encode(claims, personal_link.link_key(SECRET), algorithm="HS256")

    assert personal_link.account_of(token, SECRET) is None


def test_a_webchat_session_token_is_not_a_link() -> None:
    session = webchat_token.encode(SECRET, "acc-1", NOW, NOW + timedelta(minutes=5))

    assert personal_link.account_of(session, SECRET) is None


@pytest.mark.parametrize("bad", [None, "", 42, "not-a-jwt", "a" * (personal_link.MAX_TOKEN_CHARS + 1)])
def test_garbage_names_no_account(bad: object) -> None:
    assert personal_link.account_of(bad, SECRET) is None


def test_without_a_secret_nothing_is_bound() -> None:
    assert personal_link.account_of(issued(), "") is None
