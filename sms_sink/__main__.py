"""`python -m sms_sink [--port PORT]`: the sink, or an idle process while a real Twilio account is in use.

Reads TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL (where it posts), TWILIO_FROM_NUMBER,
TWILIO_MESSAGING_SERVICE_SID, SMS_SINK_PORT and TWILIO_API_BASE_URL. It serves only when
TWILIO_API_BASE_URL points at it (http://localhost:PORT); otherwise the worker talks to the real Twilio and
the sink idles until it is stopped, exiting 0 (a process manager stops everything when one exits).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping

from shared.local_server import serve_until, stop_event
from sms_sink.config import SinkConfig, points_at_sink, port_from_env
from sms_sink.exceptions import SinkConfigError
from sms_sink.server import SmsSink

logger = logging.getLogger("sms_sink")


def main(argv: list[str] | None = None, env: Mapping[str, str] = os.environ) -> int:
    """Serve until SIGTERM/SIGINT; 2 when selected but misconfigured."""
    parser = argparse.ArgumentParser(prog="python -m sms_sink", description=__doc__)
    parser.add_argument("--port", type=int, default=None, help="default SMS_SINK_PORT, else 8025")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    args = parser.parse_args(argv)
    stop = stop_event()
    try:
        port = args.port if args.port is not None else port_from_env(env)
        if not points_at_sink(env.get("TWILIO_API_BASE_URL"), port):
            logger.info(
                "TWILIO_API_BASE_URL does not point at http://localhost:%d: SMS go to the real Twilio, "
                "the sink stays idle",
                port,
            )
            stop.wait()
            return 0
        config = SinkConfig.from_env(env)
    except SinkConfigError as error:
        logger.error("%s", error)
        return 2
    sink = SmsSink(config).start(port, args.host)
    banner = (
        f"SMS sink: text the bot at http://localhost:{port}/ (it posts to {config.webhook_url}). "
        "No SMS reaches a phone: empty TWILIO_API_BASE_URL to send through your Twilio account."
    )
    return serve_until(stop, sink, banner)


if __name__ == "__main__":
    sys.exit(main())
