"""What a service writes to its log: its requests, the events it commits, its warnings — as text
for a person (default) or one JSON object a line for a log collector (``JZ_LOG_FORMAT=json``).

The bus's per-message access logs stay at DEBUG: on the hot path they would cost more than the
work. One line per HTTP request and one per event a transaction committed are what an operator
needs to follow a case through the logs.
"""

from __future__ import annotations

import logging
import sys
import time

TEXT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: str = "INFO", fmt: str = "text", service: str = "") -> logging.Handler:
    """The root logger's one handler (stderr), replacing any before it; returns it."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level",
                                                                       "name": "logger"},
                                           static_fields={"service": service} if service else None))
    else:
        handler.setFormatter(logging.Formatter(TEXT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler


def uvicorn_log_config() -> dict:
    """Uvicorn's own loggers go through the root handler (same format), access log off."""
    return {"version": 1, "disable_existing_loggers": False,
            "loggers": {"uvicorn": {"handlers": [], "propagate": True},
                        "uvicorn.error": {"handlers": [], "propagate": True},
                        "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"}}}


requests_log = logging.getLogger("jiuzhu.http")


def request_logger(app) -> None:
    """One line per HTTP request: method, path, status, milliseconds (health checks at DEBUG)."""
    app.add_middleware(RequestLog)


class RequestLog:
    """``request_logger``'s middleware: a plain ASGI one, which sees the status as the response
    starts. Starlette's ``@app.middleware("http")`` (``BaseHTTPMiddleware``) ran every request's app
    in a task of its own with memory streams between the two — about a sixth of the CPU a request
    cost a service in issue 14's profile, for one log line. The line is written once the whole
    response is sent (a streamed export: its whole time), where the old one was written when the
    response's headers were ready."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless a response starts: what the server answers for an exception

        async def sending(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            ms = (time.perf_counter() - started) * 1000
            method, path = scope["method"], scope["path"]
            level = logging.DEBUG if path == "/health" else logging.INFO
            requests_log.log(level, "%s %s %d %.0fms", method, path, status, ms,
                             extra={"method": method, "path": path, "status": status, "ms": round(ms, 1)})
