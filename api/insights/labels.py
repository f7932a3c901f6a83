"""Reviewers' intent labels and their export as Rasa NLU training data (YAML, `version: "3.1"`).

The intents a reviewer may choose are domain.yml's; a withheld identity answer is never labelled or exported.
"""

from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.insights.exceptions import NotLabellable
from api.insights.models import IntentLabel, ReviewTurn

DOMAIN: Final = Path(__file__).resolve().parents[2] / "domain.yml"


@lru_cache
def domain_intents(path: Path = DOMAIN) -> tuple[str, ...]:
    """The intents listed under `intents:` in domain.yml (read without a YAML dependency)."""
    intents, inside = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):
            inside = line.startswith("intents:")
        elif inside and line.strip().startswith("- "):
            intents.append(line.strip()[2:].split(":")[0].strip())
    return tuple(intents)


def label(session: Session, turn_id: str, intent: str, staff_id: str | None) -> IntentLabel:
    """Label a debtor message with the intent it should have had (a new label replaces the old one)."""
    turn = session.get(ReviewTurn, turn_id)
    if turn is None or turn.sender != "debtor" or turn.withheld:
        raise NotLabellable("no such debtor message")
    if intent not in domain_intents():
        raise NotLabellable("not an intent of domain.yml")
    found = session.scalars(select(IntentLabel).where(IntentLabel.turn_id == turn_id)).one_or_none()
    row = found or IntentLabel(turn_id=turn_id)
    row.intent, row.staff_id = intent, staff_id
    session.add(row)
    session.commit()
    return row


def labelled(session: Session) -> dict[str, list[str]]:
    """Labelled texts by intent, each text once, sorted."""
    query = select(IntentLabel.intent, ReviewTurn.text).join(ReviewTurn, ReviewTurn.id == IntentLabel.turn_id)
    by_intent: dict[str, set[str]] = defaultdict(set)
    for intent, text in session.execute(query.where(ReviewTurn.withheld.is_(False))).tuples():
        by_intent[intent].add(" ".join(text.split()))
    return {intent: sorted(texts) for intent, texts in sorted(by_intent.items())}


def nlu_yaml(examples: dict[str, list[str]]) -> str:
    """Rasa NLU training data (one example per line of each intent's block)."""
    lines = ['version: "3.1"', "", "nlu:" if examples else "nlu: []"]
    for intent, texts in examples.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in texts]
    return "\n".join(lines) + "\n"


def export(session: Session, out: Path) -> int:
    """Write the labelled messages as NLU data to `out`; the number of examples written."""
    examples = labelled(session)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(nlu_yaml(examples), encoding="utf-8")
    return sum(len(texts) for texts in examples.values())
