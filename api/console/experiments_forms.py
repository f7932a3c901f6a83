"""The console's experiment form: its fields turned into the API's ExperimentIn (so the same validation
runs), and the schema's errors turned back into messages next to the fields they concern.

A variant's text replaces the response's default (unconditioned) wording; the distress-aware and other
conditioned variations stay as they are live, so an experiment never rewords what a distressed debtor reads.
"""

from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import ValidationError

from api.experiments.schemas import ExperimentIn
from api.responses.rendering import Variation

VARIANT_ROWS: Final = 4
"""Variant rows the form offers (the first is control; the JSON route takes up to 10)."""
OUTCOMES: Final = {
    "payment_made": "payment made",
    "payment_link_opened": "payment link opened",
    "payment_link_sent": "payment link sent",
    "plan_created": "plan created",
    "promise_made": "promise made",
    "verified": "verified",
    "balance_seen": "balance seen",
    "satisfaction_answered": "satisfaction survey answered",
    "opt_out": "opt-out (lower is better)",
    "handoff": "handoff (lower is better)",
}
"""The primary outcomes the form offers, in words (the schema's pattern holds the same names)."""
WHOLE_FORM: Final = "form"
NO_RESPONSE: Final = "no such response"


@dataclass
class FormResult:
    """A submitted form: the experiment when valid, else the errors by field (and the values to show)."""

    values: dict[str, str]
    experiment: ExperimentIn | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def default_text(live: list[Variation] | None) -> str:
    """The response's default wording: the text of its first unconditioned variation."""
    plain = [v for v in live or [] if not v.get("condition") and isinstance(v.get("text"), str)]
    return str(plain[0]["text"]) if plain else ""


def variations_with(live: list[Variation] | None, text: str) -> list[Variation]:
    """The live variations with `text` as the default wording (just the text without a live response)."""
    if not live or not any(not v.get("condition") for v in live):
        return [{"text": text}]
    return [v if v.get("condition") else {**v, "text": text} for v in live]


def _variants(values: dict[str, str], live: list[Variation] | None) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled variant rows (a text given) as the schema's variants, and the form row of each."""
    variants, rows = [], []
    for row in range(VARIANT_ROWS):
        text = values.get(f"variant_{row}_text", "").strip()
        if not text:
            continue
        share = values.get(f"variant_{row}_share", "").strip()
        variants.append({"share": share, "variations": variations_with(live, text)})
        rows.append(row)
    return variants, rows


def _field(loc: tuple[int | str, ...], rows: list[int]) -> str:
    """The form field an error of the schema belongs to."""
    if not loc:
        return WHOLE_FORM
    if loc[0] == "variants" and len(loc) > 1 and isinstance(loc[1], int):
        return f"variant_{rows[loc[1]]}"
    return str(loc[0])


def errors_by_field(error: ValidationError, rows: list[int]) -> dict[str, list[str]]:
    """The schema's errors grouped by the form field they are shown next to (never the input itself)."""
    grouped: dict[str, list[str]] = {}
    for item in error.errors():
        message = str(item["msg"]).removeprefix("Value error, ")
        grouped.setdefault(_field(tuple(item["loc"]), rows), []).append(message)
    return grouped


def parse(values: dict[str, str], live: list[Variation] | None) -> FormResult:
    """Validate the submitted form with the API's own schema; `live` is the chosen response's variations."""
    variants, rows = _variants(values, live)
    body = {
        "response_name": values.get("response_name", "").strip(),
        "primary_outcome": values.get("primary_outcome", ""),
        "minimum_sample": values.get("minimum_sample", "").strip(),
        "variants": variants,
    }
    try:
        experiment = ExperimentIn.model_validate(body)
    except ValidationError as error:
        return FormResult(values, errors=errors_by_field(error, rows))
    if live is None:
        return FormResult(values, errors={"response_name": [NO_RESPONSE]})
    return FormResult(values, experiment=experiment)


def defaults(response_name: str, live: list[Variation] | None) -> dict[str, str]:
    """A new form's values: control as live today, one variant to write, 50/50, 200 conversations each."""
    text = default_text(live)
    return {
        "response_name": response_name,
        "primary_outcome": "payment_made",
        "minimum_sample": "200",
        "variant_0_text": text,
        "variant_0_share": "50",
        "variant_1_text": "",
        "variant_1_share": "50",
    }
