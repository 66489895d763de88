"""Sign-in and sign-out: the province's identity provider, or the development staff directory."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from jiuzhu_console.adapters.sign_in import SignInFailed
from jiuzhu_console.entrypoints.web import SIGN_IN_REASONS, Web


def _safe_next(target: str | None) -> str:
    """Only a path of this site (no ``//host`` or scheme): an open redirect would let a link send a
    freshly signed-in person elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def router(web: Web, sign_in) -> APIRouter:
    pages = APIRouter()

    @pages.get("/signin")
    async def signin_page(request: Request, next: str = "/", reason: str = ""):
        if sign_in.kind == "oidc":
            request.session["next"] = _safe_next(next)
            return await sign_in.redirect(request, str(request.url_for("oidc_callback")))
        return web.render(request, "signin.html", staff=sign_in.directory(), next=_safe_next(next),
                          reason=SIGN_IN_REASONS.get(reason, ""), jurisdiction_name=web.console.jurisdiction_name)

    @pages.post("/signin")
    async def signin(request: Request, staff_id: str = Form(...), next: str = Form("/")):
        if sign_in.kind != "development":
            return RedirectResponse("/signin", status_code=303)
        try:
            token = sign_in.token_for(staff_id)
        except SignInFailed as exc:
            return web.render(request, "signin.html", staff=sign_in.directory(), next=_safe_next(next),
                              reason=str(exc), errors={"staff_id": str(exc)}, status_code=400,
                              jurisdiction_name=web.console.jurisdiction_name)
        web.start_session(request, token)
        return web.back(_safe_next(next))

    @pages.get("/signin/callback", name="oidc_callback")
    async def oidc_callback(request: Request):
        try:
            token = await sign_in.token_from_callback(request)
            who = web.verifier.verify(token)
            if who.district != web.console.district:
                raise SignInFailed(f"该账号属于行政区划 {who.district}，不是本区（{web.console.district}）")
        except SignInFailed as exc:
            return web.render(request, "message.html", title="登录未成功", message=str(exc), status_code=401)
        except Exception as exc:  # the token does not carry what the services verify
            return web.render(request, "message.html", title="登录未成功",
                              message=f"身份令牌不符合本系统要求：{getattr(exc, 'detail', exc)}", status_code=401)
        target = _safe_next(request.session.get("next"))
        web.start_session(request, token)
        return web.back(target)

    @pages.post("/signout")
    async def signout(request: Request):
        request.session.clear()
        web.flash(request, "已退出登录")
        return web.back("/signin")

    return pages
