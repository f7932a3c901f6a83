"""The health check's answer."""

from pydantic import BaseModel


class HealthOut(BaseModel):
    """Liveness plus a database round trip."""

    status: str
    database: str
