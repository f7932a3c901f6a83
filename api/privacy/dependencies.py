"""Rasa's tracker stores as configured, for the subject access export and erasure."""

from typing import Annotated

from fastapi import Depends

from api.core.dependencies import SettingsDep
from api.privacy.tracker_stores import TrackerStore, from_settings


def tracker_stores(settings: SettingsDep) -> list[TrackerStore]:
    """Rasa's tracker stores as configured (api.privacy.tracker_stores)."""
    return from_settings(settings)


TrackerStoresDep = Annotated[list[TrackerStore], Depends(tracker_stores)]
