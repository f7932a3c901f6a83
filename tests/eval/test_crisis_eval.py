"""The crisis evaluation set (eval/crisis/crisis_eval.csv) is large enough, covers every warning sign, and is
kept apart from everything the detector learns from or matches against.

Apart means: no row is a training sentence (NLU examples, stories, our distress examples, crisis and check
prototypes) after normalisation; no crisis row shares a run of RUN_WORDS words with a prototype or distress
example (a pasted sentence with a word changed); no regex matches a whole row or spells one out literally.
The patterns and prototypes are written for the warning-sign categories, then checked against this set.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from bot.distress.crisis import normalise as crisis_normalise
from bot.distress.data import read_crisis, read_examples
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
EVAL_SET = ROOT / "eval" / "crisis" / "crisis_eval.csv"
DATA = ROOT / "data"
RUN_WORDS = 6
MIN_WORDS_FOR_LITERAL = 4
WARNING_SIGN_CATEGORIES = {
    "wanting_to_die",
    "looking_for_a_way",
    "hopeless_no_reason_to_live",
    "trapped_unbearable_pain",
    "being_a_burden",
    "alcohol_drugs",
    "withdrawing",
    "saying_goodbye",
    "giving_possessions_away",
    "affairs_in_order",
    "mood_and_sleep",
    "risk_taking_and_death_thoughts",
    "debt_paid_by_death",
}


CHECKER = load_script("check_eval_overlap")


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with EVAL_SET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def crisis_material() -> list[str]:
    """Every sentence the detector learns from or compares with: prototypes and distress examples."""
    crisis = read_crisis(DATA / "distress")
    return (
        crisis.prototypes + crisis.check_prototypes + [row.text for row in read_examples(DATA / "distress")]
    )


def _runs(text: str) -> set[str]:
    words = CHECKER.normalise(text).split()
    return {" ".join(words[i : i + RUN_WORDS]) for i in range(len(words) - RUN_WORDS + 1)}


def test_the_set_has_150_crisis_rows_and_150_calm_or_upset_ones(rows):
    levels = Counter(row["level"] for row in rows)
    assert set(levels) == {"crisis", "calm", "upset"}
    assert levels["crisis"] >= 150 and levels["calm"] + levels["upset"] >= 150
    assert min(levels["calm"], levels["upset"]) >= 50
    assert all(row["label"] == "1" for row in rows if row["level"] == "crisis")
    assert all(row["label"] == "0" for row in rows if row["level"] == "calm")


def test_every_published_warning_sign_has_at_least_ten_paraphrases(rows):
    categories = Counter(row["category"] for row in rows if row["level"] == "crisis")
    assert set(categories) == WARNING_SIGN_CATEGORIES
    assert min(categories.values()) >= 10


def test_rows_are_unique(rows):
    texts = [CHECKER.normalise(row["text"]) for row in rows]
    assert len(set(texts)) == len(texts)


def test_no_row_is_a_training_sentence(rows, crisis_material):
    training = {CHECKER.normalise(example.text) for example in CHECKER.training_examples(DATA)}
    training |= {CHECKER.normalise(text) for text in crisis_material}
    assert [row["text"] for row in rows if CHECKER.normalise(row["text"]) in training] == []


def test_no_crisis_row_is_a_lightly_edited_prototype_or_example(rows, crisis_material):
    runs = set().union(*(_runs(text) for text in crisis_material))
    shared = {row["text"]: _runs(row["text"]) & runs for row in rows if row["level"] == "crisis"}
    assert {text: found for text, found in shared.items() if found} == {}


def test_no_pattern_spells_out_or_matches_a_whole_row(rows):
    crisis = read_crisis(DATA / "distress")
    patterns = crisis.patterns + crisis.check_patterns
    sources = [pattern.replace("\\b", " ") for pattern in patterns]
    for row in rows:
        text = crisis_normalise(row["text"])
        if len(text.split()) < MIN_WORDS_FOR_LITERAL:
            continue
        assert not any(text in source for source in sources), row["text"]
        assert not any(re.fullmatch(pattern, text) for pattern in patterns), row["text"]
