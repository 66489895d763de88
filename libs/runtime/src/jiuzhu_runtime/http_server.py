"""The HTTP server a service runs: uvicorn's, waking once a second instead of ten times.

uvicorn's main loop sleeps 0.1 s at a time to see whether it has been told to stop, and refreshes
the ``Date`` header every tenth time: ten wake-ups a second in every idle service, about a quarter
of an idle service's CPU (issue 14: 4 of its ~4 ms of CPU per second, idle). ``QuietServer`` wakes
once a second for the header and at once when a signal tells it to stop.

Once started, it freezes what the start made (``gc.freeze``): the modules, schemas, compiled
statements and pools live as long as the process, and the collector's full collections no longer
walk them — one such collection took ~80 ms of CPU in a started service, a stall of every request
and event it holds up.
"""

from __future__ import annotations

import asyncio
import gc
import sys

import uvicorn


class QuietServer(uvicorn.Server):
    TICKS_PER_WAKE = 10  # uvicorn's ticks are 0.1 s; the Date header is refreshed every 10th

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._woken: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        gc.collect()  # what the start left as garbage (the migration's modules, its engine) is freed, not frozen
        gc.freeze()

    def handle_exit(self, sig, frame) -> None:
        super().handle_exit(sig, frame)
        if self._loop is not None and self._woken is not None:
            self._loop.call_soon_threadsafe(self._woken.set)

    async def main_loop(self) -> None:
        self._loop, self._woken = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + self.TICKS_PER_WAKE) % 864000
            try:
                await asyncio.wait_for(self._woken.wait(), self.TICKS_PER_WAKE / 10)
            except TimeoutError:
                pass
            should_exit = await self.on_tick(counter)


def serve(app, **options) -> None:
    """``uvicorn.run(app, **options)`` with ``QuietServer``: exits with 3, as it does, if the server
    did not start."""
    server = QuietServer(uvicorn.Config(app, **options))
    server.run()
    if not server.started:
        sys.exit(3)
