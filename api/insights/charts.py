"""The dashboard's charts: its figures as Chart.js-ready specs, embedded in the page as JSON and drawn by
Chart.js (npm, served from webchat/node_modules) through the section's static dashboard.js."""

from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from api.insights.analytics import Figure
from api.insights.segments import DIMENSIONS

Chart = dict[str, Any]
CHART_JS: Final = Path(__file__).resolve().parents[2] / "webchat" / "node_modules" / "chart.js" / "dist"
ASSETS: Final = {
    "chart.umd.min.js": CHART_JS / "chart.umd.min.js",
    "dashboard.js": Path(__file__).resolve().parent / "static" / "dashboard.js",
}
"""The two scripts the dashboard loads: the library (`npm ci` in webchat/) and our own."""
DIMENSION_TITLES: Final = {
    "creditor": "creditor",
    "channel": "channel",
    "days_past_due": "days past due",
    "balance": "balance band",
}


def chart(
    chart_id: str, title: str, labels: list[Any], datasets: list[dict[str, Any]], **options: Any
) -> Chart:
    """One chart: its canvas id, title, x labels and datasets ({"label", "data"}), display options."""
    return {
        "id": chart_id,
        "title": title,
        "labels": [str(label) for label in labels],
        "datasets": datasets,
        **options,
    }


def series(label: str, rows: list[dict[str, Any]], key: str, scale: float = 1) -> dict[str, Any]:
    """A dataset of one value of each row (scaled, e.g. rates to percent)."""
    values = [row[key] for row in rows]
    return {"label": label, "data": [round(v * scale, 2) if v is not None else None for v in values]}


def per_day(figure: Figure) -> list[Chart]:
    """Conversations per day, stacked by channel."""
    days = sorted({row["day"] for row in figure["rows"]})
    counts = {(row["day"], row["channel"]): row["conversations"] for row in figure["rows"]}
    datasets = [
        {"label": channel, "data": [counts.get((day, channel), 0) for day in days]}
        for channel in figure["channels"]
    ]
    return [chart("per-day", "Conversations per day and channel", days, datasets, stacked=True)]


def funnel(figure: Figure) -> list[Chart]:
    """The funnel's steps."""
    steps = figure["steps"]
    labels = [step["step"] for step in steps]
    return [
        chart("funnel", "Funnel", labels, [series("conversations", steps, "conversations")], horizontal=True)
    ]


def handoffs(figure: Figure) -> list[Chart]:
    """The handoff reasons."""
    reasons = figure["reasons"]
    labels = [row["reason"] for row in reasons]
    return [chart("handoff-reasons", "Handoff reasons", labels, [series("handoffs", reasons, "handoffs")])]


def fallback(figure: Figure) -> list[Chart]:
    """The fallback rate by NLU's best-guess intent (the worst ten)."""
    rows = figure["rows"][:10]
    labels = [row["intent"] for row in rows]
    return [
        chart(
            "fallback",
            "Fallback rate by intent (%)",
            labels,
            [series("% not understood", rows, "rate", 100)],
            horizontal=True,
            percent=True,
        )
    ]


def distress(figure: Figure) -> list[Chart]:
    """Conversations by their highest distress level."""
    levels = figure["levels"]
    labels = [row["level"] for row in levels]
    return [chart("distress", "Distress levels", labels, [series("conversations", levels, "conversations")])]


def _of(rows: list[dict[str, Any]], dimension: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["dimension"] == dimension]


def satisfaction(figure: Figure) -> list[Chart]:
    """The answers' distribution, and the mean score by creditor, channel and segment."""
    spread = figure["distribution"]
    charts = [
        chart(
            "satisfaction",
            "Satisfaction answers (1-5)",
            [row["score"] for row in spread],
            [series("answers", spread, "answers")],
        )
    ]
    for dimension in DIMENSIONS:
        rows = _of(figure["by_segment"], dimension)
        labels = [row["segment"] for row in rows]
        title = f"Mean satisfaction by {DIMENSION_TITLES[dimension]}"
        charts.append(
            chart(f"satisfaction-{dimension}", title, labels, [series("mean score", rows, "mean")], max=5)
        )
    return charts


BREAKDOWN_SERIES: Final = (
    ("agreement", "agreement_rate"),
    ("payment link opened", "link_opened_rate"),
    ("payment made", "paid_rate"),
)


def breakdowns(figure: Figure) -> list[Chart]:
    """Agreement, link opened and payment rates (%) by creditor, channel and segment."""
    charts = []
    for dimension in DIMENSIONS:
        rows = _of(figure["rows"], dimension)
        datasets = [series(f"% {label}", rows, key, 100) for label, key in BREAKDOWN_SERIES]
        title = f"Outcomes by {DIMENSION_TITLES[dimension]} (%)"
        charts.append(
            chart(f"outcomes-{dimension}", title, [row["segment"] for row in rows], datasets, percent=True)
        )
    return charts


BUILDERS: Final[dict[str, Callable[[Figure], list[Chart]]]] = {
    "per-day": per_day,
    "funnel": funnel,
    "handoffs": handoffs,
    "fallback-by-intent": fallback,
    "distress": distress,
    "satisfaction": satisfaction,
    "breakdowns": breakdowns,
}


def charts(figures: dict[str, Figure]) -> dict[str, Chart]:
    """Every chart of the dashboard by canvas id, from the figures it shows."""
    built = (spec for name, build in BUILDERS.items() for spec in build(figures[name]))
    return {spec["id"]: spec for spec in built}
