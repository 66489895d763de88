"""The services' public HTTP APIs, called with the signed-in person's own token. The console has no
other way in: a service refuses what the person may not do, whatever a page shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

JURISDICTION_SERVICES = ("intake", "verification", "publicity", "decision")
DISTRICT_SERVICES = ("oversight", "disbursement")


@dataclass
class ApiRefused(Exception):
    """A service said no (4xx) or could not answer (5xx, unreachable). ``fields`` maps a form field
    to the rule it broke, when the service named one (FastAPI's 422 ``loc``)."""

    status: int
    message: str
    fields: dict[str, str]
    service: str

    def __str__(self) -> str:
        return f"{self.service}: {self.status} {self.message}"


def chinese_part(text: str) -> str:
    """The services write "中文 / English"; staff read the Chinese. Text without Chinese is kept."""
    head, sep, _ = text.partition(" / ")
    return head if sep and any("\u4e00" <= ch <= "\u9fff" for ch in head) else text


def explain(body: Any) -> tuple[str, dict[str, str]]:
    """The refusal's words and, per field, its rule — from the services' error bodies
    (runtime/errors.py: ``{"detail", "rule", "field"}`` or ``{"detail", "errors": [{"field", "rule"}]}``)."""
    if not isinstance(body, dict):
        return str(body)[:300], {}
    detail = body.get("detail", "")
    fields: dict[str, str] = {}
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            fields[str(error.get("field", "_"))] = str(error.get("rule", ""))
    if body.get("field"):  # the errors' own rule for the field, when they name one, is the more specific
        fields.setdefault(str(body["field"]), str(detail))
    if isinstance(detail, list):  # FastAPI's own shape
        for item in detail:
            if isinstance(item, dict):
                loc = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path")]
                fields[".".join(loc) or "_"] = str(item.get("msg", item))
        detail = "请求中有不符合要求的项目"
    message = chinese_part(str(detail))
    if body.get("rule") and str(body["rule"]) not in message:
        message = f"{message}（{body['rule']}）"
    return message, fields


SAFE_PATH = re.compile(r"/[A-Za-z0-9_\-./]*\Z", re.ASCII)


def safe_path(path: str) -> bool:
    """A service path the console builds: letters, digits, ``_ - . /`` and no ``..`` segment; the
    query goes in ``params``, never in the path."""
    return bool(SAFE_PATH.match(path)) and ".." not in path.split("/") and "//" not in path


class ServicesApi:
    def __init__(self, urls: dict[str, str], *, timeout: float = 15.0,
                 transport: httpx.AsyncBaseTransport | None = None):
        self._urls = dict(urls)
        self._client = httpx.AsyncClient(timeout=timeout, transport=transport)

    def url(self, service: str, jurisdiction: str | None = None) -> str:
        key = f"{service}/{jurisdiction}" if jurisdiction else service
        try:
            return self._urls[key]
        except KeyError:
            raise ApiRefused(404, f"本区没有该服务实例（{key}）", {}, service) from None

    def jurisdictions(self, service: str) -> list[str]:
        return sorted(k.split("/", 1)[1] for k in self._urls if k.startswith(service + "/"))

    async def request(self, method: str, service: str, jurisdiction: str | None, path: str, token: str,
                      **kwargs) -> httpx.Response:
        if not safe_path(path):
            # An id typed or forged into a page's address must not steer the call to another endpoint
            # (``?``, ``#``, ``..``, control characters): refused before anything is sent.
            raise ApiRefused(400, "编号格式不正确", {}, service)
        url = self.url(service, jurisdiction) + path
        try:
            response = await self._client.request(method, url, headers={"Authorization": f"Bearer {token}"},
                                                  **kwargs)
        except httpx.HTTPError as exc:
            raise ApiRefused(503, f"服务暂时无法访问，请稍后重试（{type(exc).__name__}）", {}, service) from None
        if 300 <= response.status_code < 400:  # the services redirect nothing an API client should follow
            raise ApiRefused(400, "编号格式不正确", {}, service)
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = response.text[:300]
            message, fields = explain(body)
            raise ApiRefused(response.status_code, message, fields, service)
        return response

    async def get(self, service: str, jurisdiction: str | None, path: str, token: str, /,
                  params: dict | None = None, **query) -> Any:
        """``params`` or keyword arguments become the query (``jurisdiction=`` too: the instance's
        jurisdiction is positional); None values are left out; a query written in ``path`` is kept
        when there are none."""
        clean = {k: v for k, v in {**(params or {}), **query}.items() if v is not None}
        return (await self.request("GET", service, jurisdiction, path, token, **({"params": clean} if clean else {})
                                   )).json()

    async def post(self, service: str, jurisdiction: str | None, path: str, token: str, body: dict | None = None) -> Any:
        response = await self.request("POST", service, jurisdiction, path, token, json=body or {})
        return response.json() if response.content else {}

    async def document(self, service: str, jurisdiction: str | None, path: str, token: str) -> str:
        """A printable document the service renders (HTML)."""
        return (await self.request("GET", service, jurisdiction, path, token)).text

    async def raw(self, service: str, jurisdiction: str | None, path: str, token: str) -> httpx.Response:
        return await self.request("GET", service, jurisdiction, path, token)

    async def upload(self, service: str, jurisdiction: str | None, path: str, token: str, *, file_name: str,
                     data: bytes) -> tuple[int, Any]:
        """A file sent as the multipart field ``file``: (status, body) when the service answers 2xx or
        413/422 — a report the page shows whole (e.g. every bad row of an import) — else ApiRefused."""
        if not safe_path(path):
            raise ApiRefused(400, "编号格式不正确", {}, service)
        try:
            response = await self._client.post(self.url(service, jurisdiction) + path, files={"file": (file_name, data)},
                                               headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError as exc:
            raise ApiRefused(503, f"服务暂时无法访问，请稍后重试（{type(exc).__name__}）", {}, service) from None
        try:
            body = response.json()
        except ValueError:
            body = response.text[:300]
        if response.status_code < 300 or response.status_code in (413, 422):
            return response.status_code, body
        message, fields = explain(body)
        raise ApiRefused(response.status_code, message, fields, service)

    async def business_now(self) -> str | None:
        """The district's business time as its services see it (``/health``; the rehearsal clock
        when one is set, the wall clock in production)."""
        try:
            body = (await self._client.get(self.url("oversight") + "/health")).json()
            return body.get("business_now")
        except (httpx.HTTPError, ValueError, ApiRefused):
            return None

    async def aclose(self) -> None:
        await self._client.aclose()
