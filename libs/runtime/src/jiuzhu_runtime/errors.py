"""Bad input gets a 4xx that names the field and the rule — never a 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError

from jiuzhu_kernel.refusal import DomainRefusal

log = logging.getLogger(__name__)

__all__ = ["DomainRefusal", "PageRefusal", "install_error_handlers"]


class PageRefusal(Exception):
    """A refusal already written as the page the caller should see — e.g. to a citizen on a public
    page, in Chinese HTML, where a JSON error would be neither readable nor in their language.
    Raised from a dependency (a rate limit) as much as from a route."""

    def __init__(self, response: Response):
        super().__init__(response.status_code)
        self.response = response

UNSTORABLE = {"detail": "请求中有无法保存的文字 / the request contains text that cannot be stored",
              "rule": "文字须为有效的 Unicode，且不含 NUL（\\u0000）字符 / "
                      "text fields must be valid Unicode without NUL (\\u0000) characters"}

# Two transactions that waited on each other's rows (a deadlock, 40P01) or could not both be
# serialised (40001): PostgreSQL rolled this one back whole. Nothing was written; asking again works.
COLLIDED = {"detail": "该操作与同时进行的另一操作冲突，未作任何更改，请重试 / the change collided with "
                      "another made at the same moment; nothing was written, try again",
            "rule": "并发写入冲突时整笔回滚 / a collision rolls the whole change back"}


# Pydantic's messages in Chinese first: forms such as intake's application are the citizen's, and
# the window reads the refusal out to them. Types not listed keep pydantic's English message (our
# own validators, e.g. the resident ID's, already speak both).
ZH = {
    "missing": "必填项",
    "extra_forbidden": "不允许的字段",
    "string_type": "须为文字",
    "string_too_short": "至少{min_length}个字符",
    "string_too_long": "不超过{max_length}个字符",
    "string_pattern_mismatch": "格式不正确",
    "too_short": "至少{min_length}项",
    "too_long": "不超过{max_length}项",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数（分），不得有小数",
    "greater_than_equal": "须大于或等于{ge}",
    "greater_than": "须大于{gt}",
    "less_than_equal": "须小于或等于{le}",
    "less_than": "须小于{lt}",
    "bool_type": "须为是或否（true/false）",
    "bool_parsing": "须为是或否（true/false）",
    "literal_error": "须为以下之一：{expected}",
    "enum": "须为以下之一：{expected}",
    "date_type": "须为日期（YYYY-MM-DD）",
    "date_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "须为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "须为日期（YYYY-MM-DD），不含时间",
    "list_type": "须为列表",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "json_invalid": "不是有效的 JSON",
}


def rule_of(error: dict) -> str:
    """The rule an invalid field broke: Chinese, then pydantic's English."""
    zh = ZH.get(error["type"])
    if zh is None:
        return error["msg"]
    try:
        zh = zh.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        pass
    return f"{zh} / {error['msg']}"


# While the database fails over or restarts, a request is answered at once and honestly: nothing
# was changed (the transaction never committed), try again in a few seconds.
UNAVAILABLE = {"detail": "数据库暂时不可用，本次请求未作任何更改，请稍后重试 / the database is unavailable; "
                         "nothing was changed; retry shortly"}
RETRY_AFTER_SECONDS = 5
# Class 08 (connection), 57P01–03 (the server shutting down or starting), 25006 (read-only: a
# connection that still reaches the old primary after it became a standby).
_UNREACHABLE_STATES = {"08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "25006"}


def database_unreachable(error: BaseException | None) -> bool:
    """A connection-level failure (SQLSTATE class 08, the server shutting down, or the socket), or
    one SQLAlchemy's dialect judged a disconnect (e.g. asyncpg's "another operation is in progress"
    on a connection the server has just dropped)."""
    while error is not None:
        if getattr(error, "connection_invalidated", False):
            return True
        state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if state in _UNREACHABLE_STATES or isinstance(error, (OSError, ConnectionError)):
            return True
        if type(error).__name__ in ("ConnectionDoesNotExistError", "InterfaceError", "CannotConnectNowError"):
            return True
        error = error.__cause__ or error.__context__
    return False


def unavailable(request: Request, exc: BaseException) -> JSONResponse:
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(UNAVAILABLE, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": ".".join(str(p) for p in e["loc"] if p != "body"), "rule": rule_of(e), "type": e["type"]}
                  for e in exc.errors()]
        return JSONResponse({"detail": "请求中有不符合要求的项目 / the request has invalid fields", "errors": errors},
                            status_code=422)

    # Text PostgreSQL cannot store: a NUL character (22P05 in JSON, 22021 in text) or an unpaired
    # surrogate (fails to encode). The transaction rolled back; the caller gets a 422, not a 500.
    @app.exception_handler(DBAPIError)
    async def unstorable(request: Request, exc: DBAPIError) -> JSONResponse:
        state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        cause = getattr(exc.orig, "__cause__", None)
        state = state or getattr(cause, "sqlstate", None)
        if state in ("22P05", "22021"):
            return JSONResponse(UNSTORABLE, status_code=422)
        if state in ("40P01", "40001"):
            return JSONResponse(COLLIDED, status_code=409, headers={"Retry-After": "1"})
        if exc.connection_invalidated or database_unreachable(exc.orig):
            return unavailable(request, exc)
        log.exception("database error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)

    @app.exception_handler(OSError)  # the connection refused or reset before SQLAlchemy wraps it
    async def unreachable(request: Request, exc: OSError) -> JSONResponse:
        return unavailable(request, exc)

    @app.exception_handler(UnicodeEncodeError)
    async def unencodable(_: Request, exc: UnicodeEncodeError) -> JSONResponse:
        return JSONResponse(UNSTORABLE, status_code=422)

    @app.exception_handler(PageRefusal)
    async def page(_: Request, exc: PageRefusal) -> Response:
        return exc.response

    @app.exception_handler(DomainRefusal)
    async def refused(_: Request, exc: DomainRefusal) -> JSONResponse:
        body = {"detail": exc.message, "rule": exc.rule}
        if exc.field:
            body["field"] = exc.field
        if exc.details:
            body.update(exc.details)
        return JSONResponse(body, status_code=exc.status)
