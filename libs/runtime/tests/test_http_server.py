"""The service's HTTP server (http_server.QuietServer): it serves, keeps its Date header current while
it sleeps between wake-ups, freezes what its start made, and stops cleanly when signalled. (Its idle CPU is a figure of
``./jz bench``, not asserted here.)"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import httpx

from jiuzhu_devstack.ports import free_port

SERVER = """
import contextlib, pathlib, sys
from fastapi import FastAPI
from jiuzhu_runtime.http_server import serve
@contextlib.asynccontextmanager
async def lifespan(app):
    yield
    pathlib.Path(sys.argv[2]).write_text("stopped")  # shut down in order, not killed
app = FastAPI(lifespan=lifespan)
@app.get("/ping")
async def ping():
    import gc
    return {"ok": True, "frozen": gc.get_freeze_count()}
serve(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def until(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while True:
        try:
            found = condition()
        except httpx.TransportError:
            found = None
        if found:
            return found
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.1)


def test_it_serves_keeps_its_date_header_current_and_stops_cleanly_on_a_signal(tmp_path):
    port, stopped = free_port(), tmp_path / "stopped"
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(stopped)])
    ping = lambda: httpx.get(f"http://127.0.0.1:{port}/ping", timeout=1)  # noqa: E731
    try:
        first = until(ping, 30)
        assert first.json()["ok"] and first.headers["date"]
        assert first.json()["frozen"] > 10_000  # what the start made is out of the collector's way
        until(lambda: ping().headers["date"] != first.headers["date"], 5)  # refreshed while idle
        process.send_signal(signal.SIGTERM)
        # uvicorn shuts down in order, then lets the signal end the process as it would have
        assert process.wait(10) == -signal.SIGTERM and stopped.read_text() == "stopped"
    finally:
        if process.poll() is None:
            process.kill()


async def test_a_signal_wakes_the_sleeping_main_loop_at_once():
    """Between wake-ups the loop sleeps; a signal must not wait for the next one (here made ten
    minutes away, so a signal that did not wake it would fail the test by its timeout)."""
    import asyncio

    import uvicorn

    from jiuzhu_runtime.http_server import QuietServer

    server = QuietServer(uvicorn.Config(lambda scope, receive, send: None))
    server.TICKS_PER_WAKE = 6000  # 600 s between wake-ups
    server.config.load()
    server.server_state.default_headers = []
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, server.handle_exit, signal.SIGTERM, None)
    await asyncio.wait_for(server.main_loop(), 30)
    assert server.should_exit
