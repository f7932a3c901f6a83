"""Jinja2 for the HTML pages: each package's own templates, and the layouts every page extends.

A package's pages (and the scripts and stylesheets they load: `asset`) live in its own folder;
`core/templates` holds `base.html` (the document and its <head>) and `staff.html` (the console's sections:
stylesheet, header, main), found after the package's own.
Autoescaping on, as FastAPI's `Jinja2Templates` has it.
"""

from pathlib import Path

from fastapi import HTTPException, status
from fastapi.responses import FileResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

LAYOUTS = Path(__file__).resolve().parent / "templates"


def page_templates(directory: Path) -> Jinja2Templates:
    """The templates in `directory`, able to extend the shared layouts."""
    loader = ChoiceLoader([FileSystemLoader(directory), FileSystemLoader(LAYOUTS)])
    return Jinja2Templates(env=Environment(loader=loader, autoescape=select_autoescape(default=True)))


def asset(directory: Path, name: str, types: dict[str, str], cache_control: str) -> FileResponse:
    """One of a page's own files (`types`: file name to media type); 404 for any other name."""
    if name not in types:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")
    headers = {"Cache-Control": cache_control, "X-Content-Type-Options": "nosniff"}
    return FileResponse(directory / name, media_type=types[name], headers=headers)
