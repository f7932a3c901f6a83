"""The reminder on the debtor's Rasa tracker: when they answer it, the bot knows what they answer.

Two events through Rasa's HTTP API (`POST /conversations/{id}/tracker/events`, without running anything):
the reminder as a bot utterance in the transcript, with the campaign, step and response in its metadata,
and the `last_reminder` slot naming the response, which actions and stories can condition on.
"""

from typing import Any

from api.campaigns.sending import Reminder
from api.handoffs.rasa_client import RasaClient

LAST_REMINDER_SLOT = "last_reminder"


def events(reminder: Reminder) -> list[dict[str, Any]]:
    """The tracker events of a queued reminder."""
    metadata = {
        "sender": "campaign",
        "campaign_id": reminder.campaign_id,
        "step_id": reminder.step_id,
        "response": reminder.response,
    }
    return [
        {"event": "bot", "text": reminder.text, "metadata": metadata},
        {"event": "slot", "name": LAST_REMINDER_SLOT, "value": reminder.response},
        # The bot then waits for the debtor, as after any turn: without it the reply to a reminder that
        # opened the conversation meets a tracker no policy can read, and gets the fallback.
        {"event": "action", "name": "action_listen"},
    ]


def inject(client: RasaClient, reminder: Reminder) -> None:
    """Put the reminder on the conversation's tracker (RasaUnavailableError when Rasa refuses)."""
    client.record(reminder.conversation_id, events(reminder))
