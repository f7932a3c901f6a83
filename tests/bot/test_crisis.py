"""Crisis patterns: normalisation and the curated regexes on their own (no model needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.crisis import CrisisDetector, normalise
from bot.distress_data import read_crisis

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def patterns_only() -> CrisisDetector:
    patterns, _ = read_crisis(ROOT / "data" / "distress")
    return CrisisDetector(patterns, np.zeros((0, 384)), similarity_threshold=2.0)


def test_normalise_drops_apostrophes_and_punctuation():
    assert normalise("I DON\u2019T want to\u2014live!!") == "i dont want to live"


@pytest.mark.parametrize(
    "text",
    [
        "kms",
        "gonna kms tbh",
        "i want to kill myslef",
        "thinking about sucide",
        "i wanna die",
        "i dont want to live anymore",
        "no point going on",
        "theyd all be better off without me",
        "i wont be around next month",
        "ending it all",
        "my life insurance will pay it",
    ],
)
def test_patterns_catch_typos_and_shorthand(patterns_only, text):
    assert patterns_only.pattern_match(text)


@pytest.mark.parametrize(
    "text",
    [
        "i drive 40 kms to work",
        "this fee is killing me",
        "i'm dying to get this done",
        "can we end the call",
        "i will be here all day",
        "i want to pay",
    ],
)
def test_patterns_leave_everyday_phrases_alone(patterns_only, text):
    assert not patterns_only.pattern_match(text)
