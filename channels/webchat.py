"""Webchat: Rasa's socket.io channel with signed session tokens, and an enter_room that works on any
python-socketio.

Rasa 3.6's `SocketIOInput` lets any client claim any `session_id` (its `jwt_key` only checks that the
connect carries some valid token) and calls `AsyncServer.enter_room` without await, which since
python-socketio 5.10 means the socket never joins its session room and never sees a reply. Here the
page's token (HS256, `sub` = session id, `exp` required) is checked at connect, the socket is bound to
that one session, and every `session_request` / `user_uttered` naming another session is refused.
A personal link (shared/personal_link.py) binds the conversation to an account, not verified: the page
puts the link's token in every message's `customData`; the channel checks its signature and expiry and
hands Rasa `account_id` in the message metadata instead (the token never reaches the tracker), as the SMS
channel does for the number on an account. A refused token binds nothing.
A message over the size cap is answered with a request for a shorter one and never reaches Rasa; card
numbers and SSNs are cut out of the rest before Rasa (and its tracker store) sees it (channels/inbound.py).

Every line the bot emits passes the compliance gate first (`GatedOutput`, channels/gate.py), with the
purpose of its response (shared/purposes.py): the API records it like an SMS and says whether it may go.
An agent's reply arrives through Rasa's HTTP API already gated by the accounts API (api/handoffs/actions.py)
and is emitted as it is. The crisis line is never held back by the gate (it is logged if the gate objects).
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rasa.core.channels.channel import (  # type: ignore[import-untyped]
    InputChannel,
    OutputChannel,
    UserMessage,
)
from rasa.core.channels.socketio import (  # type: ignore[import-untyped]
    SocketBlueprint,
    SocketIOInput,
    SocketIOOutput,
)
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer  # type: ignore[import-untyped]
from socketio.exceptions import ConnectionRefusedError  # type: ignore[import-untyped]

from channels.gate import DEFAULT_TIMEOUT_SECONDS, ApiGate, Gate, Line
from channels.inbound import MAX_BODY_BYTES, MESSAGE_TOO_LONG_REPLY, screen
from channels.pii import PII_REMOVED_REPLY
from channels.turns import SERVICE_TROUBLE_REPLY, FailedTurns
from shared import personal_link, webchat_token
from shared.buttons import OfferedButtons
from shared.purposes import LIFELINE_RESPONSES, purpose_of
from shared.vocabulary import Channel

logger = logging.getLogger(__name__)

JWT_SECRET_ENV = "WEBCHAT_JWT_SECRET"  # noqa: S105 (a variable name, not a secret)
LINK_SECRET_ENV = "SECRET_KEY"  # noqa: S105 (a variable name): the key personal links derive theirs from
ALLOWED_ORIGINS_ENV = "WEBCHAT_ALLOWED_ORIGINS"
SOCKETIO_REDIS_ENV = "WEBCHAT_SOCKETIO_REDIS_URL"
"""Several Rasa processes: the Redis each emits through, so a reply reaches its socket on any process."""
DEFAULT_ALLOWED_ORIGINS = ("http://localhost:8000", "http://127.0.0.1:8000")
MIN_SECRET_LENGTH = 32
ALGORITHMS = webchat_token.ALGORITHMS
TOKEN_FIELD = "token"  # noqa: S105 (a field name)
SESSION_KEY = "session_id"
METADATA: Mapping[str, str] = {"channel": Channel.WEBCHAT}
CUSTOM_DATA = "customData"
"""Where the rasa-webchat widget puts its `customData` in every `user_uttered` payload."""
ACCOUNT_KEY = "account_id"
GATE_CREDENTIALS = ("api_url", "api_token")
FIXED_REPLIES = frozenset({PII_REMOVED_REPLY, MESSAGE_TOO_LONG_REPLY, SERVICE_TROUBLE_REPLY})
"""The channel's own replies, linted like the response templates (tests/test_response_templates.py)."""
AGENT_SENDER = "agent"
"""`metadata.sender` of an agent's reply that the accounts API gated and handed to Rasa."""


class WebchatConfigError(ValueError):
    """The webchat channel's credentials or environment are incomplete or unsafe."""


def session_from_token(token: object, key: str, algorithm: str) -> str | None:
    """The session id (`sub`) of a valid, unexpired token signed with `key`; None for anything else."""
    if not isinstance(token, str) or not token:
        return None
    try:
        return webchat_token.decode(token, key, algorithm)
    except webchat_token.InvalidTokenError as error:
        logger.info("webchat token refused", extra={"reason": type(error).__name__})
        return None


def token_from_handshake(environ: Mapping[str, Any], auth: object) -> object:
    """The token from the socket.io `auth` payload, else from the `token` query parameter.

    socket.io clients that can set `auth` (socket.io-client >= 3) should; the rasa-webchat widget
    cannot, so the page puts the short-lived token in the socket URL's query string.
    """
    if isinstance(auth, dict) and auth.get(TOKEN_FIELD):
        return auth[TOKEN_FIELD]
    values = parse_qs(str(environ.get("QUERY_STRING", ""))).get(TOKEN_FIELD)
    return values[0] if values else None


async def enter_room(sio: AsyncServer, sid: str, room: str, namespace: str | None) -> None:
    """Join `room`, awaiting when python-socketio (>= 5.10) made `enter_room` a coroutine."""
    joined = sio.enter_room(sid, room, namespace=namespace)
    if inspect.isawaitable(joined):
        await joined


def allowed_origins(credentials: Mapping[str, Any]) -> list[str] | str:
    """The origins allowed to open a socket: credentials, else WEBCHAT_ALLOWED_ORIGINS, else localhost.

    `*` allows every origin (the token still guards every session).
    """
    configured = credentials.get("cors_allowed_origins") or os.environ.get(ALLOWED_ORIGINS_ENV, "")
    origins = configured if isinstance(configured, list) else str(configured).split(",")
    cleaned = [origin.strip().rstrip("/") for origin in origins if origin.strip()]
    if "*" in cleaned:
        return "*"
    return cleaned or list(DEFAULT_ALLOWED_ORIGINS)


def jwt_secret(credentials: Mapping[str, Any]) -> str:
    """The HMAC key for session tokens; fails loudly when it is missing or too short to be safe."""
    secret = str(credentials.get("jwt_key") or os.environ.get(JWT_SECRET_ENV, ""))
    if len(secret) < MIN_SECRET_LENGTH:
        raise WebchatConfigError(
            f"webchat needs {JWT_SECRET_ENV} (at least {MIN_SECRET_LENGTH} characters), "
            "the same value the accounts API signs session tokens with"
        )
    return secret


def jwt_algorithm(credentials: Mapping[str, Any]) -> str:
    """The HMAC algorithm for session tokens: HS256 unless credentials name another HMAC one."""
    algorithm = str(credentials.get("jwt_method") or webchat_token.SIGNING_ALGORITHM)
    if algorithm not in ALGORITHMS:
        raise WebchatConfigError(f"webchat jwt_method must be one of {', '.join(ALGORITHMS)}")
    return algorithm


def link_secret(credentials: Mapping[str, Any]) -> str:
    """The key personal links are checked with (SECRET_KEY); empty disables them: no chat is bound."""
    secret = str(credentials.get("link_secret") or os.environ.get(LINK_SECRET_ENV, ""))
    if len(secret) < MIN_SECRET_LENGTH:
        logger.warning("webchat: no SECRET_KEY, personal links bind nothing")
        return ""
    return secret


def bound_account(data: Mapping[str, Any], secret: str) -> dict[str, str]:
    """`{"account_id": ...}` when the message carries a valid personal link, else nothing."""
    custom = data.get(CUSTOM_DATA)
    token = custom.get(personal_link.METADATA_FIELD) if isinstance(custom, dict) else None
    if token is None:
        return {}
    account_id = personal_link.account_of(token, secret)
    if account_id is None:
        logger.info("webchat personal link refused: the conversation stays unbound")
        return {}
    return {ACCOUNT_KEY: account_id}


def gate_from(credentials: Mapping[str, Any]) -> ApiGate:
    """The accounts API's compliance gate from credentials.yml; fails loudly when it is not configured."""
    values = {key: str(credentials.get(key) or "").strip() for key in GATE_CREDENTIALS}
    missing = [key for key, value in values.items() if not value or "${" in value]
    if missing:
        raise WebchatConfigError(
            f"webchat needs the accounts API for its compliance gate: {', '.join(missing)} missing or not "
            "expanded (ACCOUNTS_API_URL and API_TOKEN, written ${VAR} unquoted in credentials.yml)"
        )
    timeout = float(credentials.get("api_timeout") or DEFAULT_TIMEOUT_SECONDS)
    return ApiGate.connect(values["api_url"], values["api_token"], timeout)


def shown(content: object) -> str:
    """What a debtor would read of a message part: text as it is, anything else as its JSON."""
    return content if isinstance(content, str) else json.dumps(content, default=str)


class GatedOutput(SocketIOOutput):  # type: ignore[misc]
    """Rasa's socket.io output with every message through the compliance gate before it is emitted."""

    def __init__(
        self,
        sio: AsyncServer,
        bot_message_evt: str,
        gate: Gate,
        in_reply_to: str | None = None,
        offered: OfferedButtons | None = None,
    ) -> None:
        """`in_reply_to`: the debtor's message being answered; None for events sent from outside.
        `offered` remembers the buttons sent, so that typing a button's title picks it."""
        super().__init__(sio, bot_message_evt)
        self.gate, self.in_reply_to = gate, in_reply_to
        self.offered = offered if offered is not None else OfferedButtons()
        self._key, self._lines = in_reply_to or uuid.uuid4().hex, 0

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """The text, if the gate allows it."""
        if await self._allowed(recipient_id, text, kwargs):
            await super().send_text_message(recipient_id, text, **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """The text and its buttons (their titles are read too), if the gate allows them."""
        titles = [str(button.get("title", "")) for button in buttons]
        if await self._allowed(recipient_id, "\n".join([text, *titles]), kwargs):
            await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)
            self.offered.offer(recipient_id, buttons)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """The image link, if the gate allows it."""
        if await self._allowed(recipient_id, image, kwargs):
            await super().send_image_url(recipient_id, image, **kwargs)

    async def send_attachment(self, recipient_id: str, attachment: dict[str, Any], **kwargs: Any) -> None:
        """The attachment, if the gate allows what it shows."""
        if await self._allowed(recipient_id, shown(attachment), kwargs):
            await super().send_attachment(recipient_id, attachment, **kwargs)

    async def send_elements(
        self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any
    ) -> None:
        """The elements, if the gate allows what they show."""
        listed = list(elements)
        if await self._allowed(recipient_id, shown(listed), kwargs):
            await super().send_elements(recipient_id, listed, **kwargs)

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """A custom payload, if the gate allows what it shows."""
        if await self._allowed(recipient_id, shown(json_message), kwargs):
            await super().send_custom_json(recipient_id, json_message, **kwargs)

    async def _allowed(self, recipient_id: str, text: str, message: Mapping[str, Any]) -> bool:
        if self.in_reply_to is None and message.get("sender") == AGENT_SENDER:
            return True  # gated (and recorded) by the accounts API before it reached Rasa
        allowed = await self.gate.allows(self._line(recipient_id, text, message))
        if not allowed and message.get("utter_action") in LIFELINE_RESPONSES:
            extra = {"conversation_id": recipient_id}
            logger.error("the compliance gate held back the crisis line: sent anyway", extra=extra)
            return True
        return allowed

    def _line(self, recipient_id: str, text: str, message: Mapping[str, Any]) -> Line:
        self._lines += 1
        return Line(
            conversation_id=recipient_id,
            text=text,
            idempotency_key=f"webchat:{self._key}:{self._lines}",
            purpose=purpose_of(message),
            linted=isinstance(message.get("utter_action"), str) or text in FIXED_REPLIES,
            in_reply_to=self.in_reply_to,
            kind="reply" if self.in_reply_to else "system",
        )


def client_manager(redis_url: str) -> AsyncRedisManager | None:
    """Emits published through Redis to every Rasa process, each delivering to the sockets it holds (an
    agent's reply reaches Rasa's HTTP API on any copy behind the proxy); None: in this process only.

    One pub/sub channel per Redis database number, as the stores are separated: pub/sub ignores numbers.
    """
    if not redis_url:
        return None
    database = urlsplit(redis_url).path.strip("/") or "0"
    return AsyncRedisManager(redis_url, channel=f"debtbot-webchat-{database}")


class WebchatInput(SocketIOInput):  # type: ignore[misc]
    """Rasa's socket.io channel, each socket bound to the one session its signed token names."""

    @classmethod
    def name(cls) -> str:
        """URL prefix of the health route (`/webhooks/webchat/`) and the messages' input channel."""
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build from credentials.yml; raises WebchatConfigError on a missing secret."""
        credentials = credentials or {}
        if credentials.get("session_persistence") is False:
            raise WebchatConfigError("webchat always persists sessions: remove session_persistence: false")
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            jwt_key=jwt_secret(credentials),
            jwt_method=jwt_algorithm(credentials),
            cors_allowed_origins=allowed_origins(credentials),
            gate=gate_from(credentials),
            link_key=link_secret(credentials),
            socketio_redis_url=str(
                credentials.get("socketio_redis_url") or os.environ.get(SOCKETIO_REDIS_ENV, "")
            ),
        )

    def __init__(
        self,
        *,
        gate: Gate,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        namespace: str | None = None,
        socketio_path: str = "/socket.io",
        jwt_key: str | None = None,
        jwt_method: str = webchat_token.SIGNING_ALGORITHM,
        cors_allowed_origins: list[str] | str | None = None,
        link_key: str = "",
        socketio_redis_url: str = "",
    ) -> None:
        """A channel that refuses every socket unless `jwt_key` is set (no anonymous webchat), and emits
        nothing the compliance `gate` has not allowed; `link_key` (SECRET_KEY) checks personal links;
        `socketio_redis_url` shares emits between Rasa processes (empty: this process only)."""
        super().__init__(
            user_message_evt, bot_message_evt, namespace, True, socketio_path, jwt_key, jwt_method
        )
        self.gate, self.link_key = gate, link_key
        self.turns = FailedTurns(Channel.WEBCHAT, gate.api if isinstance(gate, ApiGate) else None)
        self.socketio_redis_url = socketio_redis_url
        self.offered = OfferedButtons()
        self.cors_allowed_origins = cors_allowed_origins or list(DEFAULT_ALLOWED_ORIGINS)

    def get_output_channel(self) -> OutputChannel | None:
        """The output for events sent from outside a debtor's message (Rasa's HTTP API): gated too."""
        if self.sio is None:
            return super().get_output_channel()
        return GatedOutput(self.sio, self.bot_message_evt, self.gate, offered=self.offered)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The socket.io server (mounted at `socketio_path`) plus a health route."""
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.cors_allowed_origins,
            max_http_buffer_size=MAX_BODY_BYTES,
            client_manager=client_manager(self.socketio_redis_url),
        )
        self.sio = sio
        webhook = SocketBlueprint(sio, self.socketio_path or "/socket.io", "webchat_webhook", __name__)
        webhook.add_route(self._health, "/", methods=["GET"])
        sio.on("connect", self._connect_handler(sio), namespace=self.namespace)
        sio.on("session_request", self._session_handler(sio), namespace=self.namespace)
        sio.on(self.user_message_evt, self._message_handler(sio, on_new_message), namespace=self.namespace)
        blueprint: Blueprint = webhook
        return blueprint

    @staticmethod
    async def _health(_: Request) -> HTTPResponse:
        """Liveness of the channel for load balancers."""
        return response.json({"status": "ok"})

    def _connect_handler(self, sio: AsyncServer) -> Callable[..., Awaitable[bool]]:
        """Accept a socket only with a valid token, and remember the one session it may use."""

        async def connect(sid: str, environ: dict[str, Any], auth: object = None) -> bool:
            token = token_from_handshake(environ, auth)
            session_id = session_from_token(
                token, self.jwt_key or "", self.jwt_algorithm or webchat_token.SIGNING_ALGORITHM
            )
            if session_id is None:
                logger.info("webchat connect refused", extra={"sid": sid})
                raise ConnectionRefusedError("a valid webchat session token is required")
            await sio.save_session(sid, {SESSION_KEY: session_id}, namespace=self.namespace)
            return True

        return connect

    async def _authorized_session(self, sio: AsyncServer, sid: str) -> str:
        """The session id the socket's token named at connect."""
        saved = await sio.get_session(sid, namespace=self.namespace)
        return str(saved[SESSION_KEY])

    def _session_handler(self, sio: AsyncServer) -> Callable[..., Awaitable[None]]:
        """Join the token's session room; a request for any other session joins nothing of it."""

        async def session_request(sid: str, data: object = None) -> None:
            session_id = await self._authorized_session(sio, sid)
            requested = data.get(SESSION_KEY) if isinstance(data, dict) else None
            if requested and requested != session_id:
                # Usually a stale id in the widget's storage; the widget adopts the confirmed one.
                logger.warning("webchat session_request for another session refused", extra={"sid": sid})
            await enter_room(sio, sid, session_id, self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return session_request

    def _message_handler(
        self, sio: AsyncServer, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Callable[..., Awaitable[None]]:
        """Hand the debtor's text to Rasa as the token's session; drop anything naming another."""

        async def handle_message(sid: str, data: object = None) -> None:
            session_id = await self._authorized_session(sio, sid)
            if not isinstance(data, dict) or data.get(SESSION_KEY) != session_id:
                logger.warning("webchat message for another session refused", extra={"sid": sid})
                return
            text = user_text(data)
            if text is None:
                # The widget sends its (unset) init payload on connect: nothing to hand to Rasa.
                logger.debug("webchat message without text ignored", extra={"sid": sid})
                return
            message_id = uuid.uuid4().hex
            output = GatedOutput(sio, self.bot_message_evt, self.gate, message_id, self.offered)
            allowed = await screen(text, output, session_id)
            if allowed is None:
                return
            message = UserMessage(
                self.offered.take(session_id, allowed) or allowed,
                output,
                session_id,
                input_channel=self.name(),
                message_id=message_id,
                metadata={**METADATA, **bound_account(data, self.link_key)},
            )
            await self.turns.run(on_new_message, message)

        return handle_message


def user_text(data: object) -> str | None:
    """The message text of a `user_uttered` payload; None when there is no text field."""
    if not isinstance(data, dict):
        return None
    text = data.get("message")
    return text if isinstance(text, str) else None
