"""Response bodies of the privacy routes (the subject access export is the export itself, as JSON)."""

from datetime import datetime

from pydantic import BaseModel


class ErasureOut(BaseModel):
    """What the erasure did; repeating it is safe and reports `already_erased: true`."""

    debtor_id: str
    account_ids: list[str]
    erased_at: datetime
    already_erased: bool
    conversations: int
    tracker_events_deleted: dict[str, int]
