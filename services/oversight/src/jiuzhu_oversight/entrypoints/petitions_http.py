"""信访 / 举报: the bureau registers, transfers and closes petitions; the jurisdiction it was
transferred to reads and answers its own (its leader); inspectors and auditors read them all."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from jiuzhu_contracts.base import Role
from jiuzhu_runtime.api_docs import examples
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_oversight.domain.petitions import CHANNELS_ZH, KINDS_ZH, STATUS_ZH, Channel, Kind, Petition, Status
from jiuzhu_oversight.service_layer import petitions
from jiuzhu_oversight.service_layer.context import Oversight

INS, BA, AUD, LEAD = Role.INSPECTOR, Role.BUREAU_ADMIN, Role.AUDITOR, Role.LEADER
CASE_ID = r"^\d{6,12}-\d{4}-[0-9A-Za-z-]{1,20}$"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PetitionIn(Body):
    model_config = examples({"channel": "hotline", "kind": "report", "received_on": "2023-05-08",
                             "summary": "反映某低保户家庭成员已就业，收入较高", "petitioner": "匿名", "contact": "",
                             "concerning_case": "650205001-2023-00012"})

    channel: Channel = Field(description="来信 letter | 来访 visit | 电话 hotline | 网上 web")
    kind: Kind = Field(description="举报 report | 投诉 complaint | 求助 request | 咨询 enquiry")
    received_on: dt.date = Field(description="收到日期 / Day received")
    summary: str = Field(min_length=4, max_length=4000, description="反映的问题 / What it says")
    petitioner: str = Field("", max_length=100, description="信访人（可匿名；不公开）/ Who (may be anonymous; never public)")
    contact: str = Field("", max_length=200, description="联系方式（不公开）/ How to reach them (never public)")
    concerning_case: str | None = Field(None, pattern=CASE_ID, description="涉及的案件 / The case concerned, if any")


class TransferIn(Body):
    model_config = examples({"to_jurisdiction": "650205001", "instructions": "请入户核实并书面答复"})

    to_jurisdiction: str = Field(pattern=r"^\d{6,12}$", description="转办的街道（乡镇）/ The jurisdiction concerned")
    instructions: str = Field(min_length=2, max_length=2000, description="转办意见 / What to do")


class PetitionAnswerIn(Body):
    model_config = examples({"answer": "经入户核实，该户成员已就业，收入超过标准", "substantiated": True})

    answer: str = Field(min_length=2, max_length=4000, description="书面答复 / The written answer")
    substantiated: bool | None = Field(None, description="举报属实 true / 不属实 false / The report was found true "
                                                         "or not (none: an enquiry, a request)")
    re_review: bool | None = Field(None, description="启动对该户的复核（默认：举报属实且涉及案件时启动）/ Open a re-review "
                                                     "of the household concerned (default: when substantiated and "
                                                     "the petition names a case)")


class CloseIn(Body):
    model_config = examples({"conclusion": "答复属实，已办结"})

    conclusion: str = Field(min_length=2, max_length=2000, description="办结意见 / Conclusion")


def out(p: Petition, *, private: bool) -> dict:
    body = {"petition_no": p.petition_no, "channel": p.channel, "channel_zh": CHANNELS_ZH[p.channel],
            "kind": p.kind, "kind_zh": KINDS_ZH[p.kind], "received_on": p.received_on, "summary": p.summary,
            "concerning_case": p.concerning_case, "status": p.status, "status_zh": STATUS_ZH[p.status],
            "jurisdiction": p.jurisdiction, "instructions": p.instructions, "transferred_on": p.transferred_on,
            "due_on": p.due_on, "escalated_on": p.escalated_on, "answer": p.answer, "answered_on": p.answered_on,
            "answered_by": p.answered_by, "answered_on_time": p.answered_on_time,
            "re_review_requested": p.re_review_requested, "substantiated": p.substantiated, "conclusion": p.conclusion, "closed_on": p.closed_on}
    if private:  # who petitioned: the bureau's own register only, never the jurisdiction's view
        body |= {"petitioner": p.petitioner, "contact": p.contact}
    return body


def router(ctx: Oversight, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["petitions"])

    def at_district(who: Principal) -> bool:
        return who.jurisdiction == ctx.district

    @api.post("/petitions", status_code=201, summary="登记信访件 / Register a letter, visit, call or web report (bureau)")
    async def register(body: PetitionIn, who: Principal = Depends(access.allow(district=[BA, INS]))):
        p = await petitions.register(ctx, channel=body.channel, kind=body.kind, received_on=body.received_on,
                                     summary=body.summary, petitioner=body.petitioner, contact=body.contact,
                                     concerning_case=body.concerning_case,
                                     actor=who.actor(BA if BA in who.roles else INS))
        return out(p, private=True)

    @api.post("/petitions/{petition_no}/transfer", summary="转办 / Transfer to the jurisdiction with a deadline (bureau)")
    async def transfer(petition_no: str, body: TransferIn, who: Principal = Depends(access.allow(district=[BA]))):
        p = await petitions.transfer(ctx, petition_no, to=body.to_jurisdiction, instructions=body.instructions,
                                     actor=who.actor(BA))
        return out(p, private=True)

    @api.post("/petitions/{petition_no}/answer", summary="书面答复 / The jurisdiction answers (its leader)")
    async def answer(petition_no: str, body: PetitionAnswerIn, who: Principal = Depends(access.allow(LEAD))):
        p = await petitions.answer(ctx, petition_no, text=body.answer, re_review=body.re_review,
                                   substantiated=body.substantiated, jurisdiction=who.jurisdiction,
                                   actor=who.actor(LEAD))
        return out(p, private=False)

    @api.post("/petitions/{petition_no}/close", summary="办结 / Close it (bureau)")
    async def close(petition_no: str, body: CloseIn, who: Principal = Depends(access.allow(district=[BA]))):
        return out(await petitions.close(ctx, petition_no, conclusion=body.conclusion, actor=who.actor(BA)),
                   private=True)

    @api.get("/petitions", summary="信访件 / Petitions (a leader: those transferred to its jurisdiction)")
    async def listing(status: Status | None = None, jurisdiction: str | None = Query(None, pattern=r"^\d{6,12}$"),
                      limit: int = Query(500, ge=1, le=5000),
                      who: Principal = Depends(access.allow(LEAD, district=[BA, INS, AUD]))):
        mine = None if at_district(who) else who.jurisdiction
        found = await petitions.listing(ctx, jurisdiction=mine or jurisdiction, status=status, limit=limit)
        return [out(p, private=at_district(who)) for p in found]

    @api.get("/petitions/{petition_no}", summary="一件信访件 / One petition")
    async def one(petition_no: str, who: Principal = Depends(access.allow(LEAD, district=[BA, INS, AUD]))):
        p = await petitions.one(ctx, petition_no)
        if not at_district(who) and p.jurisdiction != who.jurisdiction:
            raise DomainRefusal(f"信访件 {petition_no} 未转办给本街道（乡镇）/ not transferred to your jurisdiction",
                                rule="乌尔禾区工作方案 六(三): 转办给涉及的街道（乡镇）", status=403)
        return out(p, private=at_district(who))

    return api
