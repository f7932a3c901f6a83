"""Marketing's experiment pages (/console/experiments): the list, the create form (validated by the API's
ExperimentIn), one experiment's results with start (after the compliance review) and stop. Marketing and
admins; agents get 403. Plain POST forms carry the section's token (a form cannot send the CSRF header).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any, Final

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from api.console import experiments_forms as forms
from api.console import rendering
from api.core.config import Settings
from api.core.dependencies import BodyDep, NowDep, SessionDep, SettingsDep
from api.experiments import results, service
from api.experiments.exceptions import ExperimentsError, VariantsBlocked
from api.experiments.models import Experiment
from api.responses import service as responses
from api.staff import pages as staff_pages
from api.staff import service as staff_service
from api.staff.dependencies import PageStaff
from api.staff.models import StaffUser
from api.staff.service import MARKETING_ROLES

SECTION = "/console/experiments"
MAX_FORM_FIELDS = 32
FORM_SECTION = "console-experiments"
"""What the section's form token is bound to, with the user (api.staff.pages.form_token)."""


def _stop(_session: Session, experiment: Experiment, now: datetime) -> None:
    service.stop(experiment, now)


ACTIONS: Final[dict[str, Callable[[Session, Experiment, datetime], None]]] = {
    "start": service.start,
    "stop": _stop,
}
"""The buttons of an experiment's page: start runs the compliance review first (api.experiments.service)."""

router = APIRouter(prefix=SECTION, tags=["experiments"], include_in_schema=False)


def _gate(request: Request, staff: StaffUser | None) -> StaffUser:
    return rendering.gate(request, staff, MARKETING_ROLES)


def _form(body: bytes) -> dict[str, str]:
    return staff_pages.form_fields(body, MAX_FORM_FIELDS)


def _token(settings: Settings, staff: StaffUser) -> str:
    return staff_pages.form_token(settings, FORM_SECTION, staff)


def _check_token(settings: Settings, staff: StaffUser, form: dict[str, str]) -> None:
    staff_pages.check_form_token(settings, FORM_SECTION, staff, form)


@router.get("", response_class=HTMLResponse)
def experiments_page(request: Request, staff: PageStaff, session: SessionDep) -> Response:
    """Every experiment, newest first, with its status and exposures."""
    user = _gate(request, staff)
    rows = service.listing(session)
    who = rendering.who(user)
    return rendering.page(request, "console_experiments.html", "Experiments", "experiments", who, rows=rows)


def _new_page(
    request: Request, session: Session, settings: Settings, staff: StaffUser, result: forms.FormResult
) -> HTMLResponse:
    """The create form, with its values and errors."""
    names = [name for name, _ in responses.all_live(session)]
    context: dict[str, Any] = {
        "values": result.values,
        "errors": result.errors,
        "token": _token(settings, staff),
        "names": names,
        "outcomes": forms.OUTCOMES,
        "rows": range(forms.VARIANT_ROWS),
    }
    who = rendering.who(staff)
    return rendering.page(
        request, "console_experiment_new.html", "New experiment", "experiment-new", who, **context
    )


@router.get("/new", response_class=HTMLResponse)
def new_page(
    request: Request, staff: PageStaff, session: SessionDep, settings: SettingsDep, response: str = ""
) -> Response:
    """The form; `?response=` fills control with that response's default wording."""
    user = _gate(request, staff)
    live = responses.live_variations(session, response[:120]) if response else None
    values = forms.defaults(response[:120] if live else "", live)
    return _new_page(request, session, settings, user, forms.FormResult(values))


@router.post("", response_class=HTMLResponse)
def create(
    request: Request, body: BodyDep, staff: PageStaff, session: SessionDep, settings: SettingsDep
) -> Response:
    """Create a draft from the form; invalid fields come back with their errors (422)."""
    user = _gate(request, staff)
    form = _form(body)
    _check_token(settings, user, form)
    result = forms.parse(form, responses.live_variations(session, form.get("response_name", "")[:120]))
    if result.experiment is None:
        page = _new_page(request, session, settings, user, result)
        page.status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
        return page
    draft = result.experiment
    variants = [(v.share, v.variations) for v in draft.variants]
    experiment = service.create(
        session, draft.response_name, variants, draft.primary_outcome, draft.minimum_sample, user.id
    )
    staff_service.audit(session, user, "experiment.create", data={"experiment_id": experiment.id})
    session.commit()
    return RedirectResponse(f"{SECTION}/{experiment.id}", status_code=status.HTTP_303_SEE_OTHER)


def _experiment_or_404(session: Session, experiment_id: str) -> Experiment:
    experiment = session.get(Experiment, experiment_id[:36])
    if experiment is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "experiment not found")
    return experiment


def _experiment_page(
    request: Request,
    session: Session,
    settings: Settings,
    staff: StaffUser,
    experiment: Experiment,
    problems: list[str] | None = None,
) -> HTMLResponse:
    """An experiment's variants, results and verdict, the buttons its status allows, any problems."""
    context: dict[str, Any] = {
        "experiment": experiment,
        "found": results.results(session, experiment),
        "variants": service.variants(session, experiment),
        "outcomes": forms.OUTCOMES,
        "token": _token(settings, staff),
        "problems": problems or [],
    }
    title, who = f"Experiment on {experiment.response_name}", rendering.who(staff)
    return rendering.page(request, "console_experiment.html", title, "experiment", who, **context)


@router.get("/{experiment_id}", response_class=HTMLResponse)
def experiment_page(
    request: Request, experiment_id: str, staff: PageStaff, session: SessionDep, settings: SettingsDep
) -> Response:
    """An experiment's results: per variant exposures, outcome rates with intervals, and the verdict."""
    user = _gate(request, staff)
    return _experiment_page(request, session, settings, user, _experiment_or_404(session, experiment_id))


@router.post("/{experiment_id}/{action}", response_class=HTMLResponse)
def change(
    request: Request,
    body: BodyDep,
    experiment_id: str,
    action: str,
    staff: PageStaff,
    session: SessionDep,
    settings: SettingsDep,
    now: NowDep,
) -> Response:
    """Start (422 with the compliance review's problems, 409 when it does not fit) or stop."""
    user = _gate(request, staff)
    _check_token(settings, user, _form(body))
    if action not in ACTIONS:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such action")
    experiment = _experiment_or_404(session, experiment_id)
    try:
        ACTIONS[action](session, experiment, now)
    except ExperimentsError as error:
        problems = error.problems if isinstance(error, VariantsBlocked) else [str(error)]
        code = (
            status.HTTP_422_UNPROCESSABLE_CONTENT
            if isinstance(error, VariantsBlocked)
            else status.HTTP_409_CONFLICT
        )
        session.rollback()
        page = _experiment_page(request, session, settings, user, experiment, problems)
        page.status_code = code
        return page
    staff_service.audit(session, user, f"experiment.{action}", data={"experiment_id": experiment.id})
    session.commit()
    return RedirectResponse(f"{SECTION}/{experiment.id}", status_code=status.HTTP_303_SEE_OTHER)
