"""SMS through Twilio, replacing Rasa's built-in connector (mounted at /webhooks/twilio/webhook).

A request is answered only after: its X-Twilio-Signature checks out against the public URL (403 and
nothing done otherwise), it belongs to our account, and the API has stored it by MessageSid. A repeated
MessageSid is acknowledged and dropped; STOP/START/HELP are carried out by the API in the same step and
never reach the NLU. A body over the size cap is answered with a request for a shorter one, and card
numbers and SSNs are cut out, before Rasa sees the text (channels/inbound.py).
Everything else is acknowledged at once with empty TwiML and processed in the
background; every reply goes through the API's outbound path (compliance gate, retries, status).

With the credential `ack_port` set, the webhook is served on that port by a server on a thread and event
loop of its own (channels/ack_server.py), not by Rasa's Sanic app, whose loop runs each turn's graph
synchronously: the acknowledgement does not wait for turns. The turn is handed to Rasa's loop with
`asyncio.run_coroutine_threadsafe`, in arrival order, as the background task was. Rasa's port then
serves only GET /webhooks/twilio/ (health), which the ack port serves too. credentials.yml sets `ack_port`
(TWILIO_ACK_PORT); without it the webhook is on Rasa's port as before.

Outcomes for odd input (each message is stored first, and none gets a 500):
    empty Body, no media      200, stored, nothing processed, no reply
    media without text        200, stored with its URLs, a reply that we cannot read pictures
    no MessageSid             400 "missing MessageSid", not stored (there is nothing to deduplicate on)
    no From / not a number    400 "missing From" / "From is not a phone number", stored
    Body over 1,600 chars     200, stored (up to 65,536 characters), a reply asking for a shorter message;
                              never reaches the NLU
    request body over 64 KiB  413, not read further, not stored (Twilio never sends one)
    invalid UTF-8             200, undecodable bytes become U+FFFD, then as any text
    emoji only                200, handed to the NLU unchanged (it usually lands in the fallback)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import (  # type: ignore[import-untyped]
    InputChannel,
    OutputChannel,
    UserMessage,
)
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]

from channels.ack_server import AckServer
from channels.exceptions import ChannelConfigError, MessagingApiError
from channels.inbound import cap_body_size, screen
from channels.inbox_batch import InboxBatcher
from channels.messaging_api import InboundSms, MessagingApi, OutboundText
from channels.sms_format import DEFAULT_MAX_SEGMENTS, render_buttons, split_message, to_gsm_friendly
from channels.turns import FailedTurns
from shared.purposes import NO_COLLECTION_CONTENT, purpose_of
from shared.twilio_form import FormParams, parse_form
from shared.vocabulary import Channel
from shared.wire import InboundResult

logger = logging.getLogger(__name__)

CHANNEL = Channel.SMS
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
INBOUND_MAX_CHARS = 65_536
MAX_MEDIA = 10
MEDIA_ONLY_REPLY = "Thanks. I can't open pictures or attachments here: please type your message as text."
REQUIRED_CREDENTIALS = ("account_sid", "auth_token", "public_base_url", "api_url", "api_token")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class TwilioConfig:
    """The channel's settings, from credentials.yml."""

    account_sid: str
    auth_token: str
    public_base_url: str
    api_url: str
    api_token: str
    webhook_url: str | None = None
    max_segments: int = DEFAULT_MAX_SEGMENTS
    api_timeout: float = 5.0
    ack_port: int | None = None
    ack_host: str = "0.0.0.0"  # noqa: S104 (as Rasa's own server; the proxy decides what is public)


async def health(_: Request) -> HTTPResponse:
    """GET /webhooks/twilio/: the channel is mounted (on Rasa's port, and on the ack port when it has one)."""
    return response.json({"status": "ok"})


def inbound_sms(params: FormParams) -> InboundSms | None:
    """The message Twilio posted, or None without a MessageSid."""
    sid = params.first("MessageSid") or params.first("SmsMessageSid") or params.first("SmsSid")
    if not sid:
        return None
    try:
        num_media = min(max(int(params.first("NumMedia") or 0), 0), MAX_MEDIA)
    except ValueError:
        num_media = 0
    media = [
        {
            "url": params.first(f"MediaUrl{i}") or "",
            "content_type": params.first(f"MediaContentType{i}") or "",
        }
        for i in range(num_media)
        if params.first(f"MediaUrl{i}")
    ]
    body = (params.first("Body") or "")[:INBOUND_MAX_CHARS]
    return InboundSms(sid, params.first("From"), params.first("To"), body, num_media, media)


class SmsOutputChannel(OutputChannel):  # type: ignore[misc]
    """Posts each bot reply to the API's outbound path; holds nothing but the ids of the message answered."""

    def __init__(
        self, api: MessagingApi, in_reply_to: str, account_id: str | None, max_segments: int
    ) -> None:
        self.api, self.in_reply_to, self.account_id = api, in_reply_to, account_id
        self.max_segments = max_segments
        self.queued: list[str] = []

    @classmethod
    def name(cls) -> str:
        """Rasa names the output channel after the input channel."""
        return "twilio"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send a text (split into several texts if it is over the segment cap)."""
        await self._send(recipient_id, text, None, purpose_of(kwargs))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send the text with numbered options; the API remembers the buttons for the debtor's "1"/"2"."""
        offered = [{"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))} for b in buttons]
        offered = [b for b in offered if b["title"] and b["payload"]]
        await self._send(recipient_id, render_buttons(text, offered), offered or None, purpose_of(kwargs))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Images go as their link."""
        await self._send(recipient_id, image, None)

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        """Attachments go as their link."""
        await self._send(recipient_id, str(attachment), None)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """Custom payloads are for rich channels: SMS sends only a "text" they carry."""
        if isinstance(json_message.get("text"), str):
            await self._send(recipient_id, json_message["text"], None, purpose_of(kwargs))

    async def _send(
        self,
        conversation_id: str,
        text: str,
        buttons: list[dict[str, str]] | None,
        purpose: str | None = None,
    ) -> None:
        parts = split_message(to_gsm_friendly(text), self.max_segments)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            sms = OutboundText(
                conversation_id=conversation_id,
                body=part,
                kind="reply",
                idempotency_key=f"reply:{self.in_reply_to}:{len(self.queued)}",
                account_id=self.account_id,
                in_reply_to=self.in_reply_to,
                buttons=buttons if last else None,
                purpose=purpose,
            )
            try:
                result = await self.api.send_outbound(sms)
            except MessagingApiError as error:
                logger.error(
                    "reply not queued", extra={"conversation_id": conversation_id, "error": str(error)}
                )
                return
            self.queued.append(result.status)


class TwilioInput(InputChannel):  # type: ignore[misc]
    """The Twilio SMS input channel (credentials.yml key: channels.twilio.TwilioInput)."""

    @classmethod
    def name(cls) -> str:
        """URL prefix: /webhooks/twilio/."""
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TwilioInput:
        """Build the channel; fails at startup, naming them, when credentials are missing or unexpanded."""
        credentials = credentials or {}
        values = {key: str(credentials.get(key) or "").strip() for key in REQUIRED_CREDENTIALS}
        # An unquoted ${VAR} is expanded by Rasa; a quoted "${VAR}" arrives as that literal text.
        missing = [key for key, value in values.items() if not value or "${" in value]
        if missing:
            raise ChannelConfigError(
                f"twilio channel: credentials missing or not expanded: {', '.join(missing)} "
                "(set the environment variables; write ${VAR} unquoted in credentials.yml)"
            )
        config = TwilioConfig(
            account_sid=values["account_sid"],
            auth_token=values["auth_token"],
            public_base_url=values["public_base_url"],
            api_url=values["api_url"],
            api_token=values["api_token"],
            webhook_url=credentials.get("webhook_url") or None,
            max_segments=int(credentials.get("max_segments") or DEFAULT_MAX_SEGMENTS),
            api_timeout=float(credentials.get("api_timeout") or 5.0),
            ack_port=int(credentials["ack_port"]) if credentials.get("ack_port") else None,
            ack_host=str(credentials.get("ack_host") or TwilioConfig.ack_host),
        )
        return cls(config)

    def __init__(self, config: TwilioConfig, api: MessagingApi | None = None) -> None:
        self.config = config
        self.api = api or self._new_api()
        self._validator = RequestValidator(config.auth_token)
        # Off Rasa's loop the inbox runs on the webhook's loop, replies on Rasa's: a client (pool) for each.
        self.inbox = InboxBatcher(self._new_api() if api is None and config.ack_port else self.api)
        self.turns = FailedTurns(CHANNEL, self.api)
        self._tasks: set[asyncio.Task[None]] = set()
        self._handed: set[concurrent.futures.Future[None]] = set()
        self._turn_loop: asyncio.AbstractEventLoop | None = None
        self.ack_server: AckServer | None = None

    def _new_api(self) -> MessagingApi:
        return MessagingApi(self.config.api_url, self.config.api_token, self.config.api_timeout)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """GET / for health, POST /webhook for Twilio."""
        twilio_webhook = Blueprint("sms_twilio_webhook", __name__)

        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        twilio_webhook.add_route(health, "/", methods=["GET"])
        if self.config.ack_port is None:
            twilio_webhook.add_route(receive, "/webhook", methods=["POST"])
        else:
            self._serve_off_loop(twilio_webhook, on_new_message)
        return cap_body_size(twilio_webhook)

    def _serve_off_loop(self, rasa_side: Blueprint, on_new_message: OnNewMessage) -> None:
        """Start the webhook's own server when Rasa's starts (turns go to its loop); stop it with Rasa's."""

        async def start(_: Sanic, loop: asyncio.AbstractEventLoop) -> None:
            self.start_ack_server(loop, on_new_message)

        async def stop(_: Sanic, __: asyncio.AbstractEventLoop) -> None:
            self.stop_ack_server()

        rasa_side.listener("after_server_start")(start)
        rasa_side.listener("before_server_stop")(stop)

    def start_ack_server(self, turn_loop: asyncio.AbstractEventLoop, on_new_message: OnNewMessage) -> None:
        """Serve POST /webhooks/twilio/webhook on `ack_port`, on a thread; turns run on `turn_loop`."""
        assert self.config.ack_port is not None
        self._turn_loop = turn_loop
        app = Sanic(f"twilio-ack-{uuid.uuid4().hex[:8]}")
        app.blueprint(self.ack_blueprint(on_new_message), url_prefix=f"/webhooks/{self.name()}")
        self.ack_server = AckServer(app, self.config.ack_host, self.config.ack_port)
        self.ack_server.start()

    def stop_ack_server(self) -> None:
        """Stop serving the webhook off Rasa's loop (turns already handed over still run)."""
        if self.ack_server is not None:
            if self.inbox.api is not self.api:
                closed = asyncio.run_coroutine_threadsafe(self.inbox.api.aclose(), self.ack_server.loop)
                closed.result(self.config.api_timeout)
            self.ack_server.stop()
            self.ack_server = None

    def ack_blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The webhook and a GET / health (what readiness probes ask), for the server on its own loop."""
        ack = Blueprint("sms_twilio_ack", __name__)

        async def receive(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        ack.add_route(health, "/", methods=["GET"])
        ack.add_route(receive, "/webhook", methods=["POST"])
        return cap_body_size(ack)

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """Twilio's ids for the message (never the numbers)."""
        params = parse_form(request.body or b"")
        return {"channel": CHANNEL, "message_sid": params.first("MessageSid")}

    def signed_url(self, request: Request) -> str:
        """The URL Twilio signed: the public one, since a proxy changes host, scheme and port."""
        url = self.config.webhook_url or self.config.public_base_url.rstrip("/") + request.path
        return f"{url}?{request.query_string}" if request.query_string else url

    async def handle(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        """Validate, store, then acknowledge; the conversation itself runs in the background."""
        params = parse_form(request.body or b"")
        signature = request.headers.get("X-Twilio-Signature")
        if not signature or not self._validator.validate(self.signed_url(request), params, signature):
            return response.text("invalid signature", status=403)
        if params.first("AccountSid") != self.config.account_sid:
            return response.text("unknown account", status=403)
        sms = inbound_sms(params)
        if sms is None:
            return response.text("missing MessageSid", status=400)
        try:
            result = await self.inbox.store(sms)
        except MessagingApiError as error:
            logger.error(
                "inbound sms not stored", extra={"message_sid": sms.message_sid, "error": str(error)}
            )
            return response.text("temporarily unavailable", status=503)
        if result.duplicate:
            return twiml()
        if not result.accepted:
            reason = "missing From" if not sms.sender else "From is not a phone number"
            return response.text(reason, status=400)
        if result.keyword is None:
            self._spawn(self.process(sms, result, on_new_message))
        return twiml()

    async def process(self, sms: InboundSms, result: InboundResult, on_new_message: OnNewMessage) -> None:
        """Hand the message to Rasa (or answer media-only messages); replies go to the outbound path."""
        conversation = str(result.conversation_id)
        output = SmsOutputChannel(self.api, sms.message_sid, result.account_id, self.config.max_segments)
        said = (result.button_payload or sms.body).strip()
        if not said:
            if sms.num_media:
                await output.send_text_message(conversation, MEDIA_ONLY_REPLY, purpose=NO_COLLECTION_CONTENT)
            return
        text = await screen(said, output, conversation)
        if text is None:
            return
        message = UserMessage(
            text,
            output,
            sender_id=conversation,
            input_channel=self.name(),
            message_id=sms.message_sid,
            metadata={"account_id": result.account_id, "channel": CHANNEL, "message_sid": sms.message_sid},
        )
        await self.turns.run(on_new_message, message)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` in the background on Rasa's loop (this one, or the one turns are handed to)."""
        if self._turn_loop is not None and self._turn_loop is not asyncio.get_running_loop():
            handed = asyncio.run_coroutine_threadsafe(work, self._turn_loop)
            self._handed.add(handed)
            handed.add_done_callback(self._handed.discard)
            return
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the background work in flight (tests, graceful shutdown)."""
        while self._tasks or self._handed:
            waits = [*self._tasks, *(asyncio.wrap_future(f) for f in list(self._handed))]
            await asyncio.gather(*waits, return_exceptions=True)


def twiml() -> HTTPResponse:
    """Empty TwiML: Twilio sends nothing itself; our replies go through the REST API."""
    return response.text(EMPTY_TWIML, content_type="text/xml")
