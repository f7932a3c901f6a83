"""Fixtures for the dialogue policies: the bot's real domain, and policies created as Rasa's graph does."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import pytest
from rasa.core.policies.policy import Policy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain

ROOT = Path(__file__).resolve().parents[3]
P = TypeVar("P", bound=Policy)


@pytest.fixture(scope="module")
def domain() -> Domain:
    """The bot's real domain, for the policies' trackers and predictions."""
    return Domain.load(str(ROOT / "domain.yml"))


def create_policy(policy_class: type[P], storage: Path, name: str) -> P:
    """A fresh policy of `policy_class` with its default config, as Rasa's graph creates it."""
    return policy_class.create(
        policy_class.get_default_config(),
        LocalModelStorage(storage),
        Resource(name),
        ExecutionContext(GraphSchema({}), "test"),
    )
