"""Training data for the distress head: GoEmotions rows and our own debt-domain examples."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.exceptions import DistressDataError

EXAMPLES_FILE = "examples.yml"
CRISIS_FILE = "crisis.yml"
NEUTRAL = "neutral"


@dataclass(frozen=True)
class LabelledText:
    """One training row: text and 1 (distressed) or 0 (not distressed)."""

    text: str
    label: int


@dataclass(frozen=True)
class GoEmotionsSpec:
    """Which GoEmotions rows to use: positive emotions, optional extra negatives, sample sizes."""

    positives: tuple[str, ...]
    extra_negatives: tuple[str, ...] = ()
    max_positives: int = 3000
    max_negatives: int = 3000
    seed: int = 13


def read_goemotions(path: Path, spec: GoEmotionsSpec) -> list[LabelledText]:
    """Rows with any positive emotion (1) and neutral-only or extra-negative-only rows (0), sampled."""
    names = _emotion_names(path.parent / "emotions.txt")
    positives, negatives = [], []
    for text, labels in _goemotions_rows(path, names):
        if labels & set(spec.positives):
            positives.append(LabelledText(text, 1))
        elif labels == {NEUTRAL} or (labels and labels <= set(spec.extra_negatives)):
            negatives.append(LabelledText(text, 0))
    rng = random.Random(spec.seed)  # noqa: S311 - reproducible sampling, not security
    return _sample(positives, spec.max_positives, rng) + _sample(negatives, spec.max_negatives, rng)


def read_goemotions_eval_split(path: Path, positives: Iterable[str]) -> list[LabelledText]:
    """All rows with a positive emotion (1) against neutral-only rows (0): for picking thresholds."""
    names = _emotion_names(path.parent / "emotions.txt")
    wanted = set(positives)
    rows = []
    for text, labels in _goemotions_rows(path, names):
        if labels & wanted:
            rows.append(LabelledText(text, 1))
        elif labels == {NEUTRAL}:
            rows.append(LabelledText(text, 0))
    return rows


def read_examples(data_dir: Path) -> list[LabelledText]:
    """Our hand-written examples: every text under `distressed:` is 1, under `not_distressed:` 0."""
    document = _load_yaml(data_dir / EXAMPLES_FILE)
    rows = [LabelledText(t, 1) for t in _flatten(document.get("distressed"))]
    rows += [LabelledText(t, 0) for t in _flatten(document.get("not_distressed"))]
    if not rows:
        raise DistressDataError(f"no examples in {data_dir / EXAMPLES_FILE}")
    return rows


@dataclass(frozen=True)
class CrisisData:
    """crisis.yml: regexes and prototype sentences for crisis, and for the check-in tier below it."""

    patterns: list[str]
    prototypes: list[str]
    check_patterns: list[str]
    check_prototypes: list[str]


def read_crisis(data_dir: Path) -> CrisisData:
    """Crisis and check-in regex patterns and prototype sentences (the check-in tier may be empty)."""
    document = _load_yaml(data_dir / CRISIS_FILE)
    data = CrisisData(
        patterns=_flatten(document.get("patterns")),
        prototypes=_flatten(document.get("prototypes")),
        check_patterns=_flatten(document.get("check_patterns")),
        check_prototypes=_flatten(document.get("check_prototypes")),
    )
    if not data.patterns or not data.prototypes:
        raise DistressDataError(f"{data_dir / CRISIS_FILE} needs both patterns and prototypes")
    return data


def _emotion_names(path: Path) -> list[str]:
    if not path.is_file():
        raise DistressDataError(f"missing {path}")
    return path.read_text(encoding="utf-8").split()


def _goemotions_rows(path: Path, names: list[str]) -> Iterable[tuple[str, set[str]]]:
    if not path.is_file():
        raise DistressDataError(f"missing {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 2 and row[1]:
                yield row[0], {names[int(i)] for i in row[1].split(",")}


def _sample(rows: list[LabelledText], limit: int, rng: random.Random) -> list[LabelledText]:
    return rows if len(rows) <= limit else rng.sample(rows, limit)


def _load_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DistressDataError(f"missing {path}")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise DistressDataError(f"{path} must be a mapping")
    return document


def _flatten(node: Any) -> list[str]:
    """Texts from a list, or from a mapping of category -> list (categories are for humans)."""
    if node is None:
        return []
    if isinstance(node, dict):
        return [text for value in node.values() for text in _flatten(value)]
    if isinstance(node, list):
        return [str(item).strip() for item in node if str(item).strip()]
    raise DistressDataError(f"expected a list or a mapping of lists, got {type(node).__name__}")
