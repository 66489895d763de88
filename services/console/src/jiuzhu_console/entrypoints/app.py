"""The console's web application: pages, static files, the session cookie and CSRF protection."""

from __future__ import annotations

from asgi_csrf import asgi_csrf
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from jiuzhu_runtime.errors import PageRefusal
from jiuzhu_runtime.logging_setup import request_logger

from jiuzhu_console.entrypoints.pages import caseload
from jiuzhu_console.entrypoints.pages import (bureau, cases, clerk, committee, district, documents, finance, home,
                                              investigator, leader, reviewer, signin)
from jiuzhu_console.entrypoints.pages import support
from jiuzhu_console.entrypoints.pages import household_changes, re_reviews
from jiuzhu_console.entrypoints.pages import fund_plan, statistics
from jiuzhu_console.entrypoints.pages import discoveries, inspections, petitions
from jiuzhu_console.entrypoints.pages import temporary
from jiuzhu_console.entrypoints.guards import checks_own_csrf, guarded
from jiuzhu_console.entrypoints.web import STATIC, SignInRequired, Web, sign_in_redirect

ROLE_PAGES = (clerk, investigator, reviewer, committee, leader, bureau, finance, cases, documents, district)
ROLE_PAGES += (support,)  # households on support: changes, gradual exit, notices, the standard raise (issue 15)
ROLE_PAGES += (caseload,)  # issue 15: 存量对象导入
ROLE_PAGES += (re_reviews, household_changes)  # issue 15: 定期核查; 户内变更 and moves between jurisdictions
ROLE_PAGES += (statistics, fund_plan)  # issue 16 item 5: statistics charted, the district's and each jurisdiction's own; item 4: the fund plan projected
ROLE_PAGES += (petitions,)  # issue 16: 信访件登记、转办督办、答复
ROLE_PAGES += (discoveries,)  # issue 16: 主动发现报告及跟进（代为申请）
ROLE_PAGES += (inspections,)  # issue 16: 督查、发现的问题、追责
ROLE_PAGES += (temporary,)  # issue 16 item 1: 先行救助 and the one-off batches


async def csrf_failed(scope, send, message_id) -> None:
    """A form without this session's CSRF token: refused, in words a clerk can act on."""
    body = ("<!doctype html><meta charset=utf-8><title>请求未通过校验</title>"
            "<p>表单已过期或来源不明（CSRF 校验未通过），请返回页面刷新后重新提交。</p>"
            "<p><a href=\"/\">返回工作台</a></p>").encode()
    await send({"type": "http.response.start", "status": 403,
                "headers": [[b"content-type", b"text/html; charset=utf-8"]]})
    await send({"type": "http.response.body", "body": body})


def create_app(web: Web, sign_in, *, secret: str, https_only: bool):
    app = FastAPI(title="jiuzhu 工作台 Staff console", docs_url=None, redoc_url=None, openapi_url=None)
    request_logger(app)
    # A browser-session cookie (no Max-Age: gone when the browser closes); the token inside ends the
    # session at its expiry (≤ JZ_SESSION_HOURS, the sign-in sets it) and Web.person after idle_minutes without a page.
    # Behind HTTPS the name takes the __Host- prefix: Secure, this host only, path /.
    app.add_middleware(SessionMiddleware, secret_key=secret,
                       session_cookie="__Host-jz_session" if https_only else "jz_session",
                       max_age=None, same_site="lax", https_only=https_only)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    @app.exception_handler(PageRefusal)
    async def _refused(_: Request, exc: PageRefusal):
        return exc.response

    @app.exception_handler(SignInRequired)
    async def _signin(_: Request, exc: SignInRequired):
        return sign_in_redirect(exc)

    @app.get("/health", include_in_schema=False)
    async def health():
        return {"status": "ok", "service": "console"}

    app.include_router(signin.router(web, sign_in))
    app.include_router(home.router(web))
    for module in ROLE_PAGES:
        app.include_router(module.router(web))
    return guarded(asgi_csrf(app, signing_secret=secret, cookie_secure=https_only, cookie_samesite="Strict",
                             always_protect={"/signin", "/signout"}, send_csrf_failed=csrf_failed,
                             skip_if_scope=checks_own_csrf))
