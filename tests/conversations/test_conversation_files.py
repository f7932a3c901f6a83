"""The conversation scripts load, split evenly, cover both channels, share no sentence with the test sets.

`heldout33` (1093-1124) is the latest set written blind (`heldout32` and every earlier split were run once
blind, then developed on; the next blind set starts at 1125).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conversations.endstate import CHECKS, ROWS
from tests.conversations.spec import DEMO_ACCOUNTS, HERE, SPLITS, Conversation, split
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
    turns = [turn.user for name in SPLITS for c in split(name) for turn in c.turns]
    shared = [text for text in turns if check.normalise(text) in tests]
    assert not shared


def test_the_scripts_are_not_training_data() -> None:
    assert not Path(ROOT / "data" / "conversations").exists()


def _numbers(conversations: list[Conversation]) -> list[int]:
    return [int(c.name.split("-")[0]) for c in conversations]


def _sentences(names: tuple[str, ...]) -> set[str]:
    """The debtor turns of the splits that are sentences (four words or more: not a bare date or ZIP)."""
    turns = {" ".join(t.user.lower().split()) for name in names for c in split(name) for t in c.turns}
    return {text for text in turns if len(text.split()) >= 4}


HELD_OUT = {
    "heldout2": range(101, 133),
    "heldout3": range(133, 165),
    "heldout4": range(165, 197),
    "heldout5": range(197, 229),
    "heldout6": range(229, 261),
    "heldout7": range(261, 293),
    "heldout8": range(293, 325),
    "heldout9": range(325, 357),
    "heldout10": range(357, 389),
    "heldout11": range(389, 421),
    "heldout12": range(421, 453),
    "heldout13": range(453, 485),
    "heldout14": range(485, 517),
    "heldout15": range(517, 549),
    "heldout16": range(549, 581),
    "heldout17": range(581, 613),
    "heldout18": range(613, 645),
    "heldout19": range(645, 677),
    "heldout20": range(677, 709),
    "heldout21": range(709, 741),
    "heldout22": range(741, 773),
    "heldout23": range(773, 805),
    "heldout24": range(805, 837),
    "heldout25": range(837, 869),
    "heldout26": range(869, 901),
    "heldout27": range(901, 933),
    "heldout28": range(933, 965),
    "heldout29": range(965, 997),
    "heldout30": range(997, 1029),
    "heldout31": range(1029, 1061),
    "heldout32": range(1061, 1093),
    "heldout33": range(1093, 1125),
}


@pytest.mark.parametrize("name", sorted(HELD_OUT))
def test_a_held_out_split_is_32_numbered_conversations_on_both_channels_and_every_account(name: str) -> None:
    conversations = split(name)
    assert _numbers(conversations) == list(HELD_OUT[name])
    assert {c.channel for c in conversations} == {"rest", "sms"}
    assert {c.account for c in conversations} == set(DEMO_ACCOUNTS)


@pytest.mark.parametrize("name", sorted(HELD_OUT))
def test_held_out_conversations_have_3_to_8_turns_and_checkable_ends(name: str) -> None:
    known = {*CHECKS, *ROWS, "handoff"}
    for conversation in split(name):
        assert 3 <= len(conversation.turns) <= 8, conversation.name
        assert conversation.end and set(conversation.end) <= known, conversation.name


@pytest.mark.parametrize("name", sorted(HELD_OUT))
def test_a_held_out_split_shares_no_debtor_turn_with_the_splits_before_it(name: str) -> None:
    earlier = SPLITS[: SPLITS.index(name)]
    assert not _sentences((name,)) & _sentences(earlier)


@pytest.mark.parametrize("name", [name for name in sorted(HELD_OUT) if name != "heldout2"])
def test_a_late_held_out_split_covers_both_channels_at_least_13_times_each(name: str) -> None:
    channels = [c.channel for c in split(name)]
    assert min(channels.count("rest"), channels.count("sms")) >= 13
