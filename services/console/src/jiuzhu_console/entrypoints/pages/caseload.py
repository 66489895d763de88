"""Pages of the console: 存量对象导入 (issue 15) — the clerk or leader of a jurisdiction, or the
district bureau for one, downloads the template, uploads the district's list and sees either the
counts or every bad row (the decision service checks; nothing is imported unless every row passes)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from jiuzhu_contracts.base import Role

from jiuzhu_console.adapters.services_api import ApiRefused
from jiuzhu_console.entrypoints.guards import same_csrf_token
from jiuzhu_console.entrypoints.web import Web

IMPORTERS = (Role.CLERK, Role.LEADER, Role.BUREAU_ADMIN)
MAX_UPLOAD = 5 * 1024 * 1024  # decision's own limit (adapters/import_files.MAX_BYTES); it checks again
PAGE = "存量对象导入页面"


def router(web: Web) -> APIRouter:
    pages = APIRouter()
    api = web.console.api

    def where(person, asked: str) -> tuple[str, list[str]]:
        """The jurisdiction imported into: one's own; the district bureau chooses."""
        if not person.at_district:
            return person.jurisdiction, [person.jurisdiction]
        choices = web.console.jurisdictions_of(person)
        return (asked if asked in choices else choices[0]), choices

    async def page(request, person, jurisdiction, choices, status_code=200, **result):
        today = await web.console.today()
        imports, refusal = [], None
        try:
            imports = await api.get("decision", jurisdiction, "/supported-households/imports", person.token)
        except ApiRefused as exc:
            refusal = exc
        return web.render(request, "caseload/import.html", person, status_code=status_code, today=today,
                          jurisdiction=jurisdiction, choices=choices, imports=imports, list_refusal=refusal,
                          **result)

    @pages.get("/caseload/import")
    async def form(request: Request, jurisdiction: str = ""):
        person = web.holder(request, *IMPORTERS, page=PAGE)
        code, choices = where(person, jurisdiction)
        return await page(request, person, code, choices)

    @pages.get("/caseload/import-template")
    async def template(request: Request, format: str = "xlsx", jurisdiction: str = ""):
        person = web.holder(request, *IMPORTERS, page=PAGE)
        code, _ = where(person, jurisdiction)
        fmt = "csv" if format == "csv" else "xlsx"
        try:
            answer = await api.request("GET", "decision", code, "/supported-households/import-template",
                                       person.token, params={"format": fmt})
        except ApiRefused as exc:
            return web.render(request, "message.html", person, status_code=exc.status if exc.status < 500 else 503,
                              title="未能下载模板", message=exc.message)
        return Response(answer.content, media_type=answer.headers.get("content-type"),
                        headers={"Content-Disposition": answer.headers.get("content-disposition", "attachment")})

    @pages.post("/caseload/import")
    async def upload(request: Request):
        person = web.holder(request, *IMPORTERS, page=PAGE)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_UPLOAD + 64 * 1024:
            code, choices = where(person, "")
            return await page(request, person, code, choices, status_code=413,
                              problem=f"文件过大，上限 {MAX_UPLOAD // (1024 * 1024)} MB：请按居（村）委会分成几个文件导入。")
        form = await request.form(max_files=1, max_fields=10)
        try:
            if not same_csrf_token(request.scope, form.get("csrftoken")):
                return web.render(request, "message.html", person, status_code=403, title="请求未通过校验",
                                  message="表单已过期或不是从本页面提交的，请刷新页面后重新上传。")
            code, choices = where(person, str(form.get("jurisdiction", "")))
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return await page(request, person, code, choices, status_code=422, problem="请选择要导入的文件。")
            data = await upload.read(MAX_UPLOAD + 1)
            name = upload.filename
        finally:
            await form.close()
        if len(data) > MAX_UPLOAD:
            return await page(request, person, code, choices, status_code=413,
                              problem=f"文件过大，上限 {MAX_UPLOAD // (1024 * 1024)} MB：请按居（村）委会分成几个文件导入。")
        try:
            status, body = await api.upload("decision", code, "/supported-households/import", person.token,
                                            file_name=name, data=data)
        except ApiRefused as exc:
            return await page(request, person, code, choices, status_code=exc.status if exc.status < 500 else 503,
                              problem=exc.message)
        if status == 200:
            return await page(request, person, code, choices, done=body)
        detail = body.get("detail", "") if isinstance(body, dict) else str(body)
        rows = body.get("rows", []) if isinstance(body, dict) else []
        return await page(request, person, code, choices, status_code=status, file_name=name,
                          problem=str(detail).partition(" / ")[0] or str(detail), bad_rows=rows)

    return pages
