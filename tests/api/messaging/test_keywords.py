"""SMS keywords: whole-message, any case, surrounding spaces ignored."""

import pytest

from api.messaging.keywords import Keyword, classify
from api.messaging.outbox import backoff


@pytest.mark.parametrize(
    ("body", "keyword"),
    [
        *[
            (word, Keyword.STOP)
            for word in ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT")
        ],
        ("  stop \n", Keyword.STOP),
        ("Stop!", Keyword.STOP),
        ("start", Keyword.START),
        ("UNSTOP", Keyword.START),
        ("Help", Keyword.HELP),
        ("stop please", None),
        ("opt out", None),
        ("", None),
        ("HELPME", None),
    ],
)
def test_keywords(body: str, keyword: Keyword | None) -> None:
    assert classify(body) == keyword


def test_backoff_doubles_from_the_base_and_is_capped() -> None:
    delays = [backoff(n, 2.0, 60.0).total_seconds() for n in range(1, 8)]

    assert delays == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]
