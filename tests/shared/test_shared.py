"""The shared package: the same behaviour in both environments (tests/shared runs under each)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from shared import webchat_token
from shared.twilio_form import parse_form
from shared.vocabulary import Channel, HandoffStatus

SECRET = "s" * 32


def test_a_vocabulary_member_is_its_string() -> None:
    assert Channel.SMS == "sms"
    assert str(Channel.SMS) == "sms"
    assert f"{HandoffStatus.QUEUED}:{Channel.WEBCHAT:>8}" == "queued: webchat"


def test_a_token_issued_by_the_api_is_read_by_the_channel() -> None:
    now = datetime.now(timezone.utc)
    token = webchat_token.encode(SECRET, "abc", now, now + timedelta(minutes=5))

    assert webchat_token.decode(token, SECRET) == "abc"
    with pytest.raises(webchat_token.InvalidTokenError):
        webchat_token.decode(token, "t" * 32)


def test_a_form_keeps_repeated_keys_and_survives_bad_utf8() -> None:
    params = parse_form(b"Digits=5678&Digits=1234&Body=caf%C3%A9%FF")

    assert params.getall("Digits") == ["5678", "1234"]
    assert params.first("Body") == "café\ufffd"
