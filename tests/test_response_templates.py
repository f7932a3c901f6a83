"""Every response the bot can send passes the language lint (FDCPA 806/807, Reg F 1006.14(d), 1006.18).

All variations count, conditional ones (distress, locale) included, and buttons' titles: the bot may pick
any of them, on any account, time-barred ones too (1006.26(b)). Runs in the bot environment (it has
PyYAML); api.compliance.language_lint is pure Python, so both environments can import it.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.compliance import language_lint

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"


def _texts(name: str, variation: dict[str, Any]) -> Iterator[tuple[str, str]]:
    if isinstance(variation.get("text"), str):
        yield name, variation["text"]
    for button in variation.get("buttons") or []:
        yield f"{name} (button)", str(button.get("title", ""))
    custom = variation.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("text"), str):
        yield f"{name} (custom)", custom["text"]


def templates() -> list[tuple[str, str]]:
    """(response name, text) of every variation of every response in domain.yml."""
    responses = yaml.safe_load(DOMAIN.read_text())["responses"]
    return [
        (label, text)
        for name, variations in responses.items()
        for index, variation in enumerate(variations)
        for label, text in _texts(f"{name}[{index}]", variation)
    ]


TEMPLATES = templates()


def test_the_domain_has_responses_with_conditional_variations() -> None:
    """The lint below sees every variation, not just the first of each response."""
    responses = yaml.safe_load(DOMAIN.read_text())["responses"]
    conditional = [n for n, vs in responses.items() if any("condition" in v for v in vs)]
    assert len(TEMPLATES) > len(responses) and conditional


@pytest.mark.parametrize(("name", "text"), TEMPLATES, ids=[name for name, _ in TEMPLATES])
def test_no_response_template_uses_a_forbidden_phrasing(name: str, text: str) -> None:
    """No threats, false urgency, legal threats or abuse in anything the bot may say."""
    assert language_lint.lint(text) == [], text


@pytest.mark.parametrize(("name", "text"), TEMPLATES, ids=[name for name, _ in TEMPLATES])
def test_no_response_template_mentions_suing_on_a_time_barred_debt(name: str, text: str) -> None:
    """Reg F 1006.26(b): the same templates go to time-barred accounts, so none may mention suit or court."""
    assert language_lint.lint(text, time_barred=True) == [], text


def test_the_channels_own_replies_pass_the_lint_too() -> None:
    """The few texts a channel sends itself (no template) are held to the same rules; the webchat gate
    lets its FIXED_REPLIES through when the accounts API cannot answer, on the strength of this test."""
    from channels.inbound import MESSAGE_TOO_LONG_REPLY
    from channels.pii import PII_REMOVED_REPLY
    from channels.twilio import MEDIA_ONLY_REPLY
    from channels.webchat import FIXED_REPLIES

    for text in (PII_REMOVED_REPLY, MEDIA_ONLY_REPLY, MESSAGE_TOO_LONG_REPLY, *FIXED_REPLIES):
        assert language_lint.lint(text, time_barred=True) == [], text
