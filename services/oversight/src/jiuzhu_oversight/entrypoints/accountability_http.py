"""追责: the bureau's admin records; its inspectors read; the leader of the person's own
jurisdiction reads its own staff's records; nobody else (not auditors, not another jurisdiction).
Never on a public page."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from jiuzhu_contracts.base import Role
from jiuzhu_kernel.refusal import DomainRefusal
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_oversight.domain.accountability import (
    BASES_ZH,
    MEASURES_ZH,
    PROCEDURES_ZH,
    STATUS_ZH,
    Accountability,
    Basis,
    Measure,
    Person,
    Procedure,
)
from jiuzhu_oversight.service_layer import accountability
from jiuzhu_oversight.service_layer.context import Oversight

INS, BA, LEAD = Role.INSPECTOR, Role.BUREAU_ADMIN, Role.LEADER
JURISDICTION = r"^\d{6,12}$"
READ_RULE = "乌尔禾区工作方案 六(二): 追责记录只由区民政局及被追责人员所在街道（乡镇）的负责人查阅"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonIn(Body):
    id: str = Field(min_length=1, max_length=60, description="工作人员账号 / Staff id")
    name: str = Field(min_length=1, max_length=50, description="姓名 / Name")
    post: str = Field("", max_length=50, description="职务 / Post")


class AccountabilityIn(Body):
    model_config = examples({
        "basis": "inspection_finding", "basis_ref": "DC-650205-2023-00001-01", "jurisdiction": "650205001",
        "person": {"id": "inv-1", "name": "王调查", "post": "社会救助经办人员"},
        "facts": "入户调查由一人完成，调查表代签", "procedure": "bureau", "measure": "criticism_education",
        "decided_on": "2023-05-10"})

    basis: Basis = Field(description="依据 / breach | spot_check | inspection_finding | petition | rectification")
    basis_ref: str = Field(min_length=1, max_length=60,
                           description="超时：deadline_breached 的 started_by_event；抽查：案件号；督查问题号；信访件号；"
                                       "整改通知号 / The breach's started_by_event, the case, finding, petition or order")
    jurisdiction: str = Field(pattern=JURISDICTION, description="被追责人员所在单位（区代码：区民政局）/ The person's")
    person: PersonIn = Field(description="被追责人员 / The person held to account")
    facts: str = Field(min_length=2, max_length=4000, description="违规事实 / The facts")
    procedure: Procedure = Field(description="程序 / bureau | employer | discipline_inspection | judicial")
    measure: Measure | None = Field(None, description="处理方式（移送的可待结果）/ The measure (a referral may wait)")
    decided_on: dt.date | None = Field(None, description="处理日期（默认今日）/ When it was taken")
    decided_by: str = Field("", max_length=100, description="作出处理的机关 / The body that decided it")
    notes: str = Field("", max_length=2000, description="备注 / Notes")


class OutcomeIn(Body):
    model_config = examples({"measure": "admonishment", "decided_on": "2023-06-20", "decided_by": "区纪委监委",
                             "notes": "给予诫勉"})

    measure: Measure
    decided_on: dt.date
    decided_by: str = Field(min_length=2, max_length=100, description="作出处理的机关 / The body that decided it")
    notes: str = Field("", max_length=2000)


def out(a: Accountability) -> dict:
    return {"record_no": a.record_no, "basis": a.basis, "basis_zh": BASES_ZH[a.basis], "basis_ref": a.basis_ref,
            "concerning_case": a.concerning_case, "jurisdiction": a.jurisdiction,
            "person": {"id": a.person.id, "name": a.person.name, "post": a.person.post}, "facts": a.facts,
            "procedure": a.procedure, "procedure_zh": PROCEDURES_ZH[a.procedure], "measure": a.measure,
            "measure_zh": MEASURES_ZH[a.measure] if a.measure else None, "decided_on": a.decided_on,
            "decided_by": a.decided_by, "status": a.status, "status_zh": STATUS_ZH[a.status],
            "recorded_on": a.recorded_on, "recorded_by": a.recorded_by, "notes": a.notes,
            "record_sha256": a.sha256()}


def router(ctx: Oversight, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["accountability"])

    def at_district(who: Principal) -> bool:
        return who.jurisdiction == ctx.district

    def readable(who: Principal, jurisdiction: str) -> None:
        if not at_district(who) and jurisdiction != who.jurisdiction:
            raise DomainRefusal(f"本账号属于 {who.jurisdiction}，不能查看 {jurisdiction} 工作人员的追责记录 / the token "
                                f"acts for {who.jurisdiction}", rule=READ_RULE, status=403)

    @api.post("/accountability", status_code=201, summary="记录追责 / Record accountability (bureau admin)")
    async def record(body: AccountabilityIn, who: Principal = Depends(access.allow(district=[BA]))):
        a = await accountability.record(
            ctx, basis=body.basis, basis_ref=body.basis_ref, jurisdiction=body.jurisdiction,
            person=Person(body.person.id, body.person.name, body.person.post), facts=body.facts,
            procedure=body.procedure, measure=body.measure, decided_on=body.decided_on, decided_by=body.decided_by,
            notes=body.notes, actor=who.actor(BA))
        return out(a)

    @api.post("/accountability/{record_no}/outcome",
              summary="移送后的处理结果 / The outcome of a referral (bureau admin)")
    async def outcome(record_no: str, body: OutcomeIn, who: Principal = Depends(access.allow(district=[BA]))):
        return out(await accountability.conclude(ctx, record_no, measure=body.measure, decided_on=body.decided_on,
                                                 decided_by=body.decided_by, notes=body.notes, actor=who.actor(BA)))

    @api.get("/accountability", summary="追责记录 / Records (a leader: its own staff's)")
    async def listing(person: str | None = Query(None, max_length=60),
                      jurisdiction: str | None = Query(None, pattern=JURISDICTION),
                      limit: int = Query(500, ge=1, le=5000),
                      who: Principal = Depends(access.allow(LEAD, district=[BA, INS]))):
        if jurisdiction is not None:
            readable(who, jurisdiction)
        mine = jurisdiction if at_district(who) else who.jurisdiction
        return [out(a) for a in await accountability.listing(ctx, jurisdiction=mine, person=person, limit=limit)]

    @api.get("/accountability/{record_no}", summary="一条追责记录 / One record")
    async def one(record_no: str, who: Principal = Depends(access.allow(LEAD, district=[BA, INS]))):
        a = await accountability.one(ctx, record_no)
        readable(who, a.jurisdiction)
        return out(a)

    return api
