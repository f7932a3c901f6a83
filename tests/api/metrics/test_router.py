"""GET /metrics: messages in and out by channel, outbound statuses, handoffs opened; no personal data."""

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.api.compliance_helpers import MONDAY_NOON_NEW_YORK, pin_clock
from tests.api.handoff_helpers import create_handoff
from tests.api.metrics.helpers import sample, scrape
from tests.api.sms_helpers import inbound, outbound
from tests.factories import phone_number


@pytest.fixture(autouse=True)
def _daytime(sms_client: TestClient) -> None:
    """Outbound messages are judged inside contact hours whatever the time of the run."""
    pin_clock(sms_client, MONDAY_NOON_NEW_YORK, ticking=True)


def test_metrics_are_served_in_prometheus_format_without_credentials(anonymous_client: TestClient) -> None:
    families = {f.name: f.type for f in text_string_to_metric_families(scrape(anonymous_client))}

    for counter in ("debtbot_messages", "debtbot_outbound_status_changes", "debtbot_handoffs_opened"):
        assert families[counter] == "counter"
    assert families["debtbot_http_server_errors"] == "counter"
    assert families["debtbot_http_request_duration_seconds"] == "histogram"


def test_an_inbound_sms_and_the_replies_it_gets_are_counted_by_channel(sms_client: TestClient) -> None:
    before_in = sample(sms_client, "debtbot_messages_total", direction="in", channel="sms")
    before_out = sample(sms_client, "debtbot_messages_total", direction="out", channel="sms")
    conversation = inbound(sms_client, phone_number())["conversation_id"]

    outbound(sms_client, conversation_id=conversation)
    outbound(sms_client, conversation_id=conversation, body="Hello again")

    assert sample(sms_client, "debtbot_messages_total", direction="in", channel="sms") == before_in + 1
    assert sample(sms_client, "debtbot_messages_total", direction="out", channel="sms") == before_out + 2


def test_each_status_an_outbound_message_enters_is_counted(sms_client: TestClient) -> None:
    queued = {"channel": "sms", "status": "queued"}
    blocked = {"channel": "sms", "status": "blocked"}
    before = [sample(sms_client, "debtbot_outbound_status_changes_total", **s) for s in (queued, blocked)]
    phone = phone_number()
    conversation = inbound(sms_client, phone)["conversation_id"]

    outbound(sms_client, conversation_id=conversation)  # queued
    inbound(sms_client, phone, "STOP")  # its confirmation is queued
    outbound(sms_client, conversation_id=conversation)  # blocked: opted out

    after = [sample(sms_client, "debtbot_outbound_status_changes_total", **s) for s in (queued, blocked)]
    assert after == [before[0] + 2, before[1] + 1]


def test_a_new_handoff_is_counted_by_reason_and_channel_and_a_merged_one_is_not(
    client: TestClient, staff: object
) -> None:
    labels = {"reason": "request_human", "channel": "webchat"}
    before = sample(client, "debtbot_handoffs_opened_total", **labels)

    first = create_handoff(client)
    create_handoff(client, expect=200, conversation_id=first["conversation_id"])

    assert sample(client, "debtbot_handoffs_opened_total", **labels) == before + 1


def test_no_phone_number_or_id_ever_appears_in_the_metrics(sms_client: TestClient) -> None:
    phone = phone_number()
    conversation = inbound(sms_client, phone)["conversation_id"]
    message = outbound(sms_client, conversation_id=conversation)
    sms_client.get(f"/api/v1/messages/outbound/{message['id']}")
    sms_client.get(f"/{phone}")

    text = scrape(sms_client)

    for value in (phone, phone.lstrip("+"), conversation, message["id"]):
        assert value not in text
