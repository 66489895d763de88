"""Pages of the console: the case page (everything about one case the person may see, and the actions
they may take now) and a simple case list/search for the person's jurisdiction(s)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.entrypoints.web import Web
from jiuzhu_console.domain.documents import content_disposition
from jiuzhu_console.service_layer import archive, case_view
from jiuzhu_console.service_layer.case_view import STAGE_LABELS


def refusal_page(web: Web, request: Request, person, refusal: ApiRefused, today, case_id: str = ""):
    """The service refused (another jurisdiction's case: 403) or has no such case (404): say so, show nothing."""
    title = {403: "无权查看该案件", 404: "未找到该案件"}.get(refusal.status, "暂时无法显示该案件")
    status = refusal.status if refusal.status in (403, 404) else 503
    return web.render(request, "cases/refused.html", person, status_code=status, today=today, title=title,
                      denied=refusal, case_id=case_id)


def router(web: Web) -> APIRouter:
    pages = APIRouter()

    @pages.get("/cases")
    async def cases(request: Request, q: str = "", stage: str = "", jurisdiction: str = ""):
        person = web.person(request)
        today = await web.console.today()
        q = q.strip()
        if q and q.count("-") == 2 and q.split("-", 1)[0].isdigit():
            return web.back(f"/cases/{q}")
        api, rows, refusal = web.console.api, [], None
        try:
            if person.at_district:
                rows = await api.get("oversight", None, "/cases", person.token, stage=stage or None, limit=500,
                                     jurisdiction=jurisdiction if jurisdiction.isascii() and jurisdiction.isdigit()
                                     else None)
            else:
                rows = await api.get("intake", person.jurisdiction, "/cases", person.token, stage=stage or None,
                                     limit=500)
        except ApiRefused as exc:
            refusal = exc
        if q:
            rows = [r for r in rows if q in r["case_id"] or q in (r.get("applicant_name") or "")]
        rows.sort(key=lambda r: r["case_id"], reverse=True)
        return web.render(request, "cases/list.html", person, today=today, rows=rows, q=q, stage=stage,
                          jurisdiction=jurisdiction, stages=STAGE_LABELS, list_refusal=refusal,
                          jurisdictions=web.console.jurisdictions_of(person))

    @pages.get("/cases/{case_id}")
    async def case(request: Request, case_id: str):
        person = web.person(request)
        today = await web.console.today()
        try:
            view = await case_view.load(web.console, person, case_id, today)
        except ApiRefused as refusal:
            return refusal_page(web, request, person, refusal, today, case_id)
        return web.render(request, "cases/case.html", person, today=today, case=view)

    @pages.get("/cases/{case_id}/archive.zip")
    async def case_archive(request: Request, case_id: str):
        """档案: the case as one archive for the records office (closed or on support only)."""
        person = web.person(request)
        try:
            name, body = await archive.build(web.console, person, case_id)
        except ApiRefused as refusal:
            return refusal_page(web, request, person, refusal, await web.console.today(), case_id)
        except DomainRefusal as refusal:
            return web.render(request, "message.html", person, today=await web.console.today(), status_code=409,
                              title="尚不能归档", message=refusal.message)
        return Response(body, media_type="application/zip",
                        headers={"Content-Disposition": content_disposition(name, f"archive-{case_id}.zip")})

    return pages
