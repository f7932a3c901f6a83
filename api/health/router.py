"""Liveness and readiness with a database round trip; no authentication so supervisors can poll them."""

import logging

from fastapi import APIRouter, Response, status
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.core.dependencies import SessionDep
from api.health import readiness
from api.health.schemas import HealthOut, ReadyOut

logger = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, responses={503: {"model": HealthOut}})
def health(session: SessionDep, response: Response) -> HealthOut:
    """{"status": "ok", "database": "ok"}, or 503 when `SELECT 1` fails."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        # The type only: the message can hold the database URL.
        logger.warning("database health check failed", extra={"error": type(error).__name__})
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthOut(status="error", database="unavailable")
    return HealthOut(status="ok", database="ok")


@router.get("/ready", response_model=ReadyOut, responses={503: {"model": ReadyOut}})
def ready(session: SessionDep, response: Response) -> ReadyOut:
    """200 when the database answers and is migrated to this code's head; 503 (and which) otherwise."""
    try:
        current = readiness.schema_current(session)
    except SQLAlchemyError as error:  # unreachable, or not migrated at all (no alembic_version table)
        logger.warning("readiness check failed", extra={"error": type(error).__name__})
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return ReadyOut(status="error", database="unavailable", migrations="unknown")
    if not current:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return ReadyOut(status="error", database="ok", migrations="behind")
    return ReadyOut(status="ok", database="ok", migrations="current")
