"""`python -m channels.serve [rasa run options]`: `rasa run` with its HTTP API token from the environment.

`rasa run --auth-token "$RASA_TOKEN"` puts the token on the command line, where `ps` and /proc/PID/cmdline
show it to anyone on the machine. This launcher reads RASA_TOKEN from the environment and hands it to
Rasa's own command line parser inside the process: Python's `sys.argv` is a copy the parser reads, and
changing it never reaches /proc/PID/cmdline. It refuses to start without a token, or with one given on
the command line. Before Rasa starts it installs the check of action server responses compiled once
(channels/action_results.py), the kept-alive endpoint sessions (channels/endpoints.py), the event
lookup that remembers (channels/event_types.py), the Redis tracker store's save with one read
(channels/tracker_store.py), the failed-turn handler (channels/turns.py), the segmenting step for
messages of several requests (channels/segments.py), the send that drops a line repeated within one
answer (channels/repeats.py), the introduction for a debtor writing first in a session a reminder
started (channels/introduction.py), TED's forward pass remembered by its exact input
(channels/ted_cache.py) and the tone slot computed in this process, not by a call to the action server on
every message (channels/distress_slot.py), so the Rasa server, and only it, runs with them, and Sanic's
limits with a deadline for a whole request (channels/slow_clients.py: a client trickling a byte a second is
cut off).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from os import environ

TOKEN_VARIABLE = "RASA_TOKEN"  # noqa: S105 (the variable's name)
TOKEN_OPTION = "--auth-token"  # noqa: S105 (Rasa's option)


class LaunchError(Exception):
    """The launcher was started in a way that would expose Rasa's HTTP API or its token."""


def _names_the_token(arg: str) -> bool:
    """Whether a command line argument is Rasa's token option (-t, --auth-token or an abbreviation)."""
    option = arg.split("=", 1)[0]
    long_form = len(option) >= len("--a") and TOKEN_OPTION.startswith(option)
    return long_form or (arg.startswith("-t") and not arg.startswith("--"))


def rasa_argv(args: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """The `rasa run` command line Rasa's parser gets, the token from the environment at its end."""
    if any(_names_the_token(arg) for arg in args):
        raise LaunchError(f"pass the token in {TOKEN_VARIABLE}, never on the command line")
    token = env.get(TOKEN_VARIABLE, "")
    if not token.strip():
        raise LaunchError(f"{TOKEN_VARIABLE} is not set: Rasa's HTTP API never runs without a token")
    return ["rasa", "run", *args, f"{TOKEN_OPTION}={token}"]  # one argument: a token may start with "-"


def main(args: Sequence[str] | None = None) -> int:
    """Run `rasa run` in this process with the token added to what its parser reads."""
    try:
        sys.argv = rasa_argv(sys.argv[1:] if args is None else args, environ)
    except LaunchError as error:
        print(f"channels.serve: {error}", file=sys.stderr)
        return 2
    from rasa.__main__ import main as rasa_main  # type: ignore[import-untyped]

    from channels import (  # Rasa (and TensorFlow) load here, in the server's process only
        action_results,
        distress_slot,
        endpoints,
        event_types,
        introduction,
        metrics,
        repeats,
        segments,
        slow_clients,
        ted_cache,
        tracker_store,
        turns,
    )

    slow_clients.install()  # before Rasa makes its Sanic app, which reads SANIC_* from the environment
    action_results.install()
    endpoints.install()
    event_types.install()
    tracker_store.install()
    turns.install()
    metrics.install()  # after turns: times the call turns notes failures of
    segments.install()
    repeats.install()
    introduction.install()
    ted_cache.install()
    distress_slot.install()
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
