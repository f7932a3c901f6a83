"""The dashboard's figures as Chart.js specs: one chart per canvas, labels and data from the figures."""

from sqlalchemy.orm import Session

from api.insights import analytics, charts
from tests.api.insights.conftest import Ingest
from tests.api.insights.rasa_events import Broker, paying_conversation, slot
from tests.api.insights.test_analytics import DAY


def test_every_chart_takes_its_labels_and_data_from_the_figures(
    broker: Broker, ingested: Ingest, session: Session
) -> None:
    broker.publish("c-1", *paying_conversation(), slot("satisfaction", 4))
    ingested()
    figures = {name: compute(session, DAY) for name, compute in analytics.FIGURES.items()}

    built = charts.charts(figures)

    assert set(charts.BUILDERS) <= set(analytics.FIGURES)
    assert built["funnel"]["labels"][-2:] == ["payment link opened", "payment made"]
    assert built["funnel"]["datasets"][0]["data"][:2] == [1, 1]
    assert built["per-day"]["labels"] == ["2026-12-04"] and built["per-day"]["datasets"][0]["label"] == "sms"
    assert built["satisfaction"]["datasets"][0]["data"] == [0, 0, 0, 1, 0]
    assert built["satisfaction-channel"]["labels"] == ["sms"]
    outcomes = built["outcomes-creditor"]
    assert [d["label"] for d in outcomes["datasets"]] == [
        "% agreement",
        "% payment link opened",
        "% payment made",
    ]
    assert outcomes["datasets"][0]["data"] == [100.0] and outcomes["percent"] is True
