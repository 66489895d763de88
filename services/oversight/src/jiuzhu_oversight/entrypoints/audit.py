"""The audit chain's HTTP API: checkpoints on demand, and verification (auditors)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_oversight.adapters.stream_reader import EventStreamReader, StreamUnreadable
from jiuzhu_oversight.service_layer import audit
from jiuzhu_oversight.service_layer.context import Oversight

BA, AUD = Role.BUREAU_ADMIN, Role.AUDITOR


def router(ctx: Oversight, access: AccessPolicy, stream: EventStreamReader) -> APIRouter:
    api = APIRouter()

    @api.post("/audit/checkpoints", status_code=201, tags=["audit"],
              summary="发布审计链检查点 / Publish a checkpoint of the trail's head now (auditor, bureau)")
    async def checkpoint(who: Principal = Depends(access.allow(district=[AUD, BA]))):
        return await audit.record_checkpoint(ctx, who.actor(AUD if AUD in who.roles else BA))

    @api.get("/audit/verify", tags=["audit"], summary="校验审计链未被篡改 / Verify the trail is unaltered (auditor)")
    async def verify_chain(_: Principal = Depends(access.allow(district=[AUD]))):
        try:
            return await audit.verify_trail(ctx, stream)
        except StreamUnreadable as exc:
            raise DomainRefusal(f"the events stream could not be read: {exc}", rule="verification reads the whole "
                                "stream within its time bound", status=503) from None

    return api
