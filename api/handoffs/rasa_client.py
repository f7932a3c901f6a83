"""Rasa's HTTP API as the accounts API uses it: hand a conversation back to the bot, deliver agent replies.

The pause itself lives in the conversation's tracker (the `handed_off` slot), so any number of Rasa
processes agree on it; the API changes it through Rasa's own endpoint, with Rasa's token.
"""

import logging
from typing import Any
from urllib.parse import quote

import httpx

from api.core.config import Settings
from api.handoffs.exceptions import RasaUnavailableError

__all__ = ["RasaClient", "RasaUnavailableError"]

logger = logging.getLogger(__name__)

HANDED_OFF_SLOT = "handed_off"
TIMEOUT_SECONDS = 5.0


class RasaClient:
    """Appends events to a conversation's tracker through Rasa's HTTP API."""

    def __init__(
        self, base_url: str, token: str | None, transport: httpx.BaseTransport | None = None
    ) -> None:
        """`token` None (RASA_TOKEN unset): every call fails with RasaUnavailableError, naming it."""
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._transport = transport

    @classmethod
    def from_settings(cls, settings: Settings) -> "RasaClient":
        """The client of RASA_URL with RASA_TOKEN."""
        token = settings.RASA_TOKEN.get_secret_value() if settings.RASA_TOKEN else None
        return cls(settings.RASA_URL, token)

    def release(self, conversation_id: str) -> None:
        """The bot answers this conversation again, with its slots (verified state included) intact."""
        self._append(conversation_id, [{"event": "slot", "name": HANDED_OFF_SLOT, "value": False}], False)

    def agent_message(self, conversation_id: str, text: str, *, deliver: bool) -> None:
        """Record an agent's reply in the transcript; `deliver` also sends it down the debtor's socket.

        SMS replies go out through the outbox instead (`deliver=False`): Rasa only records them.
        """
        event = {"event": "bot", "text": text, "metadata": {"sender": "agent"}}
        self._append(conversation_id, [event], deliver)

    def record(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        """Append events to the conversation's tracker without sending anything (e.g. a campaign reminder
        the outbox sends by SMS, so the debtor's answer is read in its context)."""
        self._append(conversation_id, events, False)

    def _append(self, conversation_id: str, events: list[dict[str, Any]], deliver: bool) -> None:
        if not self._token:
            raise RasaUnavailableError("RASA_TOKEN is not set")
        params = {"token": self._token}
        if deliver:
            params |= {"output_channel": "latest", "execute_side_effects": "true"}
        url = f"{self._base_url}/conversations/{quote(conversation_id, safe='')}/tracker/events"
        try:
            with httpx.Client(timeout=TIMEOUT_SECONDS, transport=self._transport) as client:
                response = client.post(url, params=params, json=events)
        except httpx.HTTPError as error:
            logger.warning("rasa unreachable: %s", type(error).__name__)
            raise RasaUnavailableError(type(error).__name__) from error
        if response.status_code != httpx.codes.OK:
            logger.warning("rasa refused the events: status %s", response.status_code)
            raise RasaUnavailableError(f"status {response.status_code}")
