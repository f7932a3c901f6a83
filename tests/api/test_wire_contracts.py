"""The API's bodies for what the channels and the bot send it agree with shared.wire and shared.vocabulary."""

from __future__ import annotations

from dataclasses import fields

from pydantic import BaseModel

from api.handoffs.schemas import HandoffIn, HandoffOut
from api.messaging.schemas import (
    ButtonIn,
    InboundIn,
    InboundOut,
    MediaIn,
    OutboundIn,
    OutboundOut,
)
from shared import wire
from shared.vocabulary import CLIENT_PURPOSES, Channel, ClientPurpose, HandoffReason


def _names(model: type[BaseModel]) -> set[str]:
    return {field.alias or name for name, field in model.model_fields.items()}


def test_the_inbound_bodies_are_the_shared_ones() -> None:
    assert _names(InboundIn) == wire.INBOUND_FIELDS
    assert _names(MediaIn) == wire.MEDIA_FIELDS
    assert {field.name for field in fields(InboundOut)} == wire.INBOUND_RESULT_FIELDS


def test_the_outbound_bodies_hold_every_shared_field() -> None:
    assert _names(OutboundIn) == wire.OUTBOUND_FIELDS | {"to"}
    assert _names(ButtonIn) == wire.BUTTON_FIELDS
    assert set(OutboundOut.model_fields) == wire.OUTBOUND_RESULT_FIELDS | {"duplicate"}


def test_the_handoff_body_is_the_shared_one() -> None:
    assert _names(HandoffIn) == wire.HANDOFF_FIELDS
    assert HandoffIn.model_fields["reason"].annotation is HandoffReason
    assert HandoffIn.model_fields["channel"].annotation is Channel
    assert {"id", "status"} <= set(HandoffOut.model_fields)


def test_the_purposes_a_client_may_declare_are_the_shared_ones() -> None:
    assert OutboundIn.model_fields["purpose"].annotation == ClientPurpose | None
    assert {purpose.value for purpose in ClientPurpose} == {purpose.value for purpose in CLIENT_PURPOSES}


def test_the_api_serves_the_shared_paths() -> None:
    from api.main import app

    paths = app.openapi()["paths"]

    assert all("post" in paths[path] for path in (wire.INBOUND_PATH, wire.OUTBOUND_PATH, wire.HANDOFFS_PATH))
