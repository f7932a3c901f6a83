"""Assignment of conversations to variants: deterministic, and proportional to the traffic shares."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.experiments import assignment
from api.experiments.exceptions import InvalidShares

SHARES = st.lists(st.integers(min_value=1, max_value=100), min_size=2, max_size=5)


@given(experiment_id=st.text(max_size=36), sender_id=st.text(max_size=64), shares=SHARES)
def test_assignment_is_deterministic_and_in_range(
    experiment_id: str, sender_id: str, shares: list[int]
) -> None:
    """The same experiment and sender always give the same valid variant index."""
    first = assignment.variant_index(experiment_id, sender_id, shares)
    assert first == assignment.variant_index(experiment_id, sender_id, shares)
    assert 0 <= first < len(shares)


@given(shares=SHARES)
def test_assignment_respects_shares(shares: list[int]) -> None:
    """Over 4000 senders each variant's frequency is within 4 points of its share (a wide, fixed band)."""
    counts = [0] * len(shares)
    for number in range(4000):
        counts[assignment.variant_index("exp-1", f"sender-{number}", shares)] += 1
    for share, count in zip(shares, counts, strict=True):
        assert abs(count / 4000 - share / sum(shares)) < 0.04


def test_a_zero_share_is_never_assigned_and_is_rejected() -> None:
    """Shares must be positive, and there must be at least two variants."""
    with pytest.raises(InvalidShares):
        assignment.variant_index("e", "s", [1, 0])
    with pytest.raises(InvalidShares):
        assignment.variant_index("e", "s", [1])


def test_ten_thousand_conversations_split_as_the_shares_say_and_keep_their_variant() -> None:
    """The issue's proof: over 10,000 conversations each variant is within 2 points of its share."""
    shares = [50, 30, 20]
    picks = [assignment.variant_index("exp-10k", f"conversation-{n}", shares) for n in range(10_000)]
    for index, share in enumerate(shares):
        assert abs(picks.count(index) / 10_000 - share / 100) < 0.02
    assert picks == [assignment.variant_index("exp-10k", f"conversation-{n}", shares) for n in range(10_000)]
