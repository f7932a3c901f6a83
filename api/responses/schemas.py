"""What the NLG route and the editor's routes read and answer."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.responses.diff import LineKind
from api.responses.sms import Encoding


class NlgTracker(BaseModel):
    """The part of Rasa's tracker state the NLG needs: the slots (events and the rest are ignored)."""

    slots: dict[str, Any] = {}
    sender_id: str | None = None
    """The conversation id; experiments assign their variant by it."""


class NlgChannel(BaseModel):
    """The output channel Rasa is answering on (`twilio`, `socketio`, `rest`, ...)."""

    name: str | None = None


class NlgRequest(BaseModel):
    """Rasa's NLG server request (rasa/core/nlg/callback.py: nlg_request_format)."""

    response: str = Field(min_length=1, max_length=120)
    id: str | None = None
    """The variation id Rasa's own filter picked from domain.yml, if the domain gives ids."""
    arguments: dict[str, Any] = {}
    tracker: NlgTracker = NlgTracker()
    channel: NlgChannel = NlgChannel()


class Condition(BaseModel):
    """A slot condition, as domain.yml writes it (Rasa 3.6 knows only slot conditions)."""

    type: Literal["slot"] = "slot"
    name: str = Field(min_length=1, max_length=120)
    value: Any


class Variation(BaseModel):
    """One variation as domain.yml writes it; keys Rasa knows beyond these are kept as they are."""

    model_config = ConfigDict(extra="allow")

    text: str | None = Field(default=None, max_length=2000)
    condition: list[Condition] | None = None
    channel: str | None = None
    id: str | None = None
    buttons: list[dict[str, Any]] | None = None
    image: str | None = None
    custom: dict[str, Any] | None = None

    def as_rasa(self) -> dict[str, Any]:
        """The dict Rasa would have read from domain.yml (keys that were not given stay absent)."""
        data = self.model_dump(exclude_unset=True)
        if self.condition is not None:
            data["condition"] = [condition.model_dump() for condition in self.condition]
        return data


class VariationsIn(BaseModel):
    """A draft of a response's variations."""

    variations: list[Variation] = Field(min_length=1, max_length=50)


class PublishIn(VariationsIn):
    """A draft to publish, with the author's note."""

    note: str = Field(default="", max_length=500)


class RollbackIn(BaseModel):
    """The version whose variations become live again (as a new version)."""

    version: int = Field(ge=1)


class SmsOut(BaseModel):
    """A variation's text as SMS."""

    encoding: Encoding
    characters: int
    units: int
    segments: int
    per_segment: int


class PreviewVariation(BaseModel):
    """One variation as the debtor would read it, with made-up values in its placeholders."""

    text: str
    buttons: list[str]
    sms: SmsOut


class PreviewOut(BaseModel):
    """The draft's previews and every problem that would block publishing it."""

    variations: list[PreviewVariation]
    problems: list[str]


class VersionOut(BaseModel):
    """One published version (the author by email only: no debtor ever appears here)."""

    model_config = ConfigDict(from_attributes=True)

    number: int
    variations: list[dict[str, Any]]
    author_email: str | None
    note: str
    created_at: datetime


class ResponseSummary(BaseModel):
    """A response in the list: its live version and a first line to recognise it by."""

    name: str
    version: int
    variations: int
    excerpt: str
    author_email: str | None
    updated_at: datetime


class DiffLineOut(BaseModel):
    """One line of a comparison between two versions."""

    kind: LineKind
    text: str
