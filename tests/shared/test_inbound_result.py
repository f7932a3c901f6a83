"""The answer to an inbound SMS is one dataclass both sides use: the API returns it, the channel reads it."""

from __future__ import annotations

from dataclasses import asdict, fields

from shared import wire
from shared.wire import InboundResult


def test_it_has_exactly_the_shared_fields() -> None:
    assert {field.name for field in fields(InboundResult)} == wire.INBOUND_RESULT_FIELDS


def test_the_channel_reads_back_what_the_api_wrote() -> None:
    written = InboundResult("m1", False, True, "c1", "a1", False, "STOP", None)

    assert InboundResult.from_body(asdict(written)) == written


def test_absent_optional_fields_read_as_none() -> None:
    body = {"id": 7, "duplicate": True, "accepted": False}

    assert InboundResult.from_body(body) == InboundResult("7", True, False, None, None, False, None, None)
