"""Results arithmetic: Wilson score intervals, the difference to control, whether a winner may be named."""

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Interval:
    """A two-sided 95 % interval around an estimate."""

    estimate: float
    low: float
    high: float

    def excludes_zero(self) -> bool:
        """Whether 0 lies outside the interval."""
        return self.low > 0 or self.high < 0


def wilson(successes: int, trials: int, z: float = Z95) -> Interval:
    """The Wilson score interval of a proportion; (0, 0, 1) without trials."""
    if trials == 0:
        return Interval(0.0, 0.0, 1.0)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def mean_interval(values: list[int], z: float = Z95) -> Interval:
    """The mean and its normal-approximation interval (sample standard deviation); (0, 0, 0) when empty."""
    if not values:
        return Interval(0.0, 0.0, 0.0)
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    half = z * spread / math.sqrt(len(values))
    return Interval(round(mean, 4), round(mean - half, 4), round(mean + half, 4))


def difference(variant: Interval, control: Interval) -> Interval:
    """Newcombe's hybrid score interval of variant minus control, built from the two Wilson intervals."""
    delta = variant.estimate - control.estimate
    below = math.hypot(variant.estimate - variant.low, control.high - control.estimate)
    above = math.hypot(variant.high - variant.estimate, control.estimate - control.low)
    return Interval(delta, delta - below, delta + above)


def verdict(exposures: list[int], minimum: int, differences: list[Interval]) -> str:
    """'collecting data: n of N' until every variant has `minimum` exposures, then winner or 'no winner'."""
    reached = min(exposures)
    if reached < minimum:
        return f"collecting data: {reached} of {minimum}"
    best = max(range(len(differences)), key=lambda index: differences[index].estimate)
    if differences[best].low > 0:
        return f"winner: variant {best + 1}"
    if all(item.high < 0 for item in differences):
        return "winner: control"
    return "no winner"
