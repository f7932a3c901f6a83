"""The FastAPI application: `create_app()` builds it; importing this module connects to nothing."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError

from api.accounts import router as accounts
from api.campaigns import pages_router as campaign_pages
from api.campaigns import router as campaigns
from api.collections import plans_router as plans
from api.collections import router as collections
from api.compliance import gate
from api.console import experiments_router as console_experiments
from api.console import pages_router as console_pages
from api.console import router as console
from api.console import stream_router as console_stream
from api.core.body_limits import BodyDeadline, BodyLimits
from api.core.config import Settings, get_settings
from api.core.db import dispose_engine
from api.experiments import router as experiments
from api.handoffs import router as handoffs
from api.health import router as health
from api.insights import router as insights
from api.messaging import bounce_router as bounce_intake
from api.messaging import contacts_router as contacts
from api.messaging import router as messages
from api.messaging import twilio_router as twilio
from api.messaging import unsubscribe_router as unsubscribe
from api.metrics import middleware as metrics_middleware
from api.metrics import router as metrics
from api.portal import router as portal
from api.privacy import router as privacy
from api.responses import router as responses
from api.staff import pages as staff_pages
from api.staff import router as staff
from api.webchat import router as webchat

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1"


def _app_settings(app: FastAPI) -> Settings:
    """The settings the app's routes see (tests inject their own through create_app)."""
    return app.dependency_overrides.get(get_settings, get_settings)()  # type: ignore[no-any-return]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Fail at startup, naming any missing secret or invalid rule, rather than at the first request; close
    the pool."""
    settings = _app_settings(app)
    gate.GateConfig.from_settings(settings)
    yield
    dispose_engine(settings.DATABASE_URL)


async def validation_error(_request: Request, error: Exception) -> JSONResponse:
    """422 without echoing the rejected input back: it can be a phone number, a DOB or an SSN."""
    errors = error.errors() if isinstance(error, RequestValidationError) else []
    detail = [{"type": e["type"], "loc": list(e["loc"]), "msg": e["msg"]} for e in errors]
    return JSONResponse(status_code=status.HTTP_422_UNPROCESSABLE_CONTENT, content={"detail": detail})


async def database_unavailable(_request: Request, error: Exception) -> JSONResponse:
    """503 with Retry-After, not 500, while the database cannot be reached (restarting, failing over):
    callers retry a 503 (the Rasa channels, Twilio), and nothing was stored. The type only is logged: the
    message can hold the database URL."""
    logger.error("database unavailable", extra={"error": type(error).__name__})
    content = {"detail": "the database is unavailable, try again shortly"}
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE, content=content, headers={"Retry-After": "1"}
    )


def _include_handoffs(app: FastAPI) -> None:
    """Human handoff: the bot's routes, staff sign-in, the agents' routes; marketing's insights."""
    app.include_router(handoffs.router, prefix=API_PREFIX)
    app.include_router(staff.router, prefix=API_PREFIX)
    app.include_router(console_stream.router, prefix=API_PREFIX)  # before /handoffs/{id}
    app.include_router(console.router, prefix=API_PREFIX)
    app.include_router(insights.router, prefix=API_PREFIX)
    app.include_router(insights.page_router)  # before the console's /console/{asset}
    app.include_router(campaign_pages.router)  # likewise
    app.include_router(console_experiments.router)  # likewise
    app.include_router(console_pages.router)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; `settings` replaces the environment's (tests, embedding)."""
    app = FastAPI(
        title="Accounts API",
        summary="Debtors, accounts, identity verification and the per-account event record.",
        version="0.1.0",
        lifespan=lifespan,
    )
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(staff_pages.PageRefused, staff_pages.refused)
    app.add_exception_handler(OperationalError, database_unavailable)
    app.add_middleware(BodyDeadline, limits=lambda: BodyLimits.from_settings(_app_settings(app)))
    app.add_middleware(metrics_middleware.RequestMetrics)  # outermost: counts the 408s and 413s too
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(accounts.router, prefix=API_PREFIX)
    app.include_router(messages.router, prefix=API_PREFIX)
    app.include_router(contacts.router, prefix=API_PREFIX)
    app.include_router(twilio.router)
    app.include_router(unsubscribe.router)
    app.include_router(bounce_intake.router)
    app.include_router(webchat.router, prefix=API_PREFIX)
    app.include_router(webchat.page_router)
    app.include_router(collections.router, prefix=API_PREFIX)
    app.include_router(plans.router, prefix=API_PREFIX)
    app.include_router(portal.router, prefix=API_PREFIX)
    app.include_router(portal.page_router)
    app.include_router(privacy.router, prefix=API_PREFIX)
    app.include_router(campaigns.router, prefix=API_PREFIX)
    app.include_router(experiments.nlg_router, prefix=API_PREFIX)
    app.include_router(experiments.router, prefix=API_PREFIX)
    app.include_router(responses.router, prefix=API_PREFIX)
    _include_handoffs(app)
    return app


app = create_app()
