"""The SMS sink (sms_sink/) with the real Twilio channel, the real API and the real worker: what a person
texts on the sink's page passes the channel's signature check, and the bot's reply comes back to the sink."""

from __future__ import annotations

import asyncio

from sms_sink.server import SmsSink
from tests.channels.conftest import ApiServer, Sms, sink_for
from tests.factories import phone_number


async def test_a_text_from_the_sink_reaches_the_bot_and_its_reply_reaches_the_sink(
    sms: Sms, api_server: ApiServer, sink: SmsSink
) -> None:
    phone = phone_number()
    sms.agent.replies = [{"text": "Hello! How can I help?"}]

    message = await asyncio.to_thread(sink.text_from_phone, phone, "I want to pay")
    await sms.channel.drain()
    await asyncio.to_thread(api_server.run_worker, sink)

    assert (message.status, message.error) == ("received", None)
    assert [m.text for m in sms.agent.messages] == ["I want to pay"]
    assert sms.agent.messages[0].message_id == message.sid
    assert sink.sent_to(phone) == ["Hello! How can I help?"]
    _, thread = sink.store.changes(phone)
    assert [(m.direction, m.body) for m in thread] == [
        ("inbound", "I want to pay"),
        ("outbound", "Hello! How can I help?"),
    ]


async def test_a_sink_signing_for_another_public_url_is_refused_and_says_so(sms: Sms) -> None:
    with sink_for(sms, public_base_url="http://localhost:5005") as sink:
        message = await asyncio.to_thread(sink.text_from_phone, phone_number(), "hi")

    assert message.status == "failed"
    assert message.error is not None and "PUBLIC_BASE_URL http://localhost:5005" in message.error
    assert sms.agent.messages == []


async def test_a_sink_of_another_account_is_refused(sms: Sms) -> None:
    with sink_for(sms, account_sid="AC" + "1" * 32) as sink:
        message = await asyncio.to_thread(sink.text_from_phone, phone_number(), "hi")

    assert message.status == "failed" and message.error is not None and "account" in message.error
