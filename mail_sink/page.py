"""The sink's pages, from Jinja2 templates with autoescaping; a mail's HTML is shown in a sandboxed
iframe (`srcdoc`, escaped as an attribute), so nothing in it runs or reaches this page."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from mail_sink.store import StoredMail

TEMPLATES = Path(__file__).resolve().parent / "templates"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action http: https:; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@lru_cache
def environment() -> Environment:
    """Jinja2 with autoescaping for every .html template."""
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def mailbox(mails: list[StoredMail]) -> str:
    """The list of mails, newest first."""
    return environment().get_template("mailbox.html").render(mails=mails)


def message(mail: StoredMail) -> str:
    """One mail in full."""
    unsubscribe = (mail.header("List-Unsubscribe") or "").strip().strip("<>")
    one_click = (mail.header("List-Unsubscribe-Post") or "").strip() == "List-Unsubscribe=One-Click"
    values = {
        "mail": mail,
        "text": mail.part("plain"),
        "html": mail.part("html"),
        "unsubscribe": unsubscribe if unsubscribe.startswith(("http://", "https://")) else "",
        "one_click": one_click,
    }
    return environment().get_template("message.html").render(values)


def not_found() -> str:
    """The page for a mail the sink does not have (any more)."""
    return environment().get_template("mailbox.html").render(mails=[], missing=True)
