"""Bad input gets a 4xx that names the field and the rule — never a 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from jiuzhu_runtime.refusal import DomainRefusal

log = logging.getLogger(__name__)

__all__ = ["DomainRefusal", "install_error_handlers"]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": ".".join(str(p) for p in e["loc"] if p != "body"), "rule": e["msg"], "type": e["type"]}
                  for e in exc.errors()]
        return JSONResponse({"detail": "the request has invalid fields", "errors": errors}, status_code=422)

    @app.exception_handler(DomainRefusal)
    async def refused(_: Request, exc: DomainRefusal) -> JSONResponse:
        body = {"detail": exc.message, "rule": exc.rule}
        if exc.field:
            body["field"] = exc.field
        if exc.details:
            body.update(exc.details)
        return JSONResponse(body, status_code=exc.status)
