"""The phone page at /: one Jinja2 template with autoescaping, and its two static files."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from sms_sink.config import DEMO_PHONES, SinkConfig

HERE = Path(__file__).resolve().parent
STATIC = {
    "phone.css": "text/css; charset=utf-8",
    "phone.js": "text/javascript; charset=utf-8",
}
# Only the page's own files: nothing from a CDN (there may be no internet) and no inline script.
CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The template environment, built once."""
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(config: SinkConfig, known_numbers: list[str]) -> str:
    """The page: a phone whose number the user picks, texting the bot through the configured webhook."""
    demo = dict(DEMO_PHONES)
    others = [number for number in known_numbers if number not in demo]
    return (
        environment()
        .get_template("phone.html")
        .render(
            demo_phones=DEMO_PHONES,
            other_numbers=others,
            default_number=DEMO_PHONES[0][0],
            our_number=config.our_number,
            webhook_url=config.webhook_url,
            signed_url=config.signed_webhook_url,
        )
    )


def static_file(name: str) -> tuple[bytes, str] | None:
    """One of the page's static files and its content type, or None for any other name."""
    content_type = STATIC.get(name)
    if content_type is None:
        return None
    return (HERE / "static" / name).read_bytes(), content_type
