"""One log line per HTTP request, with the status the client was given (logging_setup.RequestLog)."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi import FastAPI, HTTPException

from jiuzhu_runtime.logging_setup import request_logger


def app_with_log() -> FastAPI:
    app = FastAPI()
    request_logger(app)

    @app.post("/applications", status_code=201)
    async def created() -> dict:
        return {"ok": True}

    @app.get("/refused")
    async def refused() -> dict:
        raise HTTPException(409, "no")

    @app.get("/broken")
    async def broken() -> dict:
        raise RuntimeError("a bug")

    @app.get("/health")
    async def health() -> dict:
        return {"status": "ok"}

    return app


async def lines(caplog, method: str, path: str) -> list[logging.LogRecord]:
    transport = httpx.ASGITransport(app=app_with_log(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="jiuzhu.http"):
            await client.request(method, path)
    return [r for r in caplog.records if r.name == "jiuzhu.http"]


@pytest.mark.parametrize(("method", "path", "status", "level"), [
    ("POST", "/applications", 201, logging.INFO),
    ("GET", "/refused", 409, logging.INFO),
    ("GET", "/broken", 500, logging.INFO),  # the exception's answer, though no response started below the log
    ("GET", "/health", 200, logging.DEBUG),  # liveness probes do not fill the log
])
async def test_each_request_is_one_line_with_the_status_answered(caplog, method, path, status, level):
    [record] = await lines(caplog, method, path)
    assert (record.method, record.path, record.status, record.levelno) == (method, path, status, level)
    assert record.getMessage().startswith(f"{method} {path} {status} ")
    assert record.ms >= 0
