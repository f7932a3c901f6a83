"""Wait until the API, action server and Rasa server answer their health checks, then say where they are.

Runs as the last process of the Procfile: it keeps running so honcho keeps the others up, and a
failure to come up in time exits non-zero, which makes honcho stop everything.
"""

import os
import signal
import sys
import time
import urllib.error
import urllib.request

PORTS = (("API_PORT", "8000"), ("ACTIONS_PORT", "5055"), ("RASA_PORT", "5005"), ("TWILIO_ACK_PORT", "5006"))
API, ACTIONS, RASA, TWILIO_ACK = (os.environ.get(name, default) for name, default in PORTS)
SERVICES = {
    "accounts API": f"http://localhost:{API}/health",
    "action server": f"http://localhost:{ACTIONS}/health",
    "Rasa server": f"http://localhost:{RASA}/",
    # Rasa starts the Twilio webhook's own server last, once its model is loaded.
    "Twilio webhook": f"http://localhost:{TWILIO_ACK}/webhooks/twilio/",
}
WEBHOOK = os.environ.get("PUBLIC_BASE_URL", f"http://localhost:{TWILIO_ACK}") + "/webhooks/twilio/webhook"
TIMEOUT_SECONDS = float(os.environ.get("READY_TIMEOUT_SECONDS", "300"))


def sms_phone() -> str:
    """The SMS sink's line, when the Twilio client is pointed at it (no real account configured)."""
    port = os.environ.get("SMS_SINK_PORT", "8025")
    if not os.environ.get("TWILIO_API_BASE_URL", "").rstrip("/").endswith(f":{port}"):
        return ""
    return f"  SMS phone      http://localhost:{port}  (text the bot as a phone would, no Twilio needed)\n"


def mailbox() -> str:
    """The mail sink's line, when the worker sends email to it (SMTP_PORT is the sink's)."""
    smtp, page = os.environ.get("MAIL_SINK_SMTP_PORT"), os.environ.get("MAIL_SINK_HTTP_PORT")
    if not (smtp and page and os.environ.get("SMTP_HOST") and os.environ.get("SMTP_PORT") == smtp):
        return ""
    return f"  Mailbox        http://localhost:{page}  (every email the worker sent, no mail server needed)\n"


def healthy(url: str) -> bool:
    """True when the URL answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (fixed localhost URLs)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    """Poll every service until all are healthy or the deadline passes."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    pending = dict(SERVICES)
    while pending and time.monotonic() < deadline:
        pending = {name: url for name, url in pending.items() if not healthy(url)}
        time.sleep(1)
    if pending:
        print(f"not healthy after {TIMEOUT_SECONDS:.0f}s: {', '.join(pending)}", flush=True)
        return 1
    print(
        "\nAll services are up:\n"
        f"  Webchat        http://localhost:{API}/chat  (talk to the bot in a browser)\n"
        f"  Agent console  http://localhost:{API}/console  (agent@example.com / demo-agent-password)\n"
        f"  Marketing      http://localhost:{API}/console/responses, /console/insights, /console/campaigns"
        "  (marketing@example.com / demo-marketing-password)\n"
        f"  Accounts API   http://localhost:{API}  (docs: http://localhost:{API}/docs)\n"
        f"  Action server  http://localhost:{ACTIONS}\n"
        f"{sms_phone()}"
        f"{mailbox()}"
        f"  Rasa server    http://localhost:{RASA}  (REST: /webhooks/rest/webhook, socket.io: /socket.io)\n"
        f"  Twilio webhook {WEBHOOK}  (where Twilio posts: PUBLIC_BASE_URL)\n"
        f'Try it:  curl -s localhost:{RASA}/webhooks/rest/webhook -d \'{{"sender":"me","message":"hi"}}\'\n'
        "Press Ctrl-C to stop everything.",
        flush=True,
    )
    signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
