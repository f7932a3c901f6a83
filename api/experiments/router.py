"""Rasa's NLG route: a running experiment's variant for the conversation, else the live response.

It replaces api.responses' NLG route in api.main; the rendering is the same code (api.responses.rendering).
"""

from typing import Any

from fastapi import APIRouter, HTTPException, status
from fastapi.concurrency import run_in_threadpool

from api.core.dependencies import ServiceAuth, SessionDep, SettingsDep
from api.experiments import service
from api.responses import live
from api.responses.rendering import Variation, choose
from api.responses.schemas import NlgRequest

nlg_router = APIRouter(tags=["nlg"], dependencies=[ServiceAuth])


def _variant(session: SessionDep, body: NlgRequest) -> list[Variation] | None:
    """The conversation's variant of the response's running experiment (its exposure recorded), if any."""
    experiment = service.running(session, body.response)
    if experiment is None or not body.tracker.sender_id:
        return None
    variant = service.assign(session, experiment, body.tracker.sender_id)
    session.commit()
    return variant.variations


@nlg_router.post("/nlg", responses={404: {"description": "Unknown response, or no variation fits"}})
async def generate(body: NlgRequest, session: SessionDep, settings: SettingsDep) -> dict[str, Any]:
    """The bot's next message for `response`: the experiment's variant or the live version, rendered alike."""
    variations = await run_in_threadpool(_variant, session, body)
    if variations is None:
        variations = await live.variations(settings.DATABASE_URL, body.response)
    if variations is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "response not found")
    message = choose(variations, body.channel.name or "", body.tracker.slots, body.arguments)
    if message is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "variation not found")
    return message
