"""Train the distress head outside Rasa and report on it (the model itself is trained by `rasa train`).

Usage: python scripts/train_distress.py [--config config.yml] [--output reports/distress_training.json]
Uses the DistressDetector entry of the config (defaults otherwise) exactly as the graph component does,
and prints JSON: training rows, time, the thresholds picked on GoEmotions dev.tsv and AUROC there,
and 5-fold cross-validated AUROC on our own debt-domain examples. It reads no evaluation data.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.distress.data import (
    LabelledText,
    read_crisis,
    read_examples,
    read_goemotions,
    read_goemotions_eval_split,
)
from bot.distress.detector import DistressDetector
from bot.distress.head import fit_weights, vader_scores
from bot.distress.training import HeadTrainingConfig, train_head
from bot.embedding.cache import embed_with_cache

FOLDS = 5


def component_config(path: Path | None) -> dict[str, Any]:
    """Defaults merged with the DistressDetector entry of a Rasa config, if there is one."""
    config = DistressDetector.get_default_config()
    if path is None or not path.is_file():
        return config
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")).get("pipeline") or []:
        if str(entry.get("name", "")).endswith("DistressDetector"):
            config.update({k: v for k, v in entry.items() if k != "name"})
    return config


def features(rows: list[LabelledText]) -> np.ndarray:
    """The head's inputs for these rows."""
    texts = [row.text for row in rows]
    return np.hstack([embed_with_cache(texts), vader_scores(texts)])


def own_cross_validation(config: HeadTrainingConfig) -> float:
    """AUROC on our examples, each fold's head trained on GoEmotions + the other folds."""
    from sklearn.metrics import roc_auc_score

    public = read_goemotions(config.goemotions_dir / "train.tsv", config.goemotions)
    own = read_examples(config.data_dir)
    x_public, x_own = features(public), features(own)
    y_public, y_own = np.array([r.label for r in public]), np.array([r.label for r in own])
    folds = np.arange(len(own)) % FOLDS
    np.random.default_rng(config.seed).shuffle(folds)
    scores = np.zeros(len(own))
    for fold in range(FOLDS):
        train = folds != fold
        x = np.vstack([x_public, x_own[train]])
        y = np.concatenate([y_public, y_own[train]])
        weight = np.concatenate([np.ones(len(public)), np.full(int(train.sum()), config.own_example_weight)])
        coef, bias = fit_weights(x, y, weight, config.regularization, config.seed)
        scores[~train] = x_own[~train] @ coef + bias
    return float(roc_auc_score(y_own, scores))


def main() -> None:
    """Trains, measures on GoEmotions dev and by cross-validation on our examples, prints JSON."""
    from sklearn.metrics import roc_auc_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("config.yml"))
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    config = HeadTrainingConfig.from_component_config(component_config(args.config))
    started = time.perf_counter()
    result = train_head(config)
    seconds = time.perf_counter() - started
    dev = read_goemotions_eval_split(config.goemotions_dir / "dev.tsv", config.goemotions.positives)
    x_dev = features(dev)
    dev_scores = result.head.scores(x_dev[:, :-4], x_dev[:, -4:])
    report = {
        "rows": result.rows,
        "own_examples": len(read_examples(config.data_dir)),
        "crisis_prototypes": len(read_crisis(config.data_dir).prototypes),
        "check_prototypes": len(read_crisis(config.data_dir).check_prototypes),
        "seconds": round(seconds, 1),
        "elevated_threshold": round(result.head.elevated_threshold, 4),
        "high_threshold": round(result.head.high_threshold, 4),
        "goemotions_dev_auroc": round(float(roc_auc_score([r.label for r in dev], dev_scores)), 4),
        "own_examples_cv_auroc": round(own_cross_validation(config), 4),
    }
    text = json.dumps(report, indent=2)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
