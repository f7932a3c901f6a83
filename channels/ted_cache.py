"""TED's forward pass remembered by its exact input: one dialogue state runs through the model once.

TED (Rasa's transformer dialogue policy) runs once for every action Rasa predicts, and it was the largest
share of the Rasa process's CPU (a quarter, README "Load"). Its input is the featurized dialogue state of the
last `max_history` turns (intents, entities present, slots, previous actions, active form), not the debtor's
words, so debtors on the same path through a flow give it identical input, and a trained model is a pure
function of its input. `install()` wraps the model's prediction step (`RasaModel._rasa_predict`, which
`run_inference` calls per batch) on TED's class only: the outputs for an input seen before are a copy of the
ones computed then; anything else (DIET, a first-seen state) runs the model as before. Exact, not approximate:
the key is a digest of every input array's dtype, shape and bytes.
"""

from __future__ import annotations

import copy
import hashlib
import os
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Final

import numpy as np
from rasa.core.policies.ted_policy import TED  # type: ignore[import-untyped]

from channels import metrics

SIZE_VARIABLE: Final = "TED_CACHE_SIZE"
SIZE = 2048
"""States remembered per model (a few KB each: scores, similarities and attention weights of one batch);
TED_CACHE_SIZE in the environment sets it, 0 turns remembering off."""
Outputs = dict[str, Any]
Array = np.ndarray[Any, Any]
Predict = Callable[[Any, tuple[Array, ...]], Outputs]
STOCK_PREDICT: Final[Predict] = TED._rasa_predict
_caches: dict[int, tuple[weakref.ref[Any], OrderedDict[bytes, Outputs]]] = {}


def digest(batch_in: tuple[Array, ...]) -> bytes | None:
    """A key for the input arrays; None for an input with arrays of Python objects (never remembered)."""
    hashed = hashlib.blake2b(digest_size=20)
    for array in batch_in:
        if not isinstance(array, np.ndarray) or array.dtype == object:
            return None
        hashed.update(f"{array.dtype.str}{array.shape}".encode())
        hashed.update(np.ascontiguousarray(array).tobytes())
    return hashed.digest()


def cache_of(model: Any) -> OrderedDict[bytes, Outputs]:
    """The model's own memory (a model loaded later never sees an earlier model's outputs)."""
    entry = _caches.get(id(model))
    if entry is None or entry[0]() is not model:
        entry = (weakref.ref(model), OrderedDict())
        _caches[id(model)] = entry
    return entry[1]


def remember(cache: OrderedDict[bytes, Outputs], key: bytes, outputs: Outputs) -> None:
    """Keep the outputs, forgetting the least recently used state beyond SIZE."""
    cache[key] = copy.deepcopy(outputs)
    if len(cache) > SIZE:
        cache.popitem(last=False)


def predict(self: Any, batch_in: tuple[Array, ...]) -> Outputs:
    """TED's prediction step, from memory when this exact input was seen before."""
    key = digest(batch_in)
    if key is None:
        return STOCK_PREDICT(self, batch_in)
    cache = cache_of(self)
    metrics.ted_predicted(key in cache)
    if key in cache:
        cache.move_to_end(key)
        return copy.deepcopy(cache[key])
    outputs = STOCK_PREDICT(self, batch_in)
    remember(cache, key, outputs)
    return outputs


def install(env: Mapping[str, str] = os.environ) -> None:
    """Remember TED's predictions in this process (DIET and every other model are untouched), unless
    TED_CACHE_SIZE is 0."""
    global SIZE
    SIZE = int(env.get(SIZE_VARIABLE) or SIZE)
    if SIZE > 0:
        TED._rasa_predict = predict


def installed() -> bool:
    return TED._rasa_predict is predict
