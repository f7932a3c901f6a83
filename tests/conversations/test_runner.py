"""The runner's judgement of replies and end states, without a stack."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conversations import endstate, report
from tests.conversations.runner import Result, leads_to_verification, not_understood, turn_problems
from tests.conversations.spec import Turn, matches
from tests.integration.running import ROOT

INTRO = (
    "Hi, I'm Penny, the virtual assistant of Acme Recovery Services. This is a communication from a debt "
    "collector."
)


def test_patterns_are_case_insensitive_substrings_or_regexes() -> None:
    assert matches("you're VERIFIED", "Thank you, you're verified.")
    assert matches(r"re:\$1,320\.40", "Total due: $1,320.40")
    assert not matches("re:^total", "the total")


def test_debt_words_before_verification_are_a_disclosure_and_after_it_are_not() -> None:
    turn = Turn("20001")
    leaked = turn_problems(turn, ["Your Northwind Bank account: $1,320.40"], False, "ACME-1001")
    after = turn_problems(turn, ["Thank you, you're verified.", "Total due: $1,320.40"], False, "ACME-1001")
    assert any("DISCLOSED" in problem for problem in leaked)
    assert after == []


def test_expect_expect_any_and_reject_are_each_reported() -> None:
    turn = Turn("hi", expect=("zip",), expect_any=("plan", "link"), reject=("sorry",))
    assert len(turn_problems(turn, ["Sorry, I didn't understand that."], True, "ACME-1002")) == 3


def test_the_fallback_replies_count_as_not_understood_and_the_first_reply_must_ask_for_identity() -> None:
    assert not_understood(["Sorry, I didn't understand that. Could you say it another way?"])
    assert not not_understood(["Thank you, you're verified."])
    assert leads_to_verification([INTRO, "Could you send the reference number from our letter?"])
    assert not leads_to_verification([INTRO, "Sorry, I can't help with that."])


def test_totals_count_ends_double_misses_and_verification_openings() -> None:
    results = [
        Result("a", "rest", "a", reached_end=True, first_reply_leads_to_verification=True),
        Result("b", "sms", "b", max_not_understood_in_a_row=2),
    ]
    totals = report.totals(results)
    assert totals["reached_end_pct"] == 50.0
    assert totals["two_not_understood_in_a_row"] == 1
    assert totals["first_reply_leads_to_verification_pct"] == 50.0
    assert "b" in report.table(results)


def _export(**account: Any) -> dict[str, Any]:
    rows = {key: [] for key in endstate.ROWS.values()}
    events = [{"type": "verification.succeeded"}]
    acct = {**rows, "account_flags": [], "audit": {"events": events}, **account}
    return {"account": acct, "contacts": [], "contact_preferences": [], "handoffs": []}


def test_end_state_checks_rows_flags_and_events() -> None:
    data = _export(payment_plans=[{"id": "p"}], account_flags=[{"flag": "attorney"}])
    assert endstate._rows(data, "plans", 1) == []
    assert endstate._rows(data, "promises", 1) != []
    assert endstate._flag(data, ["attorney"]) == []
    assert endstate.CHECKS["verified"](data, True) == []
    assert endstate.CHECKS["opted_out"](data, True) != []
    assert endstate._handoff(data, True, {"active": True}) == []
    anonymous = {"active": True, "reason": "request_human"}  # never verified: on no account's record
    assert endstate._handoff(data, "request_human", anonymous) == []
    assert endstate._handoff(data, "crisis", anonymous) != []


CHILD = """
import sys, time
from pathlib import Path
from tests.integration.running import stopped_on_sigterm
with stopped_on_sigterm():
    try:
        print("ready", flush=True)
        time.sleep(60)
    finally:
        Path(sys.argv[1]).write_text("stopped")
"""


def test_a_killed_runner_unwinds_so_the_stack_it_started_is_stopped(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(marker)], stdout=subprocess.PIPE, cwd=ROOT)
    assert child.stdout is not None and child.stdout.readline() == b"ready\n"
    child.send_signal(signal.SIGTERM)
    child.wait(timeout=30)
    assert marker.read_text() == "stopped"
