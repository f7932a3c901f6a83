"""Jinja2 for the HTML pages: each package's own templates, and the layouts every page extends.

A package's pages live in its own folder; `core/templates` holds `base.html` (the document and its
<head>) and `staff.html` (the console's sections: stylesheet, header, main), found after the package's own.
Autoescaping on, as FastAPI's `Jinja2Templates` has it.
"""

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

LAYOUTS = Path(__file__).resolve().parent / "templates"


def page_templates(directory: Path) -> Jinja2Templates:
    """The templates in `directory`, able to extend the shared layouts."""
    loader = ChoiceLoader([FileSystemLoader(directory), FileSystemLoader(LAYOUTS)])
    return Jinja2Templates(env=Environment(loader=loader, autoescape=select_autoescape(default=True)))
