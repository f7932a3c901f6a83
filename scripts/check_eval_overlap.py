"""Fail if any training sentence in data/ also appears in the held-out test sets (../shared/eval-data).

Both sides are normalised generously before comparing: lowercase, Rasa entity annotations stripped,
punctuation dropped, whitespace collapsed. Every line, every CSV/TSV field, every JSON string value and
every sentence inside those is treated as a test sentence.

Usage: python scripts/check_eval_overlap.py [--data-dir data] [--eval-dir ../shared/eval-data]
Exit status 1 and a list of offenders when there is any overlap, 0 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = ROOT / "data"
DEFAULT_EVAL_DIR = ROOT.parent / "shared" / "eval-data"

_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\])")
_APOSTROPHES = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[^\w]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_TEXT_SUFFIXES = {".csv", ".tsv", ".jsonl", ".json", ".txt", ".md", ""}
_MAX_FILE_BYTES = 50_000_000
MIN_FRAGMENT_WORDS = 3


class TrainingExample(NamedTuple):
    """One training sentence and where it comes from."""

    text: str
    source: str


def normalise(text: str) -> str:
    """Lowercase, drop entity annotations and punctuation, collapse whitespace."""
    text = _ANNOTATION.sub(r"\1", text).lower()
    text = _APOSTROPHES.sub("", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def _example_lines(block: str) -> Iterator[str]:
    for line in block.splitlines():
        line = line.strip()
        if line.startswith("- "):
            yield line[2:].strip()


def _walk_user_turns(node: Any) -> Iterator[str]:
    """Yield `user:` texts of end-to-end stories, rules and test stories."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "user" and isinstance(value, str):
                yield value
            else:
                yield from _walk_user_turns(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk_user_turns(item)


def _examples_in_file(path: Path) -> Iterator[TrainingExample]:
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(content, dict):
        return
    for item in content.get("nlu") or []:
        label = item.get("intent") or item.get("synonym")
        if label is None or not isinstance(item.get("examples"), str):
            continue  # regexes and lookup tables are patterns, not sentences
        for text in _example_lines(item["examples"]):
            yield TrainingExample(text, f"{path}:{label}")
    for key in ("stories", "rules"):
        for text in _walk_user_turns(content.get(key) or []):
            yield TrainingExample(text, f"{path}:{key}")


def training_examples(data_dir: Path) -> list[TrainingExample]:
    """All NLU examples and end-to-end user turns in the YAML files under data_dir."""
    examples: list[TrainingExample] = []
    for path in sorted(data_dir.rglob("*.yml")) + sorted(data_dir.rglob("*.yaml")):
        examples.extend(_examples_in_file(path))
    return examples


def _json_strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _json_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _json_strings(item)


def _fields(path: Path, text: str) -> Iterator[str]:
    """Every line of the file plus every structured field the format has."""
    yield from text.splitlines()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        for row in csv.reader(io.StringIO(text)):
            yield from row
    elif suffix == ".tsv":
        for line in text.splitlines():
            yield from line.split("\t")
    elif suffix == ".jsonl":
        for line in text.splitlines():
            if line.strip():
                yield from _json_strings(json.loads(line))
    elif suffix == ".json":
        yield from _json_strings(json.loads(text))


def _sentences(fields: Iterable[str]) -> Iterator[str]:
    """Each field, plus its sentences of at least MIN_FRAGMENT_WORDS words.

    A greeting or "ok" that opens a longer test message ("Hi. My card...") is not a test sentence;
    a whole line or field is, however short.
    """
    for field in fields:
        yield field
        for fragment in _SENTENCE_END.split(field):
            if len(fragment.split()) >= MIN_FRAGMENT_WORDS:
                yield fragment


def eval_sentences(eval_dir: Path) -> dict[str, str]:
    """Map each normalised test sentence to the first file it was found in."""
    found: dict[str, str] = {}
    for path in sorted(p for p in eval_dir.rglob("*") if p.is_file()):
        if path.suffix.lower() not in _TEXT_SUFFIXES or path.stat().st_size > _MAX_FILE_BYTES:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for sentence in _sentences(_fields(path, text)):
            key = normalise(sentence)
            if key:
                found.setdefault(key, str(path))
    return found


def find_overlaps(data_dir: Path, eval_dir: Path) -> list[tuple[TrainingExample, str]]:
    """Training examples whose normalised text equals a test sentence, with the test file."""
    if not eval_dir.is_dir():
        raise FileNotFoundError(f"eval data not found: {eval_dir}")
    tests = eval_sentences(eval_dir)
    return [
        (ex, tests[normalise(ex.text)]) for ex in training_examples(data_dir) if normalise(ex.text) in tests
    ]


def main(argv: list[str] | None = None) -> int:
    """Print offenders and return 1 if any training sentence is in the test sets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    args = parser.parse_args(argv)
    overlaps = find_overlaps(args.data_dir, args.eval_dir)
    for example, test_file in overlaps:
        print(f"{example.source}: {example.text!r} also in {test_file}")
    count = len(training_examples(args.data_dir))
    print(f"{len(overlaps)} of {count} training examples overlap {args.eval_dir}")
    return 1 if overlaps else 0


if __name__ == "__main__":
    sys.exit(main())
