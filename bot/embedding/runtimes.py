"""The two ways to run MiniLM's forward pass: ONNX Runtime on the exported graph, or compiled TensorFlow.

Both take padded wordpiece ids and their attention mask (batch, length) and give the last hidden states
(batch, length, 384) and the mean-pooled, L2-normalised sentence vectors (batch, 384); they agree to
~3e-6 (tests/bot/embedding/test_runtimes.py). ONNX Runtime is the default where `make install` has
exported the graph (scripts/export_minilm.py): on this 2-core machine a one-message forward costs
4.4-6.7 ms of CPU for 8-16 wordpieces against 10.6-14 ms for TensorFlow's compiled graph, which pads to a
length bucket and dispatches each op through its executor (README "Speed"). TensorFlow stays the fallback
(no exported file, or MINILM_RUNTIME=tensorflow) and is what the export reads the weights with.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np

from bot.arrays import Array

logger = logging.getLogger(__name__)

BUCKETS: Final[tuple[int, ...]] = (16, 32, 64, 128)
RUNTIME_VARIABLE: Final = "MINILM_RUNTIME"
EXPORT_FOLDER: Final = Path("share") / "minilm"
"""Under the Python environment's prefix (the bot venv's; the export writes there from its own venv)."""
INPUTS: Final = ("input_ids", "attention_mask")


class Forward(Protocol):
    """One runtime's forward pass."""

    name: str

    def __call__(self, input_ids: Array, mask: Array) -> tuple[Array, Array]:
        """Hidden states and sentence vectors of a padded batch."""

    def padded_length(self, longest: int) -> int:
        """The length a batch whose longest row has `longest` wordpieces is padded to."""

    def warm_up(self) -> None:
        """Make the first request as fast as the rest."""


def bucket_for(length: int) -> int:
    """Smallest bucket that holds `length` wordpieces (special tokens included)."""
    return next((bucket for bucket in BUCKETS if length <= bucket), BUCKETS[-1])


def pooled(hidden: Array, mask: Array) -> Array:
    """Mean over the wordpieces the mask keeps, L2-normalised (what sentence-transformers computes)."""
    weights = mask.astype(hidden.dtype)[:, :, None]
    mean = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norm = np.sqrt((mean * mean).sum(axis=1, keepdims=True))
    unit: Array = mean / np.maximum(norm, 1e-12)
    return unit


def export_path(fingerprint: str, prefix: Path = Path(sys.prefix)) -> Path:
    """Where `make install` puts the exported graph of the weights with this fingerprint (in the bot venv;
    new weights are never run on an old export)."""
    return prefix / EXPORT_FOLDER / f"all-minilm-l6-v2-{fingerprint}.onnx"


class OnnxForward:
    """The exported graph on ONNX Runtime: one thread per call (requests run side by side, not ops)."""

    name = "onnxruntime"

    def __init__(self, exported: Path) -> None:
        """Open an inference session on the exported graph."""
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        cpu = ["CPUExecutionProvider"]
        self.session = onnxruntime.InferenceSession(str(exported), options, providers=cpu)

    def __call__(self, input_ids: Array, mask: Array) -> tuple[Array, Array]:
        """Hidden states from the session, pooled here."""
        hidden: Array = self.session.run(None, dict(zip(INPUTS, (input_ids, mask), strict=True)))[0]
        return hidden, pooled(hidden, mask)

    def padded_length(self, longest: int) -> int:
        """Any length runs without retracing, so a batch is padded to its longest row only."""
        return longest

    def warm_up(self) -> None:
        """One call allocates the session's buffers."""
        ids = np.zeros((1, BUCKETS[0]), dtype=np.int32)
        self(ids, np.ones_like(ids))


class TensorFlowForward:
    """The weights through one `tf.function` per length bucket (traced once each, never again)."""

    name = "tensorflow"

    def __init__(self, model: Any) -> None:
        """Compile a forward pass per bucket for the loaded TFBertModel."""
        self.model = model
        self.trace_count = 0
        self.functions = {length: self._compile(length) for length in BUCKETS}

    def _compile(self, length: int) -> Any:
        import tensorflow as tf

        spec = tf.TensorSpec([None, length], tf.int32)

        @tf.function(input_signature=[spec, spec])  # type: ignore[untyped-decorator]
        def forward(input_ids: tf.Tensor, attention_mask: tf.Tensor) -> tf.Tensor:
            self.trace_count += 1  # Python side effect: runs only while tracing
            return self.hidden(input_ids, attention_mask)

        return forward

    def hidden(self, input_ids: Any, attention_mask: Any) -> Any:
        """The model's last hidden states (also what the export traces)."""
        import tensorflow as tf

        output = self.model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=tf.zeros_like(input_ids),
            training=False,
        )
        return output.last_hidden_state

    def __call__(self, input_ids: Array, mask: Array) -> tuple[Array, Array]:
        """Hidden states from the bucket's compiled graph, pooled here."""
        hidden: Array = self.functions[input_ids.shape[1]](input_ids, mask).numpy()
        return hidden, pooled(hidden, mask)

    def padded_length(self, longest: int) -> int:
        """The bucket's length: a new input shape would trace a new graph."""
        return bucket_for(longest)

    def warm_up(self) -> None:
        """Trace every bucket once, so no request pays for tracing."""
        for length in BUCKETS:
            ids = np.zeros((1, length), dtype=np.int32)
            self(ids, np.ones_like(ids))


def load_tensorflow(path: Path) -> TensorFlowForward:
    """The weights at `path` in TensorFlow (transformers' TFAutoModel, offline)."""
    from transformers import TFAutoModel
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the unused `position_ids` buffer is expected, not news
    try:
        return TensorFlowForward(TFAutoModel.from_pretrained(str(path), local_files_only=True))
    finally:
        hf_logging.set_verbosity(verbosity)


def load(path: Path, fingerprint: str, runtime: str | None = None) -> Forward:
    """ONNX Runtime on the exported graph when there is one, else TensorFlow (or the runtime asked for)."""
    wanted = runtime or os.environ.get(RUNTIME_VARIABLE) or OnnxForward.name
    exported = export_path(fingerprint)
    if wanted == OnnxForward.name and exported.is_file():
        return OnnxForward(exported)
    if wanted == OnnxForward.name:
        logger.warning("minilm.no_export path=%s runtime=tensorflow (make install exports it)", exported)
    return load_tensorflow(path)
