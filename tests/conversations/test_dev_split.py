"""Keeps the conversation runner alive in CI: a few dev conversations over both channels, on the real stack.

What is asserted is that the runner works (replies, checks, end state, report), not the pass rate: that is
reported by `python -m tests.conversations dev`, never judged here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import require_service
from tests.conversations import report
from tests.conversations.__main__ import REDIS_DB, run_all
from tests.conversations.spec import split
from tests.integration.running import ROOT, running_stack

pytestmark = pytest.mark.integration

SUBSET = (
    "01-balance-rest-straight",
    "05-lockout-rest",
    "07-payment-link-sms",
    "17-promise-friday",
    "33-deceased-rest",
    "37-opt-out-after-balance",
    "65-reply-to-reminder-sms",
)
REMINDED = "65-reply-to-reminder-sms"
"""Issue 14: a reply to a campaign reminder is understood in its context (asserted, unlike the pass rate)."""


def test_the_runner_plays_dev_conversations_over_rest_and_sms_and_reports_them(tmp_path: Path) -> None:
    require_service("Redis", "127.0.0.1", 6379)
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.fail("no trained model in models/: run `make train` first")
    conversations = [c for c in split("dev") if c.name in SUBSET]
    assert {c.channel for c in conversations} == {"rest", "sms"}

    with running_stack(tmp_path, REDIS_DB, flush=False) as stack:
        results = run_all(stack, conversations)
    written = report.write(tmp_path / "report.json", "dev", "test", results)

    assert [r.name for r in results] == [c.name for c in conversations]
    for result in results:
        assert result.transcript, result.failure  # every conversation got at least its first answer
        assert "no answer" not in (result.failure or ""), result.failure
        assert result.transcript[0]["bot"], result.name
    assert json.loads((tmp_path / "report.json").read_text())["totals"] == written["totals"]
    [reminded] = [r for r in results if r.name == REMINDED]
    assert reminded.reached_end, (reminded.failure, reminded.end_problems, reminded.transcript)
    assert set(written["totals"]) >= {"reached_end_pct", "two_not_understood_in_a_row"}
