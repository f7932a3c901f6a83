"""The load bench's pieces without the stack: signing, /proc readings, percentiles, scripts, report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl

from twilio.request_validator import RequestValidator

from scripts.loadbench import procstats, profile, report, stats
from scripts.loadbench.accounts import account_body, debtor
from scripts.loadbench.clients import (
    TWILIO_PATH,
    TwilioAccount,
    signed_form,
    twilio_params,
    webchat_token_for,
    webhook_url,
)
from scripts.loadbench.dialogues import ANCHOR_TURNS, completed, reached, script, was_verified
from shared import webchat_token

ACCOUNT = TwilioAccount("AC" + "1" * 32, "auth-token-of-the-test", "https://sms.example.org/", "+15005550006")


def test_the_webhook_is_signed_as_twilio_signs_it() -> None:
    params = twilio_params(ACCOUNT, "+16175552000", "hi there", "SM123")
    body, headers = signed_form(ACCOUNT, params)
    assert dict(parse_qsl(body.decode())) == params
    validator = RequestValidator(ACCOUNT.auth_token)
    url = "https://sms.example.org" + TWILIO_PATH
    assert validator.validate(url, params, headers["X-Twilio-Signature"])
    assert not validator.validate(url, {**params, "Body": "changed"}, headers["X-Twilio-Signature"])


def test_the_webhook_is_posted_where_it_is_signed_for_not_to_rasas_port() -> None:
    assert webhook_url(ACCOUNT) == "https://sms.example.org" + TWILIO_PATH


def test_the_webchat_token_names_the_session_and_verifies_with_the_shared_key() -> None:
    token = webchat_token_for("k" * 40, "session-1")
    assert webchat_token.decode(token, "k" * 40) == "session-1"


def test_each_bench_account_has_its_own_reference_and_valid_looking_phone() -> None:
    first, second = debtor(0), debtor(1)
    assert first.reference != second.reference and first.phone != second.phone
    body = account_body(first)
    assert body["debtor"]["phone"] == first.phone == "+16175552000"
    assert body["reference"] == "BENCH-0000"


def test_scripts_have_the_same_number_of_turns_on_rest_and_for_the_starter_bot() -> None:
    person = debtor(3)
    rest = script("rest", person)
    assert len(rest) == len(ANCHOR_TURNS) == len(script("socketio", person))
    assert rest[1:4] == (person.reference, person.dob, person.zip_code)
    assert person.reference not in script("twilio", person)  # the number binds the account
    assert script("rest", None) == ANCHOR_TURNS


def test_a_conversation_counts_as_verified_when_the_bot_said_so() -> None:
    assert was_verified([["hi"], ["Thank you, you're verified."]])
    assert not was_verified([["What is your date of birth?"]])
    assert not was_verified([["Sorry, I could not get you verified."]])


def test_a_conversation_reached_its_end_with_the_balance_and_a_plan_set_up() -> None:
    verified = ["Thank you, you're verified.", "Your Northwind Bank account: Total due: $1,320.40 by Dec 15"]
    planned = ["Done. Your plan is set up: $110.04 a month, 12 payments."]
    assert reached([verified, planned]) == {"verified": True, "balance": True, "plan": True}
    assert completed([verified, planned])
    assert reached([verified]) == {"verified": True, "balance": True, "plan": False}
    assert not completed([verified, ["Sorry, I can't reach our account system right now."]])


def test_percentiles_are_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert stats.percentile(values, 0.5) == 50.0
    assert stats.percentile(values, 0.99) == 99.0
    assert stats.percentile([3.0], 0.95) == 3.0
    assert stats.latency_summary([0.1, 0.2])["max_ms"] == 200.0
    assert stats.per_turn_ms(2.0, 40) == 50.0


def test_stat_fields_survive_a_command_name_with_spaces_and_parentheses(tmp_path: Path) -> None:
    (tmp_path / "42").mkdir()
    fields = ["S", "1", *["0"] * 9, "250", "150", *["0"] * 8, "100", *["0"] * 20]
    (tmp_path / "42" / "stat").write_text("42 (odd (name) x) " + " ".join(fields))
    assert procstats.parent_of(42, tmp_path) == 1
    assert procstats.cpu_seconds(42, tmp_path) == 400 / procstats.TICKS
    assert procstats.rss_bytes(42, tmp_path) == 100 * procstats.PAGE


def test_a_process_tree_includes_children_and_counts_memory() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        assert child.pid in procstats.tree(os.getpid())
        usage = procstats.usage(os.getpid())
        assert usage.rss_bytes > procstats.usage(child.pid).rss_bytes > 0
        assert usage.cpu_seconds > 0
    finally:
        child.communicate(b"")


def test_top_frames_are_the_leaves_by_share() -> None:
    collapsed = "main;serve;predict (tf.py:1) 6\nmain;serve;validate (schema.py:9) 3\nmain;idle 1\n"
    frames = profile.top_frames(collapsed, 2)
    assert frames == [
        {"frame": "predict (tf.py:1)", "share": 0.6},
        {"frame": "validate (schema.py:9)", "share": 0.3},
    ]


def level(cpu_total: float, completed: int = 2) -> dict[str, object]:
    return {
        "turns_per_second": 5.0,
        "p50_ms": 100.0,
        "p95_ms": 200.0,
        "p99_ms": 300.0,
        "cpu_ms_per_turn_total": cpu_total,
        "cpu_ms_per_turn": {"rasa": cpu_total},
        "rss_mb": {"rasa": 1500.0},
        "verified": 2,
        "completed": completed,
        "reached": {"verified": 2, "balance": 2, "plan": completed},
        "conversations": 2,
    }


def test_the_report_puts_ours_beside_the_anchor_with_the_cpu_ratio() -> None:
    levels = {"8": {"ours": {"rest": level(120.0)}, "anchor": {"rest": level(40.0)}}}
    result = {"levels": levels, "cpu_ratio_ours_over_anchor": report.ratios(levels), "profile": {}}
    assert result["cpu_ratio_ours_over_anchor"] == {"8": 3.0}
    table = report.markdown(result)
    assert "| ours | rest | 8 | 5.00 | 100 / 200 / 300 | 120 |" in table
    assert "| anchor | rest | 8 |" in table
    assert "8 concurrent: 3.0x" in table
    assert "WARNING" not in table


def test_every_conversation_complete_passes_the_check() -> None:
    levels = {"8": {"ours": {"rest": level(120.0), "twilio": level(90.0)}, "anchor": {"rest": level(40.0)}}}
    check = report.check(levels)
    assert check["all_completed"] and "WARNING" not in check
    assert check["ours"] == {
        "conversations": 4,
        "completed": 4,
        "reached": {"verified": 4, "balance": 4, "plan": 4},
    }


def test_a_run_whose_conversations_stopped_short_says_so_loudly() -> None:
    levels = {
        "1": {"ours": {"rest": level(120.0)}, "anchor": {"rest": level(40.0)}},
        "32": {"ours": {"rest": level(120.0, completed=0)}, "anchor": {"rest": level(40.0)}},
    }
    check = report.check(levels)
    assert not check["all_completed"]
    assert check["ours"]["completed"] == 2 and check["ours"]["reached"]["plan"] == 2
    assert "ours rest at 32: 0/2 completed" in check["WARNING"]
    assert "ours rest at 1" not in check["WARNING"]
    result = {"levels": levels, "cpu_ratio_ours_over_anchor": {}, "profile": {}, "conversations_check": check}
    assert report.markdown(result).startswith("**WARNING: NOT EVERY CONVERSATION REACHED ITS END")


def test_a_run_without_conversations_of_ours_is_not_complete() -> None:
    check = report.check({"1": {"anchor": {"rest": level(40.0)}}})
    assert not check["all_completed"] and "no conversation of ours ran" in check["WARNING"]
