"""`python -m mail_sink [--smtp-port P] [--http-port P]`: the local SMTP server and its mailbox page.

Ports default to MAIL_SINK_SMTP_PORT (8026) and MAIL_SINK_HTTP_PORT (8027). Runs until SIGTERM/SIGINT.
Mail to *@bounce.invalid bounces hard and to *@soft-bounce.invalid softly: the delivery status
notification is posted to --bounce-url (MAIL_SINK_BOUNCE_URL, e.g. http://127.0.0.1:8000/webhooks/email/bounce),
signed with EMAIL_BOUNCE_WEBHOOK_SECRET, and kept in the mailbox.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping

from mail_sink.bounce import BounceConfig
from mail_sink.server import MailSink
from shared.local_server import serve_until, stop_event

logger = logging.getLogger("mail_sink")

DEFAULT_SMTP_PORT = 8026
DEFAULT_HTTP_PORT = 8027


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    """A port from the environment, or the default when unset or empty."""
    value = env.get(name, "").strip()
    return int(value) if value else default


def parse(argv: list[str] | None, env: Mapping[str, str]) -> argparse.Namespace:
    """The command line, with the environment's ports as defaults."""
    parser = argparse.ArgumentParser(prog="python -m mail_sink", description=__doc__)
    parser.add_argument("--smtp-port", type=int, default=_port(env, "MAIL_SINK_SMTP_PORT", DEFAULT_SMTP_PORT))
    parser.add_argument("--http-port", type=int, default=_port(env, "MAIL_SINK_HTTP_PORT", DEFAULT_HTTP_PORT))
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--bounce-url",
        default=env.get("MAIL_SINK_BOUNCE_URL") or None,
        help="the API's bounce intake, where bounces of mail to *@bounce.invalid are posted",
    )
    return parser.parse_args(argv)


def bounce_config(args: argparse.Namespace, env: Mapping[str, str]) -> BounceConfig:
    """Where bounces go, signed with the API's intake secret."""
    return BounceConfig(intake_url=args.bounce_url, secret=env.get("EMAIL_BOUNCE_WEBHOOK_SECRET") or None)


def main(argv: list[str] | None = None, env: Mapping[str, str] = os.environ) -> int:
    """Serve until stopped."""
    args = parse(argv, env)
    stop = stop_event()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's: it logs every RCPT TO address
    sink = MailSink(bounces=bounce_config(args, env)).start(args.smtp_port, args.http_port, args.host)
    banner = (
        f"Mail sink: SMTP on {args.host}:{sink.smtp_port}, mailbox at {sink.http_url}/ "
        "(no email leaves this machine)."
    )
    return serve_until(stop, sink, banner)


if __name__ == "__main__":
    sys.exit(main())
