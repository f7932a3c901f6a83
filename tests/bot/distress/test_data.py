"""Our distress training data: enough examples of each kind, none taken from the test sets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.distress.data import read_crisis, read_examples
from tests.scripts import load_script

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "data" / "distress"
EVAL = ROOT.parent / "shared" / "eval-data"


def test_at_least_150_distressed_and_150_hard_negative_examples():
    labels = [row.label for row in read_examples(DATA)]
    assert labels.count(1) >= 150
    assert labels.count(0) >= 150


def test_examples_are_unique_and_unambiguous():
    rows = read_examples(DATA)
    assert len({row.text.lower() for row in rows}) == len(rows)


def test_crisis_patterns_compile_and_prototypes_exist():
    crisis = read_crisis(DATA)
    assert len(crisis.patterns) >= 20 and len(crisis.prototypes) >= 20


def test_no_sentence_comes_from_the_test_sets():
    script = ROOT / "scripts" / "check_eval_overlap.py"
    if not EVAL.is_dir() or not script.is_file():
        pytest.skip("eval-data or the overlap checker is not available")
    checker = load_script("check_eval_overlap")
    tests = checker.eval_sentences(EVAL)
    cases = yaml.safe_load((Path(__file__).parent / "crisis_cases.yml").read_text(encoding="utf-8"))
    crisis = read_crisis(DATA)
    ours = [row.text for row in read_examples(DATA)] + crisis.prototypes + crisis.check_prototypes
    ours += [text for texts in cases.values() for text in texts]
    assert [text for text in ours if checker.normalise(text) in tests] == []
