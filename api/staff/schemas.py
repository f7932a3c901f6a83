"""Request and response bodies of staff sign-in."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class LoginIn(BaseModel):
    """Staff sign-in."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class LoginOut(BaseModel):
    """A session token (also set as an HttpOnly cookie for the console pages)."""

    token: str
    expires_at: datetime
    role: str
    email: str


class StaffOut(BaseModel):
    """Who is signed in."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    email: str
    role: str
