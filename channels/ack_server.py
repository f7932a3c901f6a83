"""A Sanic app served on a thread of its own, with its own event loop (design (b) of issue #15).

Rasa 3.6 runs each turn's graph (NLU, policies) synchronously on its event loop, so a webhook served by
Rasa's Sanic app waits behind every turn in progress. The Twilio channel serves its webhook here instead
(channels/twilio.py, credential `ack_port`): the signature check, the API store and the empty TwiML run on
this loop, and the turn is handed to Rasa's loop with `asyncio.run_coroutine_threadsafe`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sanic import Sanic
from sanic.touchup import TouchUp

logger = logging.getLogger(__name__)

START_TIMEOUT = 30.0
"""Seconds `start` waits for the server to listen before it gives up."""


class AckServer:
    """`app` on `host`:`port`, served by a daemon thread's event loop from `start` until `stop`."""

    def __init__(self, app: Sanic, host: str, port: int) -> None:
        self.app, self.host, self.port = app, host, port
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=f"ack-{port}", daemon=True)
        self._listening = threading.Event()
        self._server: Any = None
        self._error: BaseException | None = None

    def start(self) -> None:
        """Listen (returns once the port is open); raises what kept the server from starting."""
        freeze_startup_objects()
        self._thread.start()
        if not self._listening.wait(START_TIMEOUT):
            raise RuntimeError(f"ack server on port {self.port} did not start")
        if self._error is not None:
            raise self._error

    def stop(self) -> None:
        """Close the listener and end the thread's loop."""
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._close(), self.loop).result(START_TIMEOUT)
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(START_TIMEOUT)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._open())
        except BaseException as error:  # start() re-raises it in the caller's thread
            self._error = error
        finally:
            self._listening.set()
        if self._error is None:
            self.loop.run_forever()
        self.loop.close()

    async def _open(self) -> None:
        server = await self.app.create_server(
            host=self.host, port=self.port, return_asyncio_server=True, access_log=False
        )
        assert server is not None
        with untouched():
            await server.startup()  # type: ignore[no-untyped-call]
        await server.start_serving()  # type: ignore[no-untyped-call]
        self._server = server
        logger.info("twilio webhook served off Rasa's event loop", extra={"port": self.port})

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


@contextmanager
def untouched() -> Iterator[None]:
    """Sanic startup without its TouchUp pass, which rewrites the methods of its HTTP classes for the whole
    process: Rasa's app has done it already, and a second pass fails (it re-reads rewritten source) or would
    drop signal dispatches Rasa's app registered. Called while Rasa's loop waits in `AckServer.start`."""
    registry, TouchUp._registry = TouchUp._registry, set()
    try:
        yield
    finally:
        TouchUp._registry = registry


def freeze_startup_objects() -> None:
    """Keep the objects alive at startup (Rasa, TensorFlow, the model: millions) out of the garbage collector.

    A full collection walks all of them holding the GIL, and the webhook's thread waits with it: in the ack
    bench that was one stall of 300-800 ms, the whole p99, every run. Frozen, they are never scanned again."""
    gc.collect()
    gc.freeze()
