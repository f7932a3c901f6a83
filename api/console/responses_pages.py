"""What the response editor's page shows: each live variation's text, its other settings as JSON, and
its previews (SMS bubble and segments, webchat bubble) with made-up values, and the history."""

import json
from dataclasses import dataclass
from typing import Any

from api.responses import review, service
from api.responses.models import ResponseVersion
from api.responses.rendering import Variation


@dataclass(frozen=True)
class EditorVariation:
    """One variation as the editor shows it."""

    text: str
    settings: str
    """Everything but the text, as JSON (condition, channel, buttons, custom, image, id)."""
    summary: str
    preview: service.Preview


def _summary(variation: Variation) -> str:
    """When the bot picks this variation, in words."""
    conditions = [f"{c.get('name')} is {c.get('value')}" for c in variation.get("condition") or []]
    channel = [f"on {variation['channel']}"] if variation.get("channel") else []
    return ", ".join(conditions + channel) or "always"


def editor_variation(variation: Variation) -> EditorVariation:
    """The text, the other settings as JSON, the summary and the preview of one variation."""
    settings = {key: value for key, value in variation.items() if key != "text"}
    text = variation.get("text") if isinstance(variation.get("text"), str) else ""
    return EditorVariation(
        text=text or "",
        settings=json.dumps(settings, ensure_ascii=False, indent=1) if settings else "",
        summary=_summary(variation),
        preview=service.preview(variation, dict(review.SAMPLE_VALUES)),
    )


def editor(history: list[ResponseVersion]) -> dict[str, Any]:
    """The editor page's context: the live version, its variations, the history (newest first)."""
    live = history[0]
    return {
        "live": live,
        "variations": [editor_variation(v) for v in live.variations],
        "history": history,
        "problems": review.review(live.variations, live.variations),
    }
