"""Pages of the console: every printable document as a print-ready page and as a PDF. The service
that issues a document renders it (fetched with the person's own token, so its access rules
apply); the console adds only a toolbar that is not printed, or lays the page out as a PDF."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jiuzhu_console.adapters.pdf import render_pdf
from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.domain import documents as D
from jiuzhu_console.entrypoints.web import Web

BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)


def print_ready(document: str, toolbar: str) -> str:
    """The service's document with the toolbar first in its body (the toolbar hides itself in print)."""
    found = BODY.search(document)
    if found is None:
        return toolbar + document
    return document[:found.end()] + toolbar + document[found.end():]


def router(web: Web) -> APIRouter:
    pages = APIRouter()

    async def fetch(request: Request, kind_name: str, ref: str):
        """(kind, html) or the page that says why not."""
        person = web.person(request)
        kind = D.kind_of(kind_name)
        if kind is None or not D.valid_ref(ref):
            today = await web.console.today()
            what = "文书种类" if kind is None else "文书编号"
            return person, None, web.render(request, "message.html", person, today=today, status_code=404,
                                            title="没有这份文书", message=f"没有这种{what}：{kind_name if kind is None else ref}。")
        jurisdiction = D.jurisdiction_for(kind, ref, request.query_params.get("jurisdiction"), person.jurisdiction,
                                          person.at_district)
        try:
            if not kind.at_district and jurisdiction is None:
                raise ApiRefused(422, "请指明申请所在的街道（乡镇）（jurisdiction）", {}, kind.service)
            html = await web.console.api.document(kind.service, jurisdiction, kind.path_for(ref), person.token)
        except ApiRefused as refusal:
            today = await web.console.today()
            status = refusal.status if 400 <= refusal.status < 500 else 503
            return person, None, web.render(request, "message.html", person, today=today, status_code=status,
                                            title=f"未能取得{kind.title}",
                                            message=f"{refusal.message}（{refusal.service} 服务答复 {refusal.status}）")
        return person, (kind, jurisdiction), html

    @pages.get("/documents/{kind_name}/{ref}.pdf")
    async def pdf(request: Request, kind_name: str, ref: str):
        person, found, html = await fetch(request, kind_name, ref)
        if found is None:
            return html
        kind, _ = found
        body = await render_pdf(html)
        return Response(body, media_type="application/pdf",
                        headers={"Content-Disposition": D.content_disposition(kind.file_name(ref),
                                                                             kind.ascii_file_name(ref))})

    @pages.get("/documents/{kind_name}/{ref}")
    async def page(request: Request, kind_name: str, ref: str):
        person, found, html = await fetch(request, kind_name, ref)
        if found is None:
            return html
        kind, jurisdiction = found
        pdf_url = f"/documents/{kind.kind}/{ref}.pdf"
        if kind.ref_is == "application" and jurisdiction:
            pdf_url += f"?jurisdiction={jurisdiction}"
        toolbar = web.templates.get_template("documents/toolbar.html").render(kind=kind, ref=ref, pdf_url=pdf_url)
        return HTMLResponse(print_ready(html, toolbar))

    return pages
