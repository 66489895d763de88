"""Bad input gets a 4xx that names the field and the rule — never a 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from jiuzhu_runtime.refusal import DomainRefusal

log = logging.getLogger(__name__)

__all__ = ["DomainRefusal", "install_error_handlers"]

UNSTORABLE = {"detail": "the request contains text that cannot be stored",
              "rule": "text fields must be valid Unicode without NUL (\\u0000) characters"}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": ".".join(str(p) for p in e["loc"] if p != "body"), "rule": e["msg"], "type": e["type"]}
                  for e in exc.errors()]
        return JSONResponse({"detail": "the request has invalid fields", "errors": errors}, status_code=422)

    # Text PostgreSQL cannot store: a NUL character (22P05 in JSON, 22021 in text) or an unpaired
    # surrogate (fails to encode). The transaction rolled back; the caller gets a 422, not a 500.
    @app.exception_handler(DBAPIError)
    async def unstorable(request: Request, exc: DBAPIError) -> JSONResponse:
        state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        cause = getattr(exc.orig, "__cause__", None)
        state = state or getattr(cause, "sqlstate", None)
        if state in ("22P05", "22021"):
            return JSONResponse(UNSTORABLE, status_code=422)
        log.exception("database error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)

    @app.exception_handler(UnicodeEncodeError)
    async def unencodable(_: Request, exc: UnicodeEncodeError) -> JSONResponse:
        return JSONResponse(UNSTORABLE, status_code=422)

    @app.exception_handler(DomainRefusal)
    async def refused(_: Request, exc: DomainRefusal) -> JSONResponse:
        body = {"detail": exc.message, "rule": exc.rule}
        if exc.field:
            body["field"] = exc.field
        if exc.details:
            body.update(exc.details)
        return JSONResponse(body, status_code=exc.status)
