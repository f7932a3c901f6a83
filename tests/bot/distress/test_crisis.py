"""Crisis patterns: normalisation and the curated regexes on their own (no model needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.distress.crisis import CrisisDetector, normalise
from bot.distress.data import read_crisis

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def patterns_only() -> CrisisDetector:
    data = read_crisis(ROOT / "data" / "distress")
    return CrisisDetector(data.patterns, np.zeros((0, 384)), similarity_threshold=2.0)


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


@pytest.fixture(scope="module")
def both_tiers() -> CrisisDetector:
    """Patterns of both tiers, no prototypes: what the regexes alone decide."""
    data = read_crisis(ROOT / "data" / "distress")
    return CrisisDetector(data.patterns, np.zeros((0, 384)), 2.0, check_patterns=data.check_patterns)


def signal(detector: CrisisDetector, text: str) -> str:
    return detector.signals([text], np.zeros((1, 384)))[0]


@pytest.mark.parametrize(
    "text",
    [
        "ive been stockpiling my painkillers",  # a method or the means
        "looked up the quickest way to go",
        "my family would be relieved once im gone",  # others better off
        "my family would be better off if i just wasnt here anymore",  # heldout6 244: "just" had hidden it
        "theyd honestly be fine without me",
        "i texted my sister tonight to say goodbye",  # goodbye
        "tell my son im sorry",
        "not gonna be around to see the next bill",  # won't be around
        "honestly hoping a truck hits me on the way home",  # risk-taking
        "i wouldnt care if i didnt wake up tmrw",
    ],
)
def test_crisis_patterns_catch_plans_goodbyes_and_passive_wishes(both_tiers, text):
    assert signal(both_tiers, text) == "crisis"


@pytest.mark.parametrize(
    ("category", "text"),
    [
        ("burden", "i feel like ive become a burden to my whole family"),
        ("burden", "nobody would miss me tbh"),
        ("hopeless", "cant see any future for me at all"),
        ("hopeless", "honestly whats the point anymore"),
        ("hopeless", "i just had surgery, out of work, and now this. honestly whats even the point anymore"),
        # heldout30 1017: hard times at 0.99, a hardship plan and no check-in
        ("hopeless", "i don't even see the point anymore. everything keeps piling up and piling up"),
        ("trapped_pain", "the hurting just needs to stop"),
        ("alcohol_drugs", "been drinking every day to forget everything"),
        ("alcohol_drugs", "i relapsed again"),
        ("withdrawing", "havent talked to anybody in weeks"),
        ("withdrawing", "ive shut myself away from everyone"),
        ("goodbye", "i guess this is goodbye"),
        ("goodbye", "u wont hear from me again"),
        ("giving_away", "found a new home for my puppy, cant keep him"),
        ("giving_away", "ive been giving away my clothes and books"),
        ("affairs_in_order", "getting my affairs sorted this week"),
        ("affairs_in_order", "i just updated my will"),
        ("affairs_in_order", "what happens to this account when im gone"),
        ("mood", "i made up my mind and i feel so calm now"),
        ("mood", "i just wanna vanish"),
    ],
)
def test_indirect_warning_signs_ask_directly(both_tiers, category, text):
    assert signal(both_tiers, text) == "crisis_check", category


@pytest.mark.parametrize(
    "text",
    [
        "this loan is killing me lol",  # hard case: a figure of speech about the debt, not about oneself
        "i dont see the point in paying fees on fees, can we drop them",
        "my credit score is dead lol",
        "the interest is what kills me",
        "im dying to close this account",
        "i wont be around on friday, can we do monday",
        "im away next week so i wont be here to pick up",
        "just want to get my finances in order",
        "i gave my old laptop to my nephew, so email me instead",
        "can i set a date for the first payment",
        "i have a plan to pay this by june",
        "i need a drink after that call haha",
        "i wrote a letter to dispute this",
        "i'd like to end the payment plan and pay in full",
        "you people want to take everything from me",
        "i must say goodbye now, thanks",
        "this song is stuck in my head all day",
        "give out my number to nobody please",
    ],
)
def test_everyday_debt_talk_and_idioms_raise_no_signal(both_tiers, text):
    assert signal(both_tiers, text) == "none"


def test_closeness_alone_is_a_crisis_near_a_crisis_prototype_and_a_check_in_the_band_below():
    crisis_prototype, check_prototype = np.eye(3)[0], np.eye(3)[1]
    detector = CrisisDetector(
        [],
        crisis_prototype[None, :],
        0.6,
        check_prototypes=check_prototype[None, :],
        check_similarity_threshold=0.48,
    )

    def towards(prototype: np.ndarray, cosine: float) -> np.ndarray:
        return cosine * prototype + np.sqrt(1 - cosine**2) * np.eye(3)[2]

    embeddings = np.stack(
        [
            towards(crisis_prototype, 0.7),
            towards(crisis_prototype, 0.5),
            towards(check_prototype, 0.9),
            towards(check_prototype, 0.3),
        ]
    )
    # Closeness alone in the band is a check-in reached by similarity only (the policy may weigh it).
    assert detector.signals(["a", "b", "c", "d"], embeddings) == [
        "crisis",
        "crisis_check_by_similarity",
        "crisis_check_by_similarity",
        "none",
    ]


def test_without_a_band_only_patterns_ask():
    detector = CrisisDetector([], np.eye(2)[:1], 0.6, check_patterns=[r"\bburden\b"])
    embeddings = np.array([[0.55, np.sqrt(1 - 0.55**2)], [0.0, 1.0]])
    assert detector.signals(["calm", "im a burden"], embeddings) == ["none", "crisis_check"]
