"""The NLU training data: every intent present, enough examples, sane entities, no test-set sentences."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

ROOT = Path(__file__).resolve().parents[1]
NLU_DIR = ROOT / "data" / "nlu"
EVAL_DIR = ROOT.parent / "shared" / "eval-data"
INTENTS = {
    "greet", "goodbye", "thank_you", "affirm", "deny", "bot_challenge", "ask_who_is_this",
    "check_balance", "make_payment", "request_payment_plan", "offer_payment", "settlement_offer",
    "promise_to_pay", "already_paid", "dispute_debt", "request_validation", "financial_hardship",
    "request_human", "opt_out", "has_attorney", "bankruptcy", "wrong_person", "deceased",
    "contact_preferences", "inform_identity", "help", "out_of_scope", "rate_experience",
    "check_balance+make_payment", "check_balance+request_payment_plan", "ask_credit_reporting",
}  # fmt: skip
ENTITIES = {"amount", "frequency", "date", "dob", "ssn_last4", "zip", "account_ref"}
FREQUENCIES = {"weekly", "biweekly", "monthly"}
MIN_EXAMPLES = 30
FEWER_FOR_NOW: dict[str, int] = {}
"""Intents added with fewer examples, to be brought to MIN_EXAMPLES with the next training (session 14)."""


@pytest.fixture(scope="module")
def nlu() -> TrainingData:
    return load_data(str(NLU_DIR))


@pytest.fixture(scope="module")
def handwritten() -> TrainingData:
    files = [p for p in sorted(NLU_DIR.glob("*.yml")) if not p.name.startswith("clinc_")]
    return TrainingData().merge(*(load_data(str(p)) for p in files))


def test_exactly_the_agreed_intents_exist(nlu: TrainingData) -> None:
    assert nlu.intents == INTENTS


def test_every_intent_has_enough_examples(nlu: TrainingData) -> None:
    counts = Counter(ex.get("intent") for ex in nlu.intent_examples)
    assert {i: n for i, n in counts.items() if n < MIN_EXAMPLES} == FEWER_FOR_NOW


def test_every_intent_has_enough_examples_written_for_this_domain(handwritten: TrainingData) -> None:
    counts = Counter(ex.get("intent") for ex in handwritten.intent_examples)
    assert set(counts) == INTENTS
    assert {i: n for i, n in counts.items() if n < MIN_EXAMPLES} == FEWER_FOR_NOW


def test_no_example_is_labelled_with_two_intents(nlu: TrainingData) -> None:
    labels: dict[str, set[str]] = {}
    for ex in nlu.intent_examples:
        labels.setdefault(ex.get("text").lower().strip(), set()).add(ex.get("intent"))
    assert {text: found for text, found in labels.items() if len(found) > 1} == {}


def test_only_known_entities_are_annotated(nlu: TrainingData) -> None:
    assert nlu.entities <= ENTITIES


def test_frequency_synonyms_map_to_plan_frequencies(nlu: TrainingData) -> None:
    assert set(nlu.entity_synonyms.values()) == FREQUENCIES


def test_annotated_frequencies_resolve_to_a_plan_frequency(nlu: TrainingData) -> None:
    values = {
        nlu.entity_synonyms.get(e["value"].lower(), e["value"].lower())
        for ex in nlu.entity_examples
        for e in ex.get("entities", [])
        if e["entity"] == "frequency"
    }
    assert values <= FREQUENCIES


def _regex(nlu: TrainingData, name: str) -> re.Pattern[str]:
    patterns = [r["pattern"] for r in nlu.regex_features if r["name"] == name]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("zip", "my zip is 90210", ["90210"]),
        ("zip", "i owe $12000 and was born 03/14/1985", []),
        ("ssn_last4", "last 4 is 4821", ["4821"]),
        ("ssn_last4", "dob 03/14/1985, i can pay $1,200.50 or 1200.50", []),
        ("account_ref", "my reference is ACME-1001", ["ACME-1001"]),
        ("account_ref", "i can pay 40 a month", []),
    ],
)
def test_identity_regexes_match_only_what_they_should(
    nlu: TrainingData, name: str, text: str, expected: list[str]
) -> None:
    assert [m.group(0) for m in _regex(nlu, name).finditer(text)] == expected


@pytest.mark.skipif(not EVAL_DIR.is_dir(), reason="../shared/eval-data is not on this machine")
def test_no_training_sentence_is_in_the_eval_data() -> None:
    script = ROOT / "scripts" / "check_eval_overlap.py"
    result = subprocess.run(
        [sys.executable, str(script), "--eval-dir", str(EVAL_DIR)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_the_rule_check_of_make_validate_uses_the_rule_policy_of_config_yml() -> None:
    import yaml as _yaml

    root = Path(__file__).resolve().parents[1]

    def rule_policy(path: Path) -> dict:
        policies = _yaml.safe_load(path.read_text(encoding="utf-8"))["policies"]
        return next(p for p in policies if p["name"] == "RulePolicy")

    assert rule_policy(root / "scripts" / "rule_check.yml") == rule_policy(root / "config.yml")
