"""Rasa's HTTP API, for the routes that hand conversations back to the bot or deliver agents' replies."""

from typing import Annotated

from fastapi import Depends

from api.core.dependencies import SettingsDep
from api.handoffs.rasa_client import RasaClient


def get_rasa(settings: SettingsDep) -> RasaClient:
    """Rasa's HTTP API (RASA_URL, RASA_TOKEN); nothing connects until a call."""
    return RasaClient.from_settings(settings)


RasaDep = Annotated[RasaClient, Depends(get_rasa)]
