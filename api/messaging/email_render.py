"""An outbox email as MIME: plain text and HTML from Jinja2 templates, with the RFC 8058 headers.

The HTML is autoescaped (a debtor's name or a body quoting what they wrote cannot inject markup); the
plain text is not escaped. Both carry the message, the disclosures the gate required (in a block of their
own), who we are and our postal address, and the unsubscribe link, which is also the one-click
`List-Unsubscribe` (RFC 2369) with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058). RFC
8058 also asks for a DKIM signature covering both headers: that is the sending relay's job.
"""

from dataclasses import dataclass
from datetime import datetime
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.core.config import Settings
from api.messaging.exceptions import InvalidEmailAddress

TEMPLATES = Path(__file__).resolve().parent / "templates"
ONE_CLICK = "List-Unsubscribe=One-Click"


@dataclass(frozen=True)
class Sender:
    """Who the email says it is from: the From header, the company and its postal address."""

    from_header: str
    company: str
    postal_address: str
    phone: str

    @classmethod
    def from_settings(cls, settings: Settings) -> "Sender":
        """The identity every email carries, from the settings."""
        return cls(
            settings.SMTP_FROM, settings.COLLECTOR_NAME, settings.COLLECTOR_ADDRESS, settings.COLLECTOR_PHONE
        )

    @property
    def domain(self) -> str:
        """The From address's domain, for the Message-ID."""
        return parseaddr(self.from_header)[1].rpartition("@")[2] or "localhost"


@dataclass(frozen=True)
class Letter:
    """One email's content: what the templates render."""

    message_id: str
    to: str
    subject: str
    first_name: str | None
    body: str
    disclosures: tuple[str, ...]
    unsubscribe_url: str


@lru_cache
def environment() -> Environment:
    """Jinja2 with autoescaping for .html templates (not for .txt), failing on any undefined name."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def _normalized(text: str) -> str:
    return " ".join(text.split())


def paragraphs(body: str, disclosures: tuple[str, ...]) -> list[str]:
    """The body's paragraphs, less those that are a required disclosure (shown in their own block)."""
    wanted = {_normalized(text) for text in disclosures}
    parts = [part.strip() for part in body.replace("\r\n", "\n").split("\n\n") if part.strip()]
    return [part for part in parts if _normalized(part) not in wanted]


def render(letter: Letter, sender: Sender) -> tuple[str, str]:
    """The plain-text and HTML parts."""
    values = {
        "letter": letter,
        "paragraphs": paragraphs(letter.body, letter.disclosures),
        "disclosures": letter.disclosures,
        "sender": sender,
    }
    env = environment()
    text = env.get_template("email/message.txt").render(values)
    return text, env.get_template("email/message.html").render(values)


def recipient(address: str) -> Address:
    """The one address a To header may hold; raises InvalidEmailAddress for anything else."""
    try:
        return Address(addr_spec=address)
    except (ValueError, MessageError):
        raise InvalidEmailAddress("not a single email address") from None


def compose(letter: Letter, sender: Sender, sent_at: datetime) -> EmailMessage:
    """The MIME message: multipart/alternative (text, then HTML) with the unsubscribe headers.

    Raises InvalidEmailAddress when the address is not exactly one mailbox.
    """
    text, html = render(letter, sender)
    mime = EmailMessage()
    mime["From"], mime["To"], mime["Subject"] = sender.from_header, recipient(letter.to), letter.subject
    mime["Date"] = format_datetime(sent_at)
    mime["Message-ID"] = f"<{letter.message_id}@{sender.domain}>"
    mime["List-Unsubscribe"] = f"<{letter.unsubscribe_url}>"
    mime["List-Unsubscribe-Post"] = ONE_CLICK
    mime.set_content(text)
    mime.add_alternative(html, subtype="html")
    return mime
