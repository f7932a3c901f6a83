"""Deterministic assignment of a conversation to a variant: hash(experiment, sender) -> bucket by share."""

import hashlib
from collections.abc import Sequence

from api.experiments.exceptions import InvalidShares

BUCKETS = 10_000


def bucket(experiment_id: str, sender_id: str) -> int:
    """The conversation's bucket in [0, BUCKETS) for this experiment: stable across processes and restarts."""
    digest = hashlib.sha256(f"{experiment_id}:{sender_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def check_shares(shares: Sequence[int]) -> None:
    """Raise InvalidShares unless there are at least two variants, each with a positive share."""
    if len(shares) < 2 or any(share <= 0 for share in shares):
        raise InvalidShares("an experiment needs at least two variants, each with a positive traffic share")


def variant_index(experiment_id: str, sender_id: str, shares: Sequence[int]) -> int:
    """The index of the variant this conversation sees, proportional to the shares (any positive weights)."""
    check_shares(shares)
    point = bucket(experiment_id, sender_id) * sum(shares)
    edge = 0
    for index, share in enumerate(shares):
        edge += share * BUCKETS
        if point < edge:
            return index
    return len(shares) - 1
