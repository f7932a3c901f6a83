"""The bot's responses from the API (edited by marketing), with domain.yml as the fallback.

Rasa 3.6 loads this class from endpoints.yml (`nlg: type: channels.nlg.FallbackNaturalLanguageGenerator`)
through NaturalLanguageGenerator.create, which passes the endpoint config and the domain. Each message is
asked of the API's NLG route in Rasa's callback protocol, within a short timeout; when the API is down,
slow, answers an error or something invalid, the message comes from domain.yml as Rasa's
TemplatedNaturalLanguageGenerator makes it. It *is* a templated generator on purpose: under `rasa run` it
is built before the model is loaded (with an empty domain), and the Agent gives the loaded model's
responses only to templated generators (rasa/core/agent.py, load_model), on every model load.

The request is the one Rasa's CallbackNaturalLanguageGenerator sends (its `nlg_request_format`, its
`fetch_response_id` for the variation id), but with only the tracker's conversation id and slots (what
the API reads; api.responses.schemas.NlgTracker), not every event of the conversation; the answer is
held to its `nlg_response_format_spec`; and the call is made here, on one kept-alive connection and with
the schema compiled once: the callback generator opens a new HTTP session per message and recompiles
the schema on every answer (about 4 ms each), which measured 19 ms per message against 3 ms this way
(scripts/bench_nlg.py).
It lives in channels/, not bot/, so that it is not part of the model's hash.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import aiohttp
import jsonschema  # type: ignore[import-untyped]
from rasa.core.nlg.callback import (  # type: ignore[import-untyped]
    CallbackNaturalLanguageGenerator,
    nlg_response_format_spec,
)
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from rasa.shared.core.domain import Domain  # type: ignore[import-untyped]
    from rasa.shared.core.trackers import DialogueStateTracker  # type: ignore[import-untyped]
    from rasa.utils.endpoints import EndpointConfig  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 0.5
"""Far longer than the API's answer takes (a few ms), short enough that nobody waits on a hung API."""
FAILURES = (asyncio.TimeoutError, aiohttp.ClientError, jsonschema.ValidationError, ValueError, OSError)
"""Timeout, refused or dropped connection, HTTP status >= 400, not JSON, or not an NLG answer."""
_ANSWER = jsonschema.Draft202012Validator(nlg_response_format_spec())


def nlg_request(
    utter_action: str,
    tracker: DialogueStateTracker,
    output_channel: str,
    response_id: str | None,
    arguments: dict[str, Any],
) -> dict[str, Any]:
    """Rasa's NLG request (`nlg_request_format`) with the tracker cut to what the API reads: the
    conversation id and the slots. Rasa's sends the whole tracker, every event serialised, on every
    message: its cost grew with the conversation (issue 15)."""
    return {
        "response": utter_action,
        "id": response_id,
        "arguments": arguments,
        "tracker": {"sender_id": tracker.sender_id, "slots": tracker.current_slot_values()},
        "channel": {"name": output_channel},
    }


class FallbackNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):  # type: ignore[misc]
    """Ask the API (the live, edited responses); say domain.yml's response when it cannot answer."""

    def __init__(self, endpoint_config: EndpointConfig, domain: Domain | None = None) -> None:
        """The API's endpoint (url, headers) from endpoints.yml; `timeout` in seconds is optional."""
        super().__init__(domain.responses if domain is not None else {})
        self.endpoint = endpoint_config
        self.timeout = float(endpoint_config.kwargs.get("timeout", DEFAULT_TIMEOUT_SECONDS))
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        """The API's message for `utter_action`, else domain.yml's."""
        try:
            return await asyncio.wait_for(
                self._from_api(utter_action, tracker, output_channel, kwargs), self.timeout
            )
        except FAILURES as error:
            logger.warning("nlg: %s from domain.yml (API: %s)", utter_action, type(error).__name__)
        answer: dict[str, Any] | None = await super().generate(
            utter_action, tracker, output_channel, **kwargs
        )
        return answer

    async def _from_api(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        """POST Rasa's NLG request (with the domain's variation id) and check the answer as Rasa does."""
        arguments = {key: value for key, value in kwargs.items() if key != "domain_responses"}
        fetch_id = CallbackNaturalLanguageGenerator.fetch_response_id
        response_id = fetch_id(utter_action, tracker, output_channel, self.responses)
        body = nlg_request(utter_action, tracker, output_channel, response_id, arguments)
        params = self.endpoint.combine_parameters()
        async with self._client().post(self.endpoint.url, json=body, params=params) as reply:
            reply.raise_for_status()
            message = await reply.json()
        if not isinstance(message, dict):
            raise ValueError("the NLG answer is not an object")
        _ANSWER.validate(message)
        return message

    def _client(self) -> aiohttp.ClientSession:
        """One kept-alive session per event loop (Rasa runs one; tests start a new one per test)."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            self._session = aiohttp.ClientSession(headers=self.endpoint.headers)
            self._session_loop = loop
        return self._session
