"""The bot's responses from the API (edited by marketing), with domain.yml as the fallback.

Rasa 3.6 loads this class from endpoints.yml (`nlg: type: channels.nlg.FallbackNaturalLanguageGenerator`)
through NaturalLanguageGenerator.create, which passes the endpoint config and the domain. Each message is
asked of the API's NLG route through Rasa's own CallbackNaturalLanguageGenerator, within a short timeout;
when the API is down, slow, answers an error or something invalid, the message comes from domain.yml as
Rasa's TemplatedNaturalLanguageGenerator makes it. It *is* a templated generator on purpose: under
`rasa run` it is built before the model is loaded (with an empty domain), and the Agent gives the loaded
model's responses only to templated generators (rasa/core/agent.py, load_model), on every model load.
It lives in channels/, not bot/, so that it is not part of the model's hash.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import aiohttp
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.exceptions import RasaException

if TYPE_CHECKING:
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 0.5
"""Longer than the API's answer takes (a few ms), short enough that nobody waits for a hung API."""
FAILURES = (asyncio.TimeoutError, aiohttp.ClientError, RasaException, ValueError, OSError)
"""Timeout, refused or dropped connection, HTTP status >= 400, invalid JSON or an invalid answer."""


class FallbackNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):
    """Ask the API (the live, edited responses); say domain.yml's response when it cannot answer."""

    def __init__(self, endpoint_config: EndpointConfig, domain: Domain | None = None) -> None:
        """The API's endpoint (url, headers) from endpoints.yml; `timeout` in seconds is optional."""
        super().__init__(domain.responses if domain is not None else {})
        self.remote = CallbackNaturalLanguageGenerator(endpoint_config)
        self.timeout = float(endpoint_config.kwargs.get("timeout", DEFAULT_TIMEOUT_SECONDS))

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        """The API's message for `utter_action`, else domain.yml's."""
        try:
            return await self._from_api(utter_action, tracker, output_channel, kwargs)
        except FAILURES as error:
            logger.warning("nlg: %s from domain.yml (API: %s)", utter_action, type(error).__name__)
        return await super().generate(utter_action, tracker, output_channel, **kwargs)

    async def _from_api(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        """The callback generator's answer within the timeout (it also sends the domain's variation id)."""
        arguments = {"domain_responses": self.responses, **kwargs}
        call = self.remote.generate(utter_action, tracker, output_channel, **arguments)
        return await asyncio.wait_for(call, timeout=self.timeout)
