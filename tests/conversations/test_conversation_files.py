"""The conversation scripts load, split evenly, cover both channels, share no sentence with the test sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conversations.spec import HERE, split
from tests.scripts import load_script

ROOT = HERE.parents[1]
EVAL_DIR = ROOT.parent / "shared" / "eval-data"


def test_there_are_at_least_60_conversations_about_half_in_each_split_over_both_channels() -> None:
    dev, heldout = split("dev"), split("heldout")
    assert len(dev) + len(heldout) >= 60
    assert abs(len(dev) - len(heldout)) <= 2
    for conversations in (dev, heldout):
        assert {c.channel for c in conversations} == {"rest", "sms"}


def test_no_debtor_turn_is_a_sentence_of_the_shared_test_sets() -> None:
    if not EVAL_DIR.is_dir():
        pytest.skip(f"no eval data at {EVAL_DIR}")
    check = load_script("check_eval_overlap")
    tests = check.eval_sentences(EVAL_DIR)
    turns = [turn.user for name in ("dev", "heldout") for c in split(name) for turn in c.turns]
    shared = [text for text in turns if check.normalise(text) in tests]
    assert not shared


def test_the_scripts_are_not_training_data() -> None:
    assert not Path(ROOT / "data" / "conversations").exists()
