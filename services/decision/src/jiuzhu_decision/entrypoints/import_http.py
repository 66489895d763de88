"""HTTP routes of the 存量对象 import: the template, the upload, the record of past imports.

The upload is read here with a hard cap — the body is counted as it streams in, so a 50 MB file is
refused with a 413 after 5 MB, not after it has been spooled to disk — and handed to the service
layer as bytes; any file it cannot read is a 4xx that says why.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_decision.adapters import import_files
from jiuzhu_decision.adapters.import_files import MAX_BYTES, FileRefused, too_large
from jiuzhu_decision.service_layer import recipient_import
from jiuzhu_decision.service_layer.support import SupportContext

L, C, BA = Role.LEADER, Role.CLERK, Role.BUREAU_ADMIN
MULTIPART_OVERHEAD = 64 * 1024  # the form's boundaries and part headers around the file
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_SCHEMA = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {"file": {
        "type": "string", "format": "binary",
        "description": "存量对象名单：CSV（UTF-8）或 XLSX，列见模板 / the list, CSV (UTF-8) or XLSX, columns as the template"}}}}}}}


async def read_upload(request: Request) -> tuple[str, bytes]:
    """The multipart field ``file``: its name and bytes, never more than the limit read."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BYTES + MULTIPART_OVERHEAD:
        raise too_large(int(length))
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise FileRefused("请以 multipart/form-data 上传，文件字段名为 file", "upload the file as multipart/form-data "
                          "in the field “file”")

    over = False

    async def capped():
        # Ends the stream at the limit (a body sent without Content-Length); the parser then closes
        # what it spooled, and the flag turns the truncated form into a 413.
        nonlocal over
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > MAX_BYTES + MULTIPART_OVERHEAD:
                over = True
                return
            yield chunk

    try:
        form = await MultiPartParser(request.headers, capped(), max_files=1, max_fields=10).parse()
    except MultiPartException as exc:
        if over:
            raise too_large() from None
        raise FileRefused(f"上传的表单无法读取（{exc.message}）", f"the uploaded form cannot be read: {exc.message}") \
            from None
    if over:
        await form.close()
        raise too_large()
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise FileRefused("缺少文件字段 file", "the form has no file in the field “file”")
        data = await upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise too_large()
        return upload.filename or "", data
    finally:
        await form.close()


def router(ctx: SupportContext, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["supported households"])
    importers = access.allow(L, C, district=[BA])

    def role_of(who: Principal) -> Role:
        return BA if who.jurisdiction == ctx.district else (L if L in who.roles else C)

    @api.get("/supported-households/import-template",
             summary="存量对象导入模板 / The template of the existing-recipients file (CSV or XLSX)")
    async def template(format: Literal["csv", "xlsx"] = Query("xlsx"), _: Principal = Depends(importers)) -> Response:
        if format == "csv":
            return Response(import_files.template_csv(), media_type="text/csv; charset=utf-8", headers={
                "Content-Disposition": "attachment; filename=\"recipients.csv\"; filename*=UTF-8''%E5%AD%98%E9%87%8F%E5%AF%B9%E8%B1%A1.csv"})
        return Response(import_files.template_xlsx(), media_type=XLSX_TYPE, headers={
            "Content-Disposition": "attachment; filename=\"recipients.xlsx\"; filename*=UTF-8''%E5%AD%98%E9%87%8F%E5%AF%B9%E8%B1%A1.xlsx"})

    @api.post("/supported-households/import", openapi_extra=UPLOAD_SCHEMA,
              summary="存量对象导入（全部通过才导入；重复导入不变）/ Import existing recipients: all or nothing, idempotent",
              responses={413: {"description": "文件过大 / the file is above the limit"},
                         422: {"description": "坏行清单，未导入任何一户 / every bad row; nothing imported"}})
    async def upload(request: Request, who: Principal = Depends(importers)) -> dict:
        file_name, data = await read_upload(request)
        result = await recipient_import.import_recipients(ctx, file_name=file_name, data=data,
                                                          actor=who.actor(role_of(who)))
        return {"file_name": result.file_name, "file_sha256": result.file_sha256, "rows": result.rows,
                "imported": result.imported, "unchanged": result.unchanged, "case_ids": list(result.case_ids)}

    @api.get("/supported-households/imports", summary="存量对象导入记录 / The imports made here, latest first")
    async def imports(limit: int = Query(100, ge=1, le=1000), _: Principal = Depends(importers)) -> list[dict]:
        return await recipient_import.recent_imports(ctx, limit)

    return api
