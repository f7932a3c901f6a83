"""Wilson intervals against published values, the difference to control, and when a winner may be named."""

import pytest

from api.experiments import stats


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),  # Newcombe (1998), example: 81/263
        (15, 148, 0.0624, 0.1605),  # Newcombe (1998), example: 15/148
        (0, 20, 0.0, 0.1611),  # Newcombe (1998), example: 0/20
        (1, 29, 0.0061, 0.1718),  # Newcombe (1998), example: 1/29
    ],
)
def test_wilson_matches_known_values(successes: int, trials: int, low: float, high: float) -> None:
    """The score interval matches Newcombe's table to four decimals."""
    interval = stats.wilson(successes, trials)
    assert interval.low == pytest.approx(low, abs=1e-4)
    assert interval.high == pytest.approx(high, abs=1e-4)


def test_difference_matches_newcombe_method_10() -> None:
    """Newcombe's example 56/70 - 48/80: difference 0.2000, interval 0.0524 to 0.3339."""
    interval = stats.difference(stats.wilson(56, 70), stats.wilson(48, 80))
    assert interval.estimate == pytest.approx(0.2)
    assert interval.low == pytest.approx(0.0524, abs=1e-4)
    assert interval.high == pytest.approx(0.3339, abs=1e-4)


def test_no_winner_before_every_variant_reaches_the_minimum() -> None:
    """Even a huge difference names no winner while one variant is short of the sample size."""
    big = stats.difference(stats.wilson(90, 100), stats.wilson(1, 99))
    assert stats.verdict([99, 100], 100, [big]) == "collecting data: 99 of 100"


def test_winner_only_when_the_interval_excludes_zero() -> None:
    """After the minimum, a winner is named only when the difference's interval excludes 0."""
    clear = stats.difference(stats.wilson(90, 100), stats.wilson(10, 100))
    unclear = stats.difference(stats.wilson(11, 100), stats.wilson(10, 100))
    assert stats.verdict([100, 100], 100, [clear]) == "winner: variant 1"
    assert stats.verdict([100, 100], 100, [unclear]) == "no winner"
    losing = stats.difference(stats.wilson(10, 100), stats.wilson(90, 100))
    assert stats.verdict([100, 100], 100, [losing]) == "winner: control"


def test_the_mean_interval_narrows_with_more_answers() -> None:
    few, many = stats.mean_interval([3, 5]), stats.mean_interval([3, 5] * 50)

    assert few.estimate == many.estimate == 4.0
    assert few.low < many.low < 4.0 < many.high < few.high
    assert stats.mean_interval([]) == stats.Interval(0.0, 0.0, 0.0)
    assert stats.mean_interval([4]) == stats.Interval(4.0, 4.0, 4.0)
