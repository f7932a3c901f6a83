"""Rasa's SQLEventBroker, configured by our endpoints.yml, writes what the API's insights ingest reads.

Bot environment: the broker is created from the endpoints file with Rasa's own loader, a tracker store
streams a conversation's events into it (as `rasa run` does), and the API environment (a subprocess)
migrates a fresh database and ingests them.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from channels.broker import SQLEventBroker
from stack.envfile import materialise, parse

ROOT = Path(__file__).resolve().parents[1]
API_PYTHON = ROOT / ".venv" / "api" / "bin" / "python"
INGEST = """
import json, sys
from pathlib import Path
from datetime import UTC, datetime
from api.core.config import Settings
from api.core.db import get_session_factory
from api.insights import ingest, labels
from api.insights.models import ReviewConversation
from tests.api.alembic_helpers import migrate
url, events, nlu = sys.argv[1], sys.argv[2], sys.argv[3]
migrate(url)
secrets = {"API_TOKEN": "t" * 16, "SECRET_KEY": "s" * 32}
settings = Settings(_env_file=None, DATABASE_URL=url, EVENT_BROKER_URL=events, **secrets)
with get_session_factory(url)() as session:
    report = ingest.run_pass(settings, session, datetime.now(UTC))
    conversation = session.query(ReviewConversation).one()
    labels.label(session, conversation.turns[0].id, "check_balance", None)
    labels.export(session, Path(nlu))
    print(json.dumps({
        "events": report.events, "channel": conversation.channel, "verified": conversation.verified,
        "distress_max": conversation.distress_max,
        "turns": [[t.sender, t.text, t.intent, t.confidence, t.response] for t in conversation.turns],
    }))
"""


def _endpoints(monkeypatch, events_url: str) -> AvailableEndpoints:
    example = parse("\n".join(materialise(line) for line in (ROOT / ".env.example").read_text().splitlines()))
    for name, value in {**example, "EVENT_BROKER_URL": events_url}.items():
        monkeypatch.setenv(name, value)
    return AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))


def _conversation() -> list:
    parse_data = {
        "intent": {"name": "check_balance", "confidence": 0.93},
        "entities": [],
        "intent_ranking": [{"name": "check_balance", "confidence": 0.93}],
        "distress": {"score": 0.7, "level": "elevated", "vader_compound": -0.4},
    }
    dob = {
        "intent": {"name": "inform_identity", "confidence": 0.9},
        "entities": [{"entity": "dob", "value": "x"}],
    }
    return [
        ActionExecuted("action_listen"),
        UserUttered("how much do i owe", parse_data=parse_data, input_channel="twilio"),
        SlotSet("requested_slot", "dob"),
        BotUttered("What is your date of birth?", metadata={"utter_action": "utter_ask_dob"}),
        UserUttered("03/14/1985", parse_data=dob, input_channel="twilio"),
        SlotSet("verified", True),
        BotUttered("Total due: $665.00", metadata={"utter_action": "utter_balance"}),
    ]


async def test_the_endpoints_broker_writes_what_the_api_ingests(monkeypatch, tmp_path: Path) -> None:
    events_url = f"sqlite:///{tmp_path / 'rasa_events.db'}"
    broker = await EventBroker.create(_endpoints(monkeypatch, events_url).event_broker)
    assert isinstance(broker, SQLEventBroker)
    store = InMemoryTrackerStore(Domain.empty(), event_broker=broker)
    await store.save(DialogueStateTracker.from_events("conv-1", _conversation()))

    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT)}
    nlu = tmp_path / "reviewed.yml"
    args = [str(API_PYTHON), "-c", INGEST, f"sqlite:///{tmp_path / 'api.db'}", events_url, str(nlu)]
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False)

    assert result.returncode == 0, result.stderr[-2000:]
    read = json.loads(result.stdout.strip().splitlines()[-1])
    assert read["events"] == 7 and read["channel"] == "sms" and read["verified"] and read["distress_max"] == 1
    assert read["turns"] == [
        ["debtor", "how much do i owe", "check_balance", 0.93, None],
        ["bot", "What is your date of birth?", None, None, "utter_ask_dob"],
        ["debtor", "[identity details withheld]", "inform_identity", 0.9, None],
        ["bot", "Total due: $665.00", None, None, "utter_balance"],
    ]
    exported = RasaYAMLReader().read(nlu)  # the reviewers' labels are NLU data Rasa reads
    assert [(m.get("intent"), m.get("text")) for m in exported.intent_examples] == [
        ("check_balance", "how much do i owe")
    ]
