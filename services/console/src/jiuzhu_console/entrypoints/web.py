"""What every page shares: templates and their filters, who is signed in, flash messages, and how a
service's refusal is shown next to the field it names."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from jiuzhu_runtime.auth import TokenVerifier
from jiuzhu_runtime.errors import PageRefusal

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain import labels
from jiuzhu_console.domain.person import Person
from jiuzhu_console.domain.urgency import Urgency

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


class SignInRequired(Exception):
    def __init__(self, next_url: str, reason: str = ""):
        self.next_url, self.reason = next_url, reason


def yuan(fen) -> str:
    if fen is None or fen == "":
        return "—"
    fen = int(fen)
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100:,}.{abs(fen) % 100:02d}"


def zh_date(value) -> str:
    if not value:
        return "—"
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return f"{day.year}年{day.month}月{day.day}日"


def zh_datetime(value, tz: ZoneInfo = ZoneInfo("Asia/Shanghai")) -> str:
    """A moment in the district's own time (the services answer in UTC)."""
    if not value:
        return "—"
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return f"{zh_date(moment.date())} {moment:%H:%M}"


def make_templates(timezone: str = "Asia/Shanghai") -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.filters.update(yuan=yuan, zh_date=zh_date, zh_datetime=lambda v: zh_datetime(v, ZoneInfo(timezone)), category=labels.category,
                       role=labels.role, clock=labels.clock, relation=lambda r: labels.RELATION.get(r, r))
    env.globals.update(Urgency=Urgency, labels=labels)
    return templates


# Why a person is asked to sign in again: a code in the address, its words here (never text from
# the address itself, which anyone could write into a link).
SIGN_IN_REASONS = {"expired": "登录已过期，请重新登录", "idle": "长时间未操作，请重新登录"}


class SessionSeal:
    """The staff token inside the session cookie is encrypted (Fernet, a key derived from the
    session secret): the cookie is signed by the session middleware, and unreadable as well, so a
    copied cookie does not hand over a bearer token for the services."""

    def __init__(self, secret: str):
        import base64
        import hashlib

        from cryptography.fernet import Fernet

        key = hashlib.sha256(b"jiuzhu-console-session-token|" + secret.encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, token: str) -> str:
        return self._fernet.encrypt(token.encode()).decode()

    def open(self, sealed: str) -> str | None:
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except (InvalidToken, ValueError):
            return None


class Web:
    """Built once in the composition root; pages take what they need from it."""

    def __init__(self, templates: Jinja2Templates, verifier: TokenVerifier, console, *, seal: SessionSeal,
                 idle_minutes: float = 30):
        self.templates, self.verifier, self.console = templates, verifier, console
        self.seal, self.idle_seconds = seal, idle_minutes * 60

    # --- who is signed in --------------------------------------------------------------------
    def start_session(self, request: Request, token: str) -> None:
        """A new session (never the old one's contents: no fixation) holding the sealed token."""
        request.session.clear()
        request.session["token"] = self.seal.seal(token)
        request.session["seen"] = int(time.time())

    def person(self, request: Request) -> Person:
        token = self.seal.open(request.session.get("token") or "")
        if not token:
            request.session.clear()
            raise SignInRequired(request.url.path)
        now = time.time()
        seen = request.session.get("seen", 0)
        if not isinstance(seen, int) or now - seen > self.idle_seconds:
            request.session.clear()
            raise SignInRequired(request.url.path, "idle")
        if now - seen > 60:  # the cookie is rewritten at most once a minute
            request.session["seen"] = int(now)
        try:
            who = self.verifier.verify(token)
        except HTTPException:
            request.session.clear()
            raise SignInRequired(request.url.path, "expired") from None
        return Person(id=who.id, name=who.name, roles=who.roles, jurisdiction=who.jurisdiction,
                      district=who.district, token=token)

    def holder(self, request: Request, *roles, page: str) -> Person:
        """The signed-in person, if they hold one of ``roles``; otherwise the 403 page is shown
        instead (raised: the services would refuse them anyway; this says so before any call)."""
        person = self.person(request)
        if not person.has(*roles):
            raise PageRefusal(self.render(request, "message.html", person, title="无权访问",
                                          message=f"{page}需要以下角色之一：{'、'.join(labels.role(r) for r in roles)}。",
                                          status_code=403))
        return person

    # --- pages -------------------------------------------------------------------------------
    def render(self, request: Request, template: str, person: Person | None = None, status_code: int = 200,
               **context):
        flashes = request.session.pop("flash", []) if "session" in request.scope else []
        token = request.scope["csrftoken"]() if "csrftoken" in request.scope else ""
        csrf_field = Markup(f'<input type="hidden" name="csrftoken" value="{escape(token)}">')
        return self.templates.TemplateResponse(
            request, template, {"person": person, "flashes": flashes, "console": self.console, "csrf_field": csrf_field,
                                "district": self.console.config.district, **context},
            status_code=status_code)

    @staticmethod
    def flash(request: Request, message: str, kind: str = "ok") -> None:
        request.session.setdefault("flash", [])
        request.session["flash"] = [*request.session["flash"], {"kind": kind, "text": message}]

    @staticmethod
    def back(url: str) -> RedirectResponse:
        """After a successful form: POST → redirect → GET (a reload never sends it twice)."""
        return RedirectResponse(url, status_code=303)

    def refused(self, request: Request, template: str, person: Person, refusal: ApiRefused, **context):
        """The page again with the refusal: its words on top, each named field's rule beside it."""
        status = refusal.status if 400 <= refusal.status < 500 else 503
        return self.render(request, template, person, status_code=status, refusal=refusal,
                           errors=refusal.fields, **context)


def sign_in_redirect(exc: SignInRequired) -> RedirectResponse:
    target = "/signin?next=" + quote(exc.next_url)
    if exc.reason:
        target += "&reason=" + quote(exc.reason)
    return RedirectResponse(target, status_code=303)
