"""The console's campaign form: its fields turned into the API's CampaignIn (so the same validation runs),
and the schema's errors turned back into messages next to the fields they concern.

The form has a fixed number of step rows, each a day, a channel and a response; a row whose day is left
blank is not a step, and rows of one day on different channels are one step sending on both. Start and end are
UTC wall-clock times (an `<input type="datetime-local">` carries no zone).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from api.campaigns import templates
from api.campaigns.schemas import CampaignIn, PastDue
from shared.vocabulary import Channel

STEP_ROWS = 5
"""Step rows the form offers (the schema allows up to 20; the API takes more)."""
FORM_CHANNELS = (Channel.SMS, Channel.EMAIL)
CONSENT_CHANNELS = (Channel.SMS, Channel.EMAIL)
PAST_DUE_BANDS = tuple(band.value for band in PastDue)
WHOLE_FORM = "form"
"""The error key of a problem no single field owns."""
_MODEL_ERRORS = {"window_start_hour": "window", "starts_at": "ends_at", "day_offset": "steps"}
"""Words in a cross-field error -> the field it is shown next to."""


@dataclass
class FormResult:
    """A submitted form: the campaign when valid, else the errors by field (and the values to show)."""

    values: dict[str, str]
    campaign: CampaignIn | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def _optional(values: dict[str, str], name: str) -> str | None:
    """A text field's value, None when blank (the schema's default applies)."""
    value = values.get(name, "").strip()
    return value or None


def _moment(raw: str) -> datetime | str:
    """A datetime-local value as UTC; an unparsable value goes through for the schema to reject."""
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        return raw
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _segment(values: dict[str, str]) -> dict[str, Any]:
    """The segment's rules from the form; blank fields are rules not given."""
    creditors = [name.strip() for name in values.get("creditors", "").split(",") if name.strip()]
    rules: dict[str, Any] = {
        "due_in_days": _optional(values, "due_in_days"),
        "past_due": _optional(values, "past_due"),
        "instalment_missed": "instalment_missed" in values,
        "promise_broken": "promise_broken" in values,
        "balance_min": _optional(values, "balance_min"),
        "balance_max": _optional(values, "balance_max"),
        "creditors": creditors,
        "consent_channel": _optional(values, "consent_channel"),
    }
    return rules


def _steps(values: dict[str, str]) -> tuple[list[dict[str, Any]], list[int]]:
    """The filled step rows as the schema's steps, and the form row of each. Rows of the same day on
    different channels make one step with a message per channel (an SMS and an email the same day)."""
    steps: list[dict[str, Any]] = []
    rows: list[int] = []
    for row in range(STEP_ROWS):
        day = _optional(values, f"step_{row}_day")
        if day is None:
            continue
        channel, response = values.get(f"step_{row}_channel", ""), values.get(f"step_{row}_response", "")
        same_day = next((step for step in steps if step["day_offset"] == day), None)
        if same_day is not None and channel not in same_day["messages"]:
            same_day["messages"][channel] = response
            continue
        steps.append({"day_offset": day, "messages": {channel: response}})
        rows.append(row)
    return steps, rows


def _body(values: dict[str, str]) -> tuple[dict[str, Any], list[int]]:
    """The CampaignIn body of the form, and the form row of each step."""
    steps, rows = _steps(values)
    body: dict[str, Any] = {
        "name": values.get("name", "").strip(),
        "segment": _segment(values),
        "steps": steps,
        "starts_at": _moment(values.get("starts_at", "")),
        "ends_at": _moment(values.get("ends_at", "")),
    }
    for hour in ("window_start_hour", "window_end_hour"):
        if _optional(values, hour) is not None:
            body[hour] = values[hour].strip()
    return body, rows


def _field(loc: tuple[int | str, ...], message: str, rows: list[int]) -> str:
    """The form field an error of the schema belongs to."""
    if not loc:
        return next((name for word, name in _MODEL_ERRORS.items() if word in message), WHOLE_FORM)
    if loc[0] == "segment" and len(loc) > 1:
        return str(loc[1])
    if loc[0] == "steps" and len(loc) > 1 and isinstance(loc[1], int):
        return f"step_{rows[loc[1]]}"
    return str(loc[0])


def _message(error: dict[str, Any]) -> str:
    """The schema's message without pydantic's "Value error, " prefix."""
    return str(error["msg"]).removeprefix("Value error, ")


def errors_by_field(error: ValidationError, rows: list[int]) -> dict[str, list[str]]:
    """The schema's errors grouped by the form field they are shown next to (never the input itself)."""
    grouped: dict[str, list[str]] = {}
    for item in error.errors():
        message = _message(dict(item))
        grouped.setdefault(_field(tuple(item["loc"]), message, rows), []).append(message)
    return grouped


def parse(values: dict[str, str]) -> FormResult:
    """Validate the submitted form with the API's own schema."""
    body, rows = _body(values)
    try:
        return FormResult(values, campaign=CampaignIn.model_validate(body))
    except ValidationError as error:
        return FormResult(values, errors=errors_by_field(error, rows))


def defaults(now: datetime) -> dict[str, str]:
    """A new form's values: an SMS reminder on day 0, 09:00-20:00, from now for 30 days."""
    start = now.astimezone(UTC).replace(second=0, microsecond=0, tzinfo=None)
    end = start + timedelta(days=30)
    return {
        "window_start_hour": "9",
        "window_end_hour": "20",
        "consent_channel": Channel.SMS.value,
        "step_0_day": "0",
        "step_0_channel": Channel.SMS.value,
        "step_0_response": next(iter(templates.REMINDERS)),
        "starts_at": start.isoformat(timespec="minutes"),
        "ends_at": end.isoformat(timespec="minutes"),
    }
