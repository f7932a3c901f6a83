"""On-disk cache of MiniLM sentence embeddings for training sets (keyed by model + texts)."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.arrays import Array
from bot.embedding.minilm import get_encoder, model_fingerprint

logger = logging.getLogger(__name__)

CACHE_DIR_ENV = "DEBT_COLLECTOR_CACHE_DIR"
KEEP_FILES = 8  # ~11 MB each; older training sets are dropped


def cache_dir() -> Path:
    """~/.cache/debt-collector/embeddings unless DEBT_COLLECTOR_CACHE_DIR says otherwise."""
    base = os.environ.get(CACHE_DIR_ENV) or Path.home() / ".cache" / "debt-collector"
    return Path(base) / "embeddings"


def embed_with_cache(texts: Sequence[str]) -> Array:
    """Sentence embeddings for `texts`, read from disk when this exact list was embedded before."""
    path = cache_dir() / f"{_key(texts)}.npz"
    if path.is_file():
        try:
            with np.load(path, allow_pickle=False) as stored:
                cached: Array = stored["embeddings"]
            if cached.shape[0] == len(texts):
                os.utime(path)  # recently used: kept by _prune
                return cached
        except (OSError, ValueError, KeyError):
            logger.warning("embedding_cache.unreadable path=%s", path)
    embeddings = get_encoder().sentence_embeddings(list(texts))
    _write(path, embeddings)
    return embeddings


def _key(texts: Sequence[str]) -> str:
    digest = hashlib.sha256(model_fingerprint().encode())
    for text in texts:
        digest.update(b"\x00" + text.encode("utf-8"))
    return digest.hexdigest()[:32]


def _write(path: Path, embeddings: Array) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp.npz")
        np.savez(temporary, embeddings=embeddings)
        temporary.replace(path)
        _prune(path.parent)
    except OSError:
        logger.warning("embedding_cache.unwritable path=%s", path)


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.npz"), key=lambda file: file.stat().st_mtime, reverse=True)
    for stale in files[KEEP_FILES:]:
        stale.unlink(missing_ok=True)
