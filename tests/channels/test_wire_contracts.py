"""What the channels and the bot send the API agrees with shared.wire, which the API is held to as well."""

from __future__ import annotations

from dataclasses import fields

from actions import handoff
from channels.messaging_api import HandoffRequest, InboundSms, OutboundResult, OutboundText
from shared import wire
from shared.vocabulary import CLIENT_PURPOSES, Channel, HandoffReason
from shared.wire import InboundResult
from tests.actions.conftest import make_tracker


def test_an_inbound_sms_is_sent_with_the_shared_fields() -> None:
    sms = InboundSms("SM1", "+15550001111", "+15550002222", "hi", 1, [{"url": "u", "content_type": "t"}])

    assert set(sms.payload()) == wire.INBOUND_FIELDS
    assert set(sms.payload()["media"][0]) == wire.MEDIA_FIELDS
    assert {f.name for f in fields(InboundResult)} == wire.INBOUND_RESULT_FIELDS


def test_an_outbound_text_is_sent_with_the_shared_fields() -> None:
    text = OutboundText("c1", "hi", "reply", "k1", "a1", "m1", [{"title": "Yes", "payload": "/yes"}], "help")

    assert set(text.payload()) == wire.OUTBOUND_FIELDS
    assert text.payload()["channel"] == Channel.SMS
    assert {f.name for f in fields(OutboundResult)} == wire.OUTBOUND_RESULT_FIELDS


def test_the_bots_handoff_body_has_the_shared_fields() -> None:
    tracker = make_tracker(slots={"verified": True}, text="a person please", intent="request_human")

    body = handoff.handoff_request(tracker, "request_human")

    assert set(body) == wire.HANDOFF_FIELDS
    assert body["channel"] in {channel.value for channel in Channel}


def test_the_channels_handoff_body_has_only_shared_fields() -> None:
    """A turn that failed on our side is handed over by the channel itself (channels/turns.py)."""
    body = HandoffRequest("c1", Channel.SMS, HandoffReason.SERVICE_UNAVAILABLE, "why").payload()

    assert set(body) <= wire.HANDOFF_FIELDS
    assert body["reason"] == "service_unavailable"


def test_the_bots_handoff_reasons_are_the_shared_ones() -> None:
    reasons = {value for name, value in vars(handoff).items() if name.startswith("REASON_")}

    assert reasons
    assert reasons <= {reason.value for reason in HandoffReason}


def test_the_channels_declare_only_client_purposes() -> None:
    assert {str(purpose) for purpose in CLIENT_PURPOSES} == {
        "flag_confirmation",
        "validation_notice",
        "no_collection_content",
    }
