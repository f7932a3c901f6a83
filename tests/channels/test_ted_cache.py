"""TED's forward pass remembered by its exact input: the same outputs, the model run once per input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from rasa.core.policies.ted_policy import TED

from channels import metrics, ted_cache


class Model:
    """Stands in for a TED model: only identity matters to the cache."""


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[np.ndarray, ...]]:
    """The inputs the (fake) model was really run on; its outputs are the input's sum."""
    seen: list[tuple[np.ndarray, ...]] = []

    def stock(model: Any, batch_in: tuple[np.ndarray, ...]) -> dict[str, Any]:
        seen.append(batch_in)
        total = float(sum(array.sum() for array in batch_in if array.dtype != object))
        return {"scores": np.array([[total]]), "diagnostic_data": {"attention": np.ones(2)}}

    monkeypatch.setattr(ted_cache, "STOCK_PREDICT", stock)
    return seen


def batch(*values: float) -> tuple[np.ndarray, ...]:
    return (np.array(values, dtype=np.float32), np.array([[1, 0]], dtype=np.int64))


def test_the_same_input_runs_the_model_once_and_gives_the_same_outputs(runs: list[Any]) -> None:
    model = Model()

    first = ted_cache.predict(model, batch(1, 2))
    again = ted_cache.predict(model, batch(1, 2))

    assert len(runs) == 1
    np.testing.assert_array_equal(first["scores"], again["scores"])


def test_a_caller_changing_its_outputs_never_changes_what_is_remembered(runs: list[Any]) -> None:
    model = Model()
    ted_cache.predict(model, batch(1, 2))["scores"][0, 0] = 99.0

    assert ted_cache.predict(model, batch(1, 2))["scores"][0, 0] == 4.0  # 1 + 2 + 1


def test_any_difference_in_values_shape_or_type_runs_the_model(runs: list[Any]) -> None:
    model = Model()
    inputs = [batch(1, 2), batch(1, 3), batch(1, 2, 0), (np.array([1, 2], dtype=np.float64),)]

    for batch_in in inputs:
        ted_cache.predict(model, batch_in)

    assert len(runs) == len(inputs)


def test_arrays_of_objects_are_never_remembered(runs: list[Any]) -> None:
    model, ragged = Model(), (np.array([np.zeros(1), np.zeros(2)], dtype=object),)

    ted_cache.predict(model, ragged)
    ted_cache.predict(model, ragged)

    assert len(runs) == 2


def test_each_model_has_its_own_memory(runs: list[Any]) -> None:
    ted_cache.predict(Model(), batch(1))
    ted_cache.predict(other := Model(), batch(1))

    assert len(runs) == 2
    assert len(ted_cache.cache_of(other)) == 1


def test_the_least_recently_used_state_is_forgotten_beyond_the_size(
    runs: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ted_cache, "SIZE", 2)
    model = Model()
    for value in [1, 2, 1, 3]:  # 1 used again after 2: 2 is the one forgotten
        ted_cache.predict(model, batch(value))

    ted_cache.predict(model, batch(1))
    ted_cache.predict(model, batch(2))

    assert [float(run[0][0]) for run in runs] == [1, 2, 3, 2]


def test_install_wraps_teds_prediction_step_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TED, "_rasa_predict", ted_cache.STOCK_PREDICT)
    monkeypatch.setattr(ted_cache, "SIZE", ted_cache.SIZE)
    ted_cache.install({})

    assert ted_cache.installed()
    assert "_rasa_predict" in vars(TED)  # TED's own attribute: DIET's class (a sibling) keeps the stock step


def test_a_size_of_0_in_the_environment_leaves_ted_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TED, "_rasa_predict", ted_cache.STOCK_PREDICT)
    monkeypatch.setattr(ted_cache, "SIZE", ted_cache.SIZE)
    ted_cache.install({"TED_CACHE_SIZE": "0"})

    assert not ted_cache.installed()


def test_remembered_and_run_predictions_are_counted(runs: list[Any]) -> None:
    counted = metrics.TED_STATES.labels("remembered")
    before = counted._value.get()
    model = Model()

    ted_cache.predict(model, batch(5))
    ted_cache.predict(model, batch(5))

    assert counted._value.get() == before + 1
