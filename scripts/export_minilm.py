"""Export all-MiniLM-L6-v2's forward pass to ONNX for ONNX Runtime (bot/embedding/runtimes.py).

`make install` runs this once per set of weights, in an environment of its own (.venv/export: the bot
environment's packages plus tf2onnx, which must not go into the bot environment: it installs top-level
`tests` and `tools` packages). It traces the same TensorFlow function the TensorFlow runtime compiles, with
any batch size and length, checks ONNX Runtime's output against TensorFlow's on a few messages, and writes
the graph where the bot environment looks for it. A copy is kept in the cache folder, so a fresh clone on
the same machine does not export again.

    .venv/export/bin/python scripts/export_minilm.py --prefix .venv/bot --cache ~/.cache/debt-collector/minilm
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.embedding import runtimes  # noqa: E402
from bot.embedding.minilm import model_fingerprint, model_path  # noqa: E402

CHECKED = ("ok", "i lost my job and cant pay the full amount this month, can we do 50 a month?", "👍")
TOLERANCE = 1e-4


def export(target: Path) -> None:
    """Trace the TensorFlow forward pass with dynamic batch and length and convert it."""
    import tensorflow as tf
    import tf2onnx  # type: ignore[import-untyped]

    forward = runtimes.load_tensorflow(model_path())
    spec = tuple(tf.TensorSpec([None, None], tf.int32, name=name) for name in runtimes.INPUTS)
    function = tf.function(forward.hidden, input_signature=spec)
    tf2onnx.convert.from_function(function, input_signature=spec, opset=17, output_path=str(target))


def largest_difference(target: Path) -> float:
    """How far ONNX Runtime's hidden states are from TensorFlow's on a few messages (bucket-padded)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_path()), local_files_only=True)
    ids = tokenizer(list(CHECKED), padding="max_length", max_length=runtimes.BUCKETS[1], return_tensors="np")
    batch = (ids["input_ids"].astype(np.int32), ids["attention_mask"].astype(np.int32))
    onnx, tensorflow = runtimes.OnnxForward(target)(*batch), runtimes.load_tensorflow(model_path())(*batch)
    return max(float(np.abs(a - b).max()) for a, b in zip(onnx, tensorflow, strict=True))


def main() -> int:
    """Export (or copy from the cache), check, install into the bot environment."""
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--prefix", type=Path, required=True, help="the bot environment (its sys.prefix)")
    cli.add_argument("--cache", type=Path, help="folder keeping a copy of each export")
    args = cli.parse_args()
    installed = runtimes.export_path(model_fingerprint(), args.prefix.resolve())
    cached = args.cache / installed.name if args.cache else None
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / installed.name
        if cached and cached.is_file():
            shutil.copyfile(cached, fresh)
        else:
            export(fresh)
        difference = largest_difference(fresh)
        if difference > TOLERANCE:
            print(f"export differs from TensorFlow by {difference:.2e}: not installed", file=sys.stderr)
            return 1
        installed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fresh, installed)
        if cached and not cached.is_file():
            cached.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fresh, cached)
    print(f"MiniLM exported to {installed} (largest difference from TensorFlow {difference:.1e})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
