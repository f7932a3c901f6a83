"""Evaluate the trained distress detector against VADER alone on a labelled CSV (text,label[,level]).

Usage: python scripts/eval_distress.py [--data CSV ...] [--model models/x.tar.gz]
Without --data it evaluates the project's test sets: GoEmotions distress and SAD financial stress (public,
../shared/eval-data) and our crisis set (eval/crisis/crisis_eval.csv).
Loads the DistressDetector from the newest model in models/ (or --model), scores the rows in batches
with the same shared MiniLM encoder the bot uses, prints JSON and writes reports/distress_<name>.json.
Thresholds are the ones stored in the model (picked on GoEmotions dev): never tuned on these rows.

With a `level` column (e.g. eval/crisis/crisis_eval.csv): rows whose level is `crisis` must be caught,
i.e. the bot leaves collection and gives the crisis line (level crisis, or crisis_check: it asks directly);
every other level value names a group of non-crisis rows (e.g. calm, upset) whose false-alarm rate is
reported separately. An optional `category` column breaks recall down by category.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.distress.detector import (
    LEVEL,
    LEVEL_CRISIS,
    LEVEL_CRISIS_CHECK,
    LEVEL_NONE,
    SCORE,
    VADER_COMPOUND,
    DistressDetector,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 64
DEFAULT_SETS = (
    Path("../shared/eval-data/goemotions/distress_test.csv"),
    Path("../shared/eval-data/sad/financial_stress_test.csv"),
    Path("eval/crisis/crisis_eval.csv"),
)
VADER_NEGATIVE_CUT = 0.05  # VADER's documented cut: compound <= -0.05 is negative
ACTED_ON = (LEVEL_CRISIS, LEVEL_CRISIS_CHECK)  # the bot stops collecting and gives the crisis line
MAX_LISTED = 25  # missed crisis rows and false alarms listed by text in the report


def newest_model(models_dir: Path) -> Path:
    """The most recently written model archive in `models_dir`."""
    archives = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not archives:
        raise SystemExit(f"no model in {models_dir}: run `make train` first or pass --model")
    return archives[-1]


def load_detector(model: Path, workdir: Path) -> DistressDetector:
    """Loads the DistressDetector node of a trained Rasa model, as the bot would."""
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    storage, metadata = LocalModelStorage.from_model_archive(workdir, model)
    schema = metadata.predict_schema
    for name, node in schema.nodes.items():
        if node.uses is DistressDetector:
            config = {**DistressDetector.get_default_config(), **node.config}
            context = ExecutionContext(schema, metadata.model_id, node_name=name)
            return DistressDetector.load(config, storage, node.resource, context)
    raise SystemExit(f"{model} has no DistressDetector in its pipeline")


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV with at least `text` and `label` columns."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or not {"text", "label"} <= set(rows[0]):
        raise SystemExit(f"{path} needs a header with text,label[,level]")
    return rows


def at_threshold(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of boolean predictions."""
    true_positive = float(np.sum(predicted & (labels == 1)))
    precision = true_positive / max(float(np.sum(predicted)), 1.0)
    recall = true_positive / max(float(np.sum(labels == 1)), 1.0)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def evaluate(detector: DistressDetector, rows: list[dict[str, str]]) -> dict[str, Any]:
    """Metrics for our component and for VADER alone on the same rows."""
    from sklearn.metrics import roc_auc_score

    texts = [row["text"] for row in rows]
    labels = np.array([int(row["label"]) for row in rows])
    started = time.perf_counter()
    results = [
        r for i in range(0, len(texts), BATCH_SIZE) for r in detector.assess(texts[i : i + BATCH_SIZE])
    ]
    elapsed = time.perf_counter() - started
    scores = np.array([r[SCORE] for r in results])
    vader = -np.array([r[VADER_COMPOUND] for r in results])
    levels = np.array([r[LEVEL] for r in results])
    report: dict[str, Any] = {
        "rows": len(rows),
        "positives": int(labels.sum()),
        "seconds": round(elapsed, 1),
        "component": {
            "auroc": round(float(roc_auc_score(labels, scores)), 4),
            "threshold": round(detector.elevated_threshold, 4),
            **at_threshold(labels, scores >= detector.elevated_threshold),
            "flagged_any_level": at_threshold(labels, levels != LEVEL_NONE),
            "levels": {str(k): int(v) for k, v in zip(*np.unique(levels, return_counts=True), strict=False)},
            "crisis_or_check_in": interruptions_by_label(labels, levels),
        },
        "vader": {
            "auroc": round(float(roc_auc_score(labels, vader)), 4),
            "threshold": VADER_NEGATIVE_CUT,
            **at_threshold(labels, vader >= VADER_NEGATIVE_CUT),
        },
    }
    if "level" in rows[0]:
        report["crisis"] = crisis_recall(rows, levels)
        report["false_alarms"] = false_alarms(rows, levels)
    return report


def interruptions_by_label(labels: np.ndarray, levels: np.ndarray) -> dict[str, Any]:
    """Per label: rows on which the bot would leave collection for crisis support or the check-in."""
    result = {}
    for label in (0, 1):
        mask = labels == label
        crises = int(np.sum(mask & (levels == LEVEL_CRISIS)))
        checks = int(np.sum(mask & (levels == LEVEL_CRISIS_CHECK)))
        result[f"label_{label}"] = {
            "rows": int(mask.sum()),
            "crisis": crises,
            "check_in": checks,
            "rate": _share(crises + checks, int(mask.sum())),
        }
    return result


def expected_level(row: dict[str, str]) -> str:
    """The row's `level` value, normalised."""
    return (row.get("level") or "").strip().lower()


def _share(part: int, total: int) -> float | None:
    return round(part / total, 4) if total else None


def crisis_recall(rows: list[dict[str, str]], levels: np.ndarray) -> dict[str, Any]:
    """Rows labelled level=crisis that the bot acts on: crisis handling, or the direct check-in."""
    expected = np.array([expected_level(row) == LEVEL_CRISIS for row in rows])
    acted, full = np.isin(levels, ACTED_ON), levels == LEVEL_CRISIS
    total, caught = int(expected.sum()), int(np.sum(expected & acted))
    report: dict[str, Any] = {
        "rows": total,
        "caught": caught,
        "recall": _share(caught, total),
        "as_crisis": int(np.sum(expected & full)),
        "as_check_in": int(np.sum(expected & (levels == LEVEL_CRISIS_CHECK))),
        "crisis_only_recall": _share(int(np.sum(expected & full)), total),
        "missed": [row["text"] for row, hit in zip(rows, expected & ~acted, strict=False) if hit][
            :MAX_LISTED
        ],
    }
    if "category" in rows[0]:
        report["by_category"] = _by_category(rows, expected, levels)
    return report


def _by_category(rows: list[dict[str, str]], expected: np.ndarray, levels: np.ndarray) -> dict[str, Any]:
    categories = np.array([row.get("category") or "" for row in rows])
    result = {}
    for category in sorted(set(categories[expected])):
        mask = expected & (categories == category)
        result[category] = {
            "rows": int(mask.sum()),
            "caught": int(np.sum(mask & np.isin(levels, ACTED_ON))),
            "as_crisis": int(np.sum(mask & (levels == LEVEL_CRISIS))),
        }
    return result


def false_alarms(rows: list[dict[str, str]], levels: np.ndarray) -> dict[str, Any]:
    """Per group of non-crisis rows (each other `level` value): how often the bot would interrupt."""
    groups = np.array([expected_level(row) for row in rows])
    report = {}
    for group in sorted(set(groups) - {LEVEL_CRISIS}):
        mask = groups == group
        total = int(mask.sum())
        checks = int(np.sum(mask & (levels == LEVEL_CRISIS_CHECK)))
        crises = int(np.sum(mask & (levels == LEVEL_CRISIS)))
        flagged = mask & np.isin(levels, ACTED_ON)
        report[group or "unlabelled"] = {
            "rows": total,
            "check_in": checks,
            "crisis": crises,
            "rate": _share(checks + crises, total),
            "crisis_rate": _share(crises, total),
            "texts": [row["text"] for row, hit in zip(rows, flagged, strict=False) if hit][:MAX_LISTED],
        }
    return report


def main() -> None:
    """Parses arguments, evaluates each CSV, prints and writes one report per CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", help="CSV with text,label[,level]")
    parser.add_argument("--model", type=Path, help="model archive (default: newest in models/)")
    parser.add_argument("--name", help="report name for a single --data (default: the CSV's folder)")
    parser.add_argument("--reports", type=Path, default=Path("reports"))
    args = parser.parse_args()
    datasets = args.data or list(DEFAULT_SETS)
    model = args.model or newest_model(Path("models"))
    args.reports.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        detector = load_detector(model, Path(workdir))
        for data in datasets:
            report = {"data": str(data), "model": model.name, **evaluate(detector, read_rows(data))}
            name = args.name if args.name and len(datasets) == 1 else data.resolve().parent.name
            output = args.reports / f"distress_{name}.json"
            output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
            print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
