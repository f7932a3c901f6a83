"""`python -m actions.serve [rasa run actions options]`: the action server, with a whole-request deadline.

`rasa run actions` hands its arguments to rasa_sdk's own entry point (rasa/cli/run.py, `run_actions`), which
makes a Sanic 21.12 app; Sanic's timeouts restart on every byte, so a client trickling a byte a second holds
a connection for ever. This launcher installs Rasa's server's fix (channels/slow_clients.py: a request still
incomplete SANIC_REQUEST_TIMEOUT seconds after its first byte is answered 408) and then runs rasa_sdk's
entry point with the same options (`--port`, `--actions`, ...), parsed by rasa_sdk's own parser, the one
`rasa run actions` uses. The action server receives whole trackers (every event of a conversation), so its
size cap is larger than Rasa's. Importing this module (rasa_sdk imports every module of the package) does
nothing.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping, Sequence
from os import environ
from typing import Any, Final

from rasa_sdk import endpoint
from rasa_sdk.__main__ import main as sdk_main
from sanic import Sanic
from sanic.exceptions import PayloadTooLarge, RequestTimeout

from channels import slow_clients

MAX_REQUEST_BYTES: Final = str(16 * 1024 * 1024)
"""The default cap of a request's size: a long conversation's tracker, far above any we have seen."""
PROGRAM: Final = "rasa_sdk"
"""argv[0] for rasa_sdk's parser (its usage and error lines name it)."""
LIMIT_ERRORS: Final = (RequestTimeout, PayloadTooLarge)
"""What Sanic raises for a request past its limits; rasa_sdk's catch-all handler would answer them 500."""
_stock_create_app = endpoint.create_app


def sdk_argv(args: Sequence[str]) -> list[str]:
    """The command line rasa_sdk's parser reads: our arguments, unchanged."""
    return [PROGRAM, *args]


def answers_limits(app: Sanic) -> Sanic:
    """`app` answering a request past the limits with Sanic's own 408 or 413, not rasa_sdk's 500 and a
    traceback: the handler for an exact class wins over rasa_sdk's for any Exception."""
    for error in LIMIT_ERRORS:
        app.error_handler.add(error, app.error_handler.default)
    return app


def create_app(*args: Any, **kwargs: Any) -> Sanic:
    """rasa_sdk's app (`endpoint.run` makes it through this name), answering limits with their own status."""
    return answers_limits(_stock_create_app(*args, **kwargs))


def install(env: MutableMapping[str, str] = environ) -> None:
    """The action server's size cap (unless the environment sets one), the whole-request deadline, and
    their 408 and 413 answered as such."""
    env.setdefault("SANIC_REQUEST_MAX_SIZE", MAX_REQUEST_BYTES)
    slow_clients.install(env)
    endpoint.create_app = create_app


def main(args: Sequence[str] | None = None, env: MutableMapping[str, str] = environ) -> int:
    """Run rasa_sdk's own entry point in this process, after installing the deadline."""
    install(env)  # before rasa_sdk makes its Sanic app, which reads SANIC_* from the environment
    sys.argv = sdk_argv(sys.argv[1:] if args is None else args)
    sdk_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
