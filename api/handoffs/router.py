"""Handoffs, the bot's side (service token): hand over, check the pause, pass messages both ways."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response, status

from api.core.dependencies import NowDep, ServiceAuth, SessionDep
from api.handoffs import service as handoffs
from api.handoffs.models import Handoff
from api.handoffs.schemas import AgentMessageOut, DebtorMessageIn, HandoffIn, HandoffOut, HandoffStateOut

router = APIRouter(tags=["handoffs"], dependencies=[ServiceAuth])

HandoffId = Annotated[str, Path(max_length=36, description="The handoff's id (a UUID).")]
ConversationPath = Annotated[str, Path(min_length=1, max_length=64, description="Rasa's sender id.")]
_NOT_OPEN: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown handoff"},
    409: {"description": "The handoff was released or closed: the bot has the conversation again"},
}


def _out(handoff: Handoff, created: bool = False) -> HandoffOut:
    return HandoffOut(
        id=handoff.id,
        conversation_id=handoff.conversation_id,
        channel=handoff.channel,
        reason=handoff.reason,
        priority=handoff.priority,
        status=handoff.status,
        created=created,
    )


@router.post("/handoffs", status_code=status.HTTP_201_CREATED, responses={200: {"model": HandoffOut}})
def create_handoff(body: HandoffIn, session: SessionDep, now: NowDep, response: Response) -> HandoffOut:
    """Pause the conversation for a person: 201 with a new handoff, or 200 with the open one.

    A second request for a conversation already handed over raises its priority when the new reason is
    more urgent (a crisis during a dispute handoff) and queues nothing new.
    """
    handoff, created = handoffs.create(session, body, now)
    if not created:
        response.status_code = status.HTTP_200_OK
    return _out(handoff, created)


@router.post("/handoffs/{handoff_id}/messages", responses=_NOT_OPEN)
def append_message(
    handoff_id: HandoffId, body: DebtorMessageIn, session: SessionDep, now: NowDep
) -> HandoffOut:
    """Give the agent a message the debtor sent while the conversation was paused."""
    handoff = handoffs.get(session, handoff_id)
    if handoff is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="handoff not found")
    if handoff.status not in handoffs.OPEN:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=f"handoff {handoff.status}")
    handoffs.append_debtor_message(session, handoff, body, now)
    return _out(handoff)


@router.get("/conversations/{conversation_id}/handoff")
def read_handoff_state(conversation_id: ConversationPath, session: SessionDep) -> HandoffStateOut:
    """Is a person in charge of this conversation right now? While `active`, the bot sends nothing."""
    handoff = handoffs.open_handoff(session, conversation_id)
    if handoff is None:
        return HandoffStateOut(active=False, handoff_id=None, status=None, reason=None)
    return HandoffStateOut(active=True, handoff_id=handoff.id, status=handoff.status, reason=handoff.reason)


@router.get("/conversations/{conversation_id}/agent-messages")
def list_agent_messages(
    conversation_id: ConversationPath,
    session: SessionDep,
    after: Annotated[
        int, Query(ge=0, description="The last `seq` already delivered (0: from the start).")
    ] = 0,
) -> list[AgentMessageOut]:
    """Agents' webchat replies after `after`, oldest first, for the bot to deliver on the socket."""
    entries = handoffs.agent_messages(session, conversation_id, after)
    return [AgentMessageOut(seq=entry.seq, text=entry.text, at=entry.at) for entry in entries]
