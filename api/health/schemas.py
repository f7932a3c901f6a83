"""The health and readiness answers."""

from pydantic import BaseModel


class HealthOut(BaseModel):
    """Liveness plus a database round trip."""

    status: str
    database: str


class ReadyOut(BaseModel):
    """Readiness: the database answers and is migrated to this code's schema."""

    status: str
    database: str
    migrations: str
