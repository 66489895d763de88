"""HTTP routes of a supported household's own changes and moves (issue 15 item 6):

* ``POST /supported-households/{case_id}/household`` — the clerk or leader records members added or
  removed, a new account, a new address within the jurisdiction (``household_changed``);
* ``GET /supported-households/{case_id}/household`` — its members, address and links;
* ``POST /supported-households/{case_id}/transfer`` — its decider asks another jurisdiction to take
  it on (``household_transfer_requested``);
* ``GET /transfers``, ``GET /transfers/{id}`` — the moves other jurisdictions ask of this one;
* ``POST /transfers/{id}/acceptance`` / ``/refusal`` — this jurisdiction's decider answers.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from jiuzhu_contracts.base import Area, Role
from jiuzhu_contracts.events.household import ConditionChanged, MemberAdded, MemberRemoved
from jiuzhu_runtime.api_docs import examples
from jiuzhu_runtime.auth import AccessPolicy, Principal

from jiuzhu_decision.domain.household_changes import HouseholdLink, IncomingTransfer, PendingTransfer, TransferStatus
from jiuzhu_decision.domain.supported_household import SupportedHousehold
from jiuzhu_decision.service_layer import household_changes, household_transfers, support
from jiuzhu_decision.service_layer.household_transfers import TransferContext
from jiuzhu_decision.service_layer.support import SupportContext

L, C, CM, BA = Role.LEADER, Role.CLERK, Role.COMMITTEE, Role.BUREAU_ADMIN
DISTRICT_READERS = [Role.INSPECTOR, Role.AUDITOR, Role.BUREAU_ADMIN]
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HouseholdChangeIn(Body):
    model_config = examples({"members_removed": [{"id_number": "65020520100515002X", "name": "张小三",
                                                  "cause": "death", "since": "2022-02-20"}],
                             "reasons": ["成员死亡（死亡证明）"]},
                            {"payment_account": "6222000000000001", "reasons": ["更换社会保障卡"]})

    members_added: list[MemberAdded] = Field(default_factory=list, max_length=20,
                                             description="新增成员及原因 / Members who joined, with the cause")
    members_removed: list[MemberRemoved] = Field(default_factory=list, max_length=20,
                                                 description="减少成员及原因（死亡：cause=death）/ Members who left")
    payment_account: str | None = Field(None, min_length=6, max_length=40, pattern=r"^[0-9A-Za-z-]+$",
                                        description="新的发放账户 / A new payment account")
    address: str | None = Field(None, min_length=2, max_length=200,
                                description="本辖区内的新住址 / A new address within this jurisdiction")
    committee: str | None = Field(None, max_length=100, description="新住址所属居（村）委会 / Its committee")
    public_name: str | None = Field(None, min_length=1, max_length=50,
                                    description="公示用户主姓名（户主变更时）/ The name on the public list")
    reasons: list[str] = Field(default_factory=list, max_length=20)
    condition_changes: list[ConditionChanged] = Field(default_factory=list, max_length=20, description=(
        "特困人员身体状况变化（10日内重新评估生活自理能力，T21第23条）/ Tekun persons whose condition changed"))


class TransferIn(Body):
    model_config = examples({"to_jurisdiction": "650205100", "address": "乌尔禾镇幸福路2号",
                             "reasons": ["全户迁居乌尔禾镇"]})

    to_jurisdiction: str = Field(pattern=r"^\d{9}$", description="迁入辖区 / The receiving jurisdiction")
    address: str = Field(min_length=2, max_length=200, description="新住址 / The new address")
    from_month: str | None = Field(None, pattern=MONTH,
                                   description="请迁入地自该月起保障 / The first month the receiving side is asked to pay")
    reasons: list[str] = Field(min_length=1, max_length=20)


class AcceptanceIn(Body):
    model_config = examples({"committee": "乌尔禾镇社区居民委员会"})

    committee: str = Field(max_length=100, description="接收的居（村）委会 / The committee taking the household on")
    first_month_paid: str | None = Field(None, pattern=MONTH, description="本辖区首次发放月份 / First month paid here")
    address: str | None = Field(None, min_length=2, max_length=200)
    area: Area | None = None


class RefusalIn(Body):
    model_config = examples({"reasons": ["迁入地址不在本辖区，请核实后重新申请"]})

    reasons: list[str] = Field(min_length=1, max_length=20, description="不同意迁入的理由 / Why not")


def _link(link: HouseholdLink | None) -> dict | None:
    return None if link is None else {"jurisdiction": link.jurisdiction, "case_id": link.case_id,
                                      "transfer_id": link.transfer_id}


def _pending(t: PendingTransfer | None) -> dict | None:
    return None if t is None else {"transfer_id": t.transfer_id, "to_jurisdiction": t.to_jurisdiction,
                                   "address": t.address, "from_month": t.from_month, "requested_on": t.requested_on}


def household_detail(h: SupportedHousehold) -> dict:
    return {"case_id": h.case_id, "status": h.status, "committee": h.committee, "address": h.address,
            "public_name": h.public_name, "household_size": h.household_size,
            "member_id_numbers": list(h.member_id_numbers), "payment_account": h.payment_account,
            "first_month_paid": h.first_month_paid, "last_month_paid": h.last_month_paid, "amount_fen": h.amount_fen,
            "moved_from": _link(h.moved_from), "moved_to": _link(h.moved_to), "transfer": _pending(h.transfer)}


def transfer_out(t: IncomingTransfer) -> dict:
    return {"transfer_id": t.transfer_id, "status": t.status, "from_jurisdiction": t.from_jurisdiction,
            "from_case_id": t.from_case_id, "category": t.category, "area": t.area, "address": t.address,
            "public_name": t.public_name, "household_size": t.household_size, "amount_fen": t.amount_fen,
            "from_month": t.from_month, "requested_on": t.requested_on, "reasons": list(t.reasons),
            "requested_by": t.requested_by.name, "new_case_id": t.new_case_id, "committee": t.committee,
            "first_month_paid": t.first_month_paid, "decided_on": t.decided_on,
            "refusal_reasons": list(t.refusal_reasons)}


def router(households: SupportContext, transfers: TransferContext, access: AccessPolicy) -> APIRouter:
    api = APIRouter(tags=["supported households"])
    district = households.district

    def at_district(who: Principal) -> bool:
        return who.jurisdiction == district

    @api.get("/supported-households/{case_id}/household", summary="户内情况 / A household's members, address, links")
    async def detail(case_id: str, _: Principal = Depends(access.allow(L, C, district=DISTRICT_READERS))) -> dict:
        return household_detail(await support.household(households, case_id))

    @api.post("/supported-households/{case_id}/household",
              summary="户内变更 / Record members added or removed, a new account or address")
    async def change(case_id: str, body: HouseholdChangeIn, who: Principal = Depends(access.allow(L, C))) -> dict:
        role = L if L in who.roles else C
        h = await household_changes.change_household(
            households, case_id, added=tuple(body.members_added), removed=tuple(body.members_removed),
            payment_account=body.payment_account, address=body.address, committee=body.committee,
            public_name=body.public_name, reasons=tuple(body.reasons), actor=who.actor(role),
            conditions=tuple(body.condition_changes))
        return household_detail(h)

    @api.post("/supported-households/{case_id}/transfer",
              summary="迁出 / Ask another jurisdiction to take the household on")
    async def transfer(case_id: str, body: TransferIn,
                       who: Principal = Depends(access.allow(L, district=[BA]))) -> dict:
        role = BA if at_district(who) else L
        t = await household_transfers.request_transfer(
            households, case_id, to_jurisdiction=body.to_jurisdiction, address=body.address,
            from_month=body.from_month, reasons=tuple(body.reasons), actor=who.actor(role),
            at_district=at_district(who))
        return {"case_id": case_id, **_pending(t)}

    @api.get("/transfers", summary="迁入申请 / Households other jurisdictions ask this one to take on")
    async def listing(status: TransferStatus | None = None, limit: int = Query(1000, ge=1, le=10_000),
                      _: Principal = Depends(access.allow(L, C, district=DISTRICT_READERS))) -> list[dict]:
        return [transfer_out(t) for t in await household_transfers.incoming(transfers, status=status, limit=limit)]

    @api.get("/transfers/{transfer_id}", summary="一份迁入申请 / One incoming transfer")
    async def one(transfer_id: str, _: Principal = Depends(access.allow(L, C, district=DISTRICT_READERS))) -> dict:
        return transfer_out(await household_transfers.transfer(transfers, transfer_id))

    @api.post("/transfers/{transfer_id}/acceptance", summary="同意迁入 / Take the household on here")
    async def accept(transfer_id: str, body: AcceptanceIn,
                     who: Principal = Depends(access.allow(L, district=[BA]))) -> dict:
        role = BA if at_district(who) else L
        h = await household_transfers.accept_transfer(
            transfers, transfer_id, committee=body.committee, first_month_paid=body.first_month_paid,
            address=body.address, area=body.area, actor=who.actor(role), at_district=at_district(who))
        return {"transfer_id": transfer_id, "status": "accepted", **household_detail(h)}

    @api.post("/transfers/{transfer_id}/refusal", summary="不同意迁入 / Refuse to take the household on")
    async def refuse(transfer_id: str, body: RefusalIn,
                     who: Principal = Depends(access.allow(L, district=[BA]))) -> dict:
        role = BA if at_district(who) else L
        t = await household_transfers.refuse_transfer(transfers, transfer_id, reasons=tuple(body.reasons),
                                                      actor=who.actor(role), at_district=at_district(who))
        return transfer_out(t)

    return api
