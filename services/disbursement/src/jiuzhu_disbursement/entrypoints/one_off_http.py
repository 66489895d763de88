"""HTTP routes of the one-off batches (临时救助一次性发放; issue 16 item 1): the bureau issues, finance
downloads and confirms — as for a roster, outside it."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal
from jiuzhu_kernel.refusal import DomainRefusal

from jiuzhu_disbursement.domain.one_off_batch import BatchLine, canonical
from jiuzhu_disbursement.service_layer import one_off_batches
from jiuzhu_disbursement.service_layer.handlers import Disbursement

BA, FIN, INS, AUD = Role.BUREAU_ADMIN, Role.FINANCE, Role.INSPECTOR, Role.AUDITOR


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IssueIn(Body):
    model_config = examples({"jurisdiction": None}, {"jurisdiction": "650205001"})

    jurisdiction: str | None = Field(None, pattern=r"^\d{6,12}$", description="辖区；空为全区 / Empty: district")


class TranchePaymentIn(Body):
    case_id: str = Field(max_length=40)
    tranche: int = Field(ge=1, le=100)
    status: Literal["paid", "failed"]
    failure_reason: str | None = Field(None, max_length=500)


class BatchConfirmIn(Body):
    model_config = examples({"all": "paid"}, {"lines": [{"case_id": "650205001-2022-00001", "tranche": 1,
                                                      "status": "failed", "failure_reason": "账户已销户"}]})

    all: Literal["paid"] | None = Field(None, description="整批确认已发放 / Confirm every line paid")
    lines: list[TranchePaymentIn] = Field(default_factory=list, max_length=100000, description="逐行确认 / Line by line")


def router(ctx: Disbursement, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["one-off batches"])
    readers = access.allow(district=[BA, FIN, INS, AUD])

    @api.post("/one-off-batches", summary="编制临时救助一次性发放批次并报送财政 / Issue a one-off batch of the "
              "temporary-assistance tranches payable today (bureau_admin)")
    async def issue(body: IssueIn, who: Principal = Depends(access.allow(district=[BA]))):
        return await one_off_batches.issue_batch(ctx, body.jurisdiction, who.actor(BA))

    @api.get("/one-off-batches", summary="一次性发放批次 / One-off batches, newest first")
    async def list_(status: Literal["issued", "confirmed"] | None = None, limit: int = Query(100, ge=1, le=1000),
                    _: Principal = Depends(readers)):
        return await one_off_batches.batches(ctx, status, limit)

    @api.get("/one-off-batches/{bid}", summary="批次及逐行发放结果 / A batch and where each line stands")
    async def get_(bid: str, _: Principal = Depends(readers)):
        return await one_off_batches.batch(ctx, bid)

    @api.get("/one-off-batches/{bid}/export.csv", summary="下载批次 CSV（含校验码）/ The batch as CSV with checksum")
    async def export(bid: str, _: Principal = Depends(access.allow(district=[BA, FIN, AUD]))):
        found = await one_off_batches.batch(ctx, bid)
        lines = [BatchLine(l["jurisdiction"], l["case_id"], l["tranche"], l["amount_fen"], l["name"], "", l["carried"])
                 for l in found["lines_detail"]]
        accounts = await one_off_batches.accounts(ctx, bid)
        lines = [BatchLine(l.jurisdiction, l.case_id, l.tranche, l.amount_fen, l.name, accounts[(l.case_id, l.tranche)],
                           l.carried) for l in lines]
        body = canonical(lines) + f"\n# total_fen: {found['total_fen']}\n# sha256 of the lines above: {found['checksum']}\n"
        return Response(body, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{bid}.csv"', "X-Batch-Checksum": found["checksum"]})

    @api.post("/one-off-batches/{bid}/payments", summary="确认发放（逐行或整批）/ Confirm payments (finance)")
    async def confirm(bid: str, body: BatchConfirmIn, who: Principal = Depends(access.allow(district=[FIN]))):
        if not body.all and not body.lines:
            raise DomainRefusal("give all='paid' or at least one line", rule="form", status=422, field="lines")
        lines = [(l.case_id, l.tranche, l.status, l.failure_reason) for l in body.lines]
        return await one_off_batches.confirm_batch(ctx, bid, all_status=body.all, lines=lines or None,
                                                   actor=who.actor(FIN))

    return api
