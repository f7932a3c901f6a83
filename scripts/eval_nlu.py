"""Evaluate a trained NLU model on the held-out public test sets and write reports/eval_nlu.json.

(a) CLINC150 test + oos_test: accuracy on the CLINC intents that map onto ours, and out-of-scope
    rejection (oos_test and every unmapped CLINC intent predicted as out_of_scope or nlu_fallback);
(b) BANKING77 test: share of everyday banking requests wrongly read as a collections intent;
(c) with --cross-validation: `rasa test nlu --cross-validation` on data/nlu, accuracy and macro-F1.
It also sweeps the FallbackClassifier threshold over the recorded rankings, to choose it from data.

Usage: python scripts/eval_nlu.py [--model models/x.tar.gz] [--cross-validation [--config config.yml]]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # bot/: the model's custom components

from clinc import CLINC_MAPPING  # ../shared/eval-data/README.md: these are scored as ours

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT.parent / "shared" / "eval-data"
DEV_DIR = ROOT.parent / "shared" / "train-data" / "clinc150"
REPORT = ROOT / "reports" / "eval_nlu.json"
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
REJECTED = {OUT_OF_SCOPE, FALLBACK}
NOT_COLLECTIONS = REJECTED | {
    "greet", "goodbye", "thank_you", "affirm", "deny", "bot_challenge", "help", "ask_who_is_this",
}  # fmt: skip
TARGETS = {"clinc_mapped_accuracy": 0.90, "clinc_oos_rejection": 0.90, "banking77_false_collections": 0.10}
SWEEP = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prediction:
    """What the model said about one test sentence, and the classifier's ranking before fallback."""

    gold: str
    source_label: str
    predicted: str
    ranking: tuple[tuple[str, float], ...]

    def at_threshold(self, threshold: float, ambiguity: float) -> str:
        """The intent a FallbackClassifier with these settings would have produced."""
        if not self.ranking:
            return FALLBACK
        (top, conf), second = self.ranking[0], self.ranking[1][1] if len(self.ranking) > 1 else 0.0
        return FALLBACK if conf < threshold or conf - second < ambiguity else top


def newest_model(models_dir: Path) -> Path:
    """The most recently written model archive."""
    archives = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not archives:
        raise SystemExit(f"no model in {models_dir}; train one or pass --model")
    return archives[-1]


def read_clinc(clinc_dir: Path, split: str) -> list[tuple[str, str, str]]:
    """(text, gold intent in our terms, CLINC label) for a CLINC split and its out-of-scope part."""
    rows: list[tuple[str, str, str]] = []
    for name in (f"{split}.tsv", f"oos_{split}.tsv"):
        lines = (clinc_dir / name).read_text(encoding="utf-8").splitlines()
        for line in lines[1:]:
            text, label = line.rstrip("\r").split("\t")
            rows.append((text, CLINC_MAPPING.get(label, OUT_OF_SCOPE), label))
    return rows


def read_banking77(eval_dir: Path) -> list[tuple[str, str, str]]:
    """(text, out_of_scope, BANKING77 category) for BANKING77 test."""
    with (eval_dir / "banking77" / "test.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["text"], OUT_OF_SCOPE, row["category"]) for row in csv.DictReader(handle)]


def _ranking(result: dict[str, Any]) -> tuple[tuple[str, float], ...]:
    ranking = [(r["name"], float(r["confidence"])) for r in result.get("intent_ranking", [])]
    return tuple(item for item in ranking if item[0] != FALLBACK)


async def predict(model: Path, rows: dict[str, list[tuple[str, str, str]]]) -> dict[str, list[Prediction]]:
    """Parse every test sentence with the trained model, set by set."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # otherwise every parse is logged at debug level
    logging.getLogger("rasa").setLevel(logging.WARNING)
    agent = Agent.load(str(model))
    predictions: dict[str, list[Prediction]] = {}
    for name, items in rows.items():
        predictions[name] = []
        for text, gold, label in items:
            result = await agent.parse_message(text)
            predicted = result["intent"]["name"] if result.get("intent") else FALLBACK
            predictions[name].append(Prediction(gold, label, predicted, _ranking(result)))
        logger.info("parsed %d %s sentences", len(items), name)
    return predictions


def clinc_metrics(preds: list[Prediction], pick: Any) -> dict[str, Any]:
    """Mapped-intent accuracy and out-of-scope rejection, for a prediction picker."""
    mapped = [p for p in preds if p.gold != OUT_OF_SCOPE]
    unmapped = [p for p in preds if p.gold == OUT_OF_SCOPE]
    return {
        "clinc_mapped_accuracy": sum(pick(p) == p.gold for p in mapped) / len(mapped),
        "clinc_oos_rejection": sum(pick(p) in REJECTED for p in unmapped) / len(unmapped),
        "clinc_mapped_n": len(mapped),
        "clinc_oos_n": len(unmapped),
    }


def banking_metrics(preds: list[Prediction], pick: Any) -> dict[str, Any]:
    """Share of BANKING77 sentences read as a collections intent."""
    if not preds:
        return {}
    wrong = sum(pick(p) not in NOT_COLLECTIONS for p in preds)
    return {"banking77_false_collections": wrong / len(preds), "banking77_n": len(preds)}


def error_breakdown(preds: list[Prediction], is_error: Any, top: int = 15) -> list[dict[str, Any]]:
    """The most frequent (source label -> predicted intent) errors."""
    counts = Counter((p.source_label, p.predicted) for p in preds if is_error(p))
    return [{"label": lab, "predicted": pred, "count": n} for (lab, pred), n in counts.most_common(top)]


def threshold_sweep(preds: dict[str, list[Prediction]], ambiguity: float) -> list[dict[str, Any]]:
    """The three target metrics if the FallbackClassifier threshold were each value in SWEEP."""
    rows = []
    for threshold in SWEEP:

        def pick(p: Prediction, t: float = threshold) -> str:
            return p.at_threshold(t, ambiguity)

        row: dict[str, Any] = {"threshold": threshold, "ambiguity_threshold": ambiguity}
        row.update(clinc_metrics(preds["clinc"], pick))
        row.update(banking_metrics(preds["banking77"], pick))
        rows.append({k: v for k, v in row.items() if not k.endswith("_n")})
    return rows


def model_report(model: Path, eval_dir: Path, ambiguity: float, dev: bool) -> dict[str, Any]:
    """All model-based figures: the three targets, their main errors and a threshold sweep.

    With dev=True, CLINC's validation split (training data, allowed for tuning) replaces the test split,
    so the training data can be tuned without looking at test errors; BANKING77 has no dev split.
    """
    clinc = read_clinc(DEV_DIR, "val") if dev else read_clinc(eval_dir / "clinc150", "test")
    rows = {"clinc": clinc, "banking77": [] if dev else read_banking77(eval_dir)}
    preds = asyncio.run(predict(model, rows))

    def as_served(p: Prediction) -> str:
        return p.predicted

    report: dict[str, Any] = {"model": str(model), "clinc_split": "val" if dev else "test"}
    report.update(clinc_metrics(preds["clinc"], as_served))
    report.update(banking_metrics(preds["banking77"], as_served))
    report["errors"] = {
        "clinc_mapped": error_breakdown(
            preds["clinc"], lambda p: p.gold != OUT_OF_SCOPE and p.predicted != p.gold
        ),
        "clinc_oos_accepted": error_breakdown(
            preds["clinc"], lambda p: p.gold == OUT_OF_SCOPE and p.predicted not in REJECTED
        ),
        "banking77_collections": error_breakdown(
            preds["banking77"], lambda p: p.predicted not in NOT_COLLECTIONS
        ),
    }
    report["threshold_sweep"] = threshold_sweep(preds, ambiguity)
    return report


def cross_validation(config: Path, nlu: Path, folds: int) -> dict[str, Any]:
    """Run `rasa test nlu --cross-validation` and pull accuracy and F1 from its reports."""
    rasa = Path(sys.executable).with_name("rasa")
    with tempfile.TemporaryDirectory(prefix="nlu_cv_") as out:
        command = [str(rasa), "test", "nlu", "--nlu", str(nlu), "--config", str(config), "--out", out]
        command += ["--cross-validation", "--folds", str(folds), "--no-plot"]
        subprocess.run(command, check=True, cwd=ROOT)
        intents = json.loads((Path(out) / "intent_report.json").read_text())
        entity_file = Path(out) / "DIETClassifier_report.json"
        entities = json.loads(entity_file.read_text()) if entity_file.exists() else {}
    per_intent = {
        name: round(values["f1-score"], 4)
        for name, values in intents.items()
        if isinstance(values, dict) and "f1-score" in values and not name.endswith(" avg")
    }
    return {
        "config": str(config),
        "folds": folds,
        "intent_accuracy": intents["accuracy"],
        "intent_macro_f1": intents["macro avg"]["f1-score"],
        "intent_weighted_f1": intents["weighted avg"]["f1-score"],
        "entity_macro_f1": entities.get("macro avg", {}).get("f1-score"),
        "per_intent_f1": per_intent,
    }


def print_table(report: dict[str, Any]) -> None:
    """A short human-readable table of the figures against the targets."""
    print(f"{'metric':34} {'value':>7} {'target':>8}  ok")
    for key, target in TARGETS.items():
        if key in report:
            value = report[key]
            ok = value <= target if key.startswith("banking77") else value >= target
            sign = "<=" if key.startswith("banking77") else ">="
            print(f"{key:34} {value:7.3f} {sign}{target:6.2f}  {'yes' if ok else 'NO'}")
    cv = report.get("cross_validation")
    if cv:
        print(f"{'cv intent accuracy':34} {cv['intent_accuracy']:7.3f}")
        print(f"{'cv intent macro-F1':34} {cv['intent_macro_f1']:7.3f}")
    for row in report.get("threshold_sweep", []):
        banking = row.get("banking77_false_collections")
        shown = "-" if banking is None else f"{banking:.3f}"
        print(
            f"  fallback {row['threshold']:.1f}: mapped {row['clinc_mapped_accuracy']:.3f}  "
            f"oos {row['clinc_oos_rejection']:.3f}  banking77 {shown}"
        )


def targets_met(report: dict[str, Any]) -> bool:
    """Whether every target present in the report is met."""
    return all(
        (report[k] <= t if k.startswith("banking77") else report[k] >= t)
        for k, t in TARGETS.items()
        if k in report
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="model archive (default: newest in models/)")
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    parser.add_argument("--dev", action="store_true", help="score CLINC val (for tuning), not the tests")
    parser.add_argument("--out", type=Path, default=REPORT)
    parser.add_argument("--ambiguity-threshold", type=float, default=0.1, help="assumed by the sweep")
    parser.add_argument("--cross-validation", action="store_true", help="also run rasa NLU cross-validation")
    parser.add_argument("--no-model-eval", action="store_true", help="only run the cross-validation")
    parser.add_argument(
        "--config", type=Path, default=ROOT / "config.yml", help="config for cross-validation"
    )
    parser.add_argument("--nlu", type=Path, default=ROOT / "data" / "nlu")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Compute the requested figures, write the JSON report and print the table."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    report: dict[str, Any] = {}
    if not args.no_model_eval:
        model = args.model or newest_model(ROOT / "models")
        report.update(model_report(model, args.eval_dir, args.ambiguity_threshold, args.dev))
    if args.cross_validation:
        report["cross_validation"] = cross_validation(args.config, args.nlu, args.folds)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)
    print(f"written {args.out}")
    return 1 if args.check and not targets_met(report) else 0


if __name__ == "__main__":
    sys.exit(main())
