"""What the console does to every request before a page sees it and to every answer after: the
headers a page of personal data needs, and refusals of requests no page of the console makes."""

from __future__ import annotations

from urllib.parse import urlsplit

# Pages hold personal data: not kept by the browser or a proxy, not framed by any other page (a
# framed page with a live session can be clicked through), scripts and styles only from the console
# itself (inline styles: the documents' and the charts' own).
SECURITY_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 b"img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
]
STATIC_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"cache-control", b"public, max-age=3600")]
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# The forms that send a file (存量对象导入): multipart there, and only there.
MULTIPART_PATHS = frozenset({"/caseload/import"})


def checks_own_csrf(scope) -> bool:
    """A file upload to one of MULTIPART_PATHS: asgi_csrf's multipart reader fails with the
    python-multipart we run (its ``FileClass`` argument is gone), so the page compares the form's
    token with the signed cookie's itself (``same_csrf_token``); the Origin check above still applies."""
    kind = dict(scope.get("headers") or []).get(b"content-type", b"").split(b";", 1)[0].strip().lower()
    return scope.get("path") in MULTIPART_PATHS and kind == b"multipart/form-data"


def same_csrf_token(scope, sent) -> bool:
    """The form's token is this browser's signed CSRF cookie (a missing or forged cookie yields a
    fresh token, which no form holds)."""
    import secrets

    expected = scope["csrftoken"]() if "csrftoken" in scope else ""
    return bool(expected) and isinstance(sent, str) and secrets.compare_digest(sent, expected)


async def _refuse(send, status: int, text: str) -> None:
    body = (f"<!doctype html><meta charset=utf-8><title>请求未被接受</title><p>{text}</p>"
            "<p><a href=\"/\">返回工作台</a></p>").encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


def guarded(app):
    """Wraps the whole console (outside the CSRF check)."""

    async def asgi(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        if scope["method"] not in SAFE_METHODS:
            # A form of the console is urlencoded (a file upload: multipart) and sent from its own pages.
            kind = headers.get(b"content-type", b"").split(b";", 1)[0].strip().lower()
            if kind not in (b"application/x-www-form-urlencoded", b"") and \
                    not (kind == b"multipart/form-data" and scope["path"] in MULTIPART_PATHS):
                return await _refuse(send, 415, "工作台只接受页面表单提交的数据。")
            origin = headers.get(b"origin")
            if origin and origin != b"null":
                own = headers.get(b"host", b"").decode("latin-1")
                if urlsplit(origin.decode("latin-1")).netloc != own:
                    return await _refuse(send, 403, "请求来自其他网站，已拒绝（来源校验未通过）。")
        extra = STATIC_HEADERS if scope["path"].startswith("/static/") else SECURITY_HEADERS

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *((k, v) for k, v in extra if k not in present)]
            await send(message)

        started = False

        async def tracking(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await with_headers(message)

        try:
            await app(scope, receive, tracking)
        except UnicodeDecodeError:  # a form body that is not UTF-8 (the CSRF check reads it first)
            if started:
                raise
            await _refuse(send, 400, "提交的数据不是有效的 UTF-8 文本。")

    return asgi
