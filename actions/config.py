"""Action server settings, read from the environment when first needed (never at import)."""

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class ActionSettings:
    """Where the accounts API lives and how long we wait for it."""

    accounts_api_url: str
    api_token: str
    timeout_seconds: float


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    """Build the settings once per process; a missing API_TOKEN fails loudly."""
    token = os.environ.get("API_TOKEN")
    if not token:
        raise RuntimeError("API_TOKEN is not set: the action server cannot call the accounts API")
    return ActionSettings(
        accounts_api_url=os.environ.get("ACCOUNTS_API_URL", "http://localhost:8000").rstrip("/"),
        api_token=token,
        timeout_seconds=float(os.environ.get("ACCOUNTS_API_TIMEOUT_SECONDS", "5")),
    )
