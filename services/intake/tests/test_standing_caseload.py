"""The window knows a household imported from the old system (issue 15), on real PostgreSQL and
JetStream: its case reads as approved, with its household and where it came from; a new
application of the same category for its members is refused as a duplicate until its support
ends; its changes and end are on its timeline."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import RecipientMigrated, SupportChanged, SupportEnded, SupportNoticeDelivered
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.examples import EXAMPLES, synthetic_id
from jiuzhu_devstack.testing import eventually

from jiuzhu_intake.bootstrap import build

from .factories import COMMITTEE, LIUSHUJIE

TZ = ZoneInfo("Asia/Shanghai")
CASE = f"{LIUSHUJIE}-CL-0badcafe"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")
MEMBERS = (Member(name="张三", id_number=synthetic_id(seq="101"), relation="self"),
           Member(name="张小三", id_number=synthetic_id(born="20100515", seq="102"), relation="child"))


def form() -> dict:
    """An application at the window for the imported household's members."""
    return {"category": "dibao", "area": "urban", "registration_jurisdiction": LIUSHUJIE, "address": "柳树街9号",
            "committee": COMMITTEE, "members": [m.model_dump(mode="json") for m in MEMBERS],
            "declared_monthly_income_fen": 50000, "declared_assets_fen": 0, "payment_account": "6222020000000001",
            "contact_phone": "13912345678", "reason": "失业，无固定收入", "consent_signed": True,
            "materials": [{"code": c} for c in ("application_form", "id_cards", "household_register",
                                                "income_proof")]}


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "intake", LIUSHUJIE) as running:
        yield running


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


async def play(svc, payload, actor=LEADER):
    await svc.publish(Envelope.wrap(payload, district="650205", jurisdiction=LIUSHUJIE, actor=actor,
                                    occurred_at=dt.datetime(2022, 3, 1, 9, tzinfo=TZ), case_id=CASE))


async def the_case(svc, check=lambda c: True):
    r = await svc.client.get(f"/cases/{CASE}", headers=svc.token("clerk"))
    return r.json() if r.status_code == 200 and check(r.json()) else None


async def test_an_imported_household_is_a_supported_case_and_its_members_cannot_apply_twice(svc):
    await play(svc, example(RecipientMigrated).model_copy(update={
        "members": MEMBERS, "committee": COMMITTEE, "address": "柳树街9号", "public_name": "张*"}),
        Actor(id="clerk-1", role="clerk", name="李窗口"))
    case = await eventually(lambda: the_case(svc))
    assert (case["stage"], case["applicant_name"], case["household_size"], case["accepted_on"], case["address"]) == \
        ("approved", "张三", 2, "2020-06-15", "柳树街9号")
    assert case["application_id"] == f"CL-{'0' * 12}-2" and case["dues"] == {}
    assert [m["id_number"] for m in case["members"]] == [m.id_number for m in MEMBERS]
    assert [t["label"] for t in case["timeline"]] == ["存量救助对象导入（原系统已批准）"]
    listed = (await svc.client.get("/cases", params={"stage": "approved"}, headers=svc.token("committee"))).json()
    assert [c["case_id"] for c in listed] == [CASE]
    receipt = await svc.client.get(f"/cases/{CASE}/receipt", headers=svc.token("clerk"))
    assert receipt.status_code == 404 and "never accepted here" in receipt.text
    withdraw = await svc.client.post(f"/cases/{CASE}/withdrawal", json={"reason": "申请人不再需要"},
                                     headers=svc.token("clerk"))
    assert withdraw.status_code == 409

    duplicate = await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))
    assert duplicate.status_code == 409 and duplicate.json()["open_case"] == CASE, duplicate.text

    await play(svc, example(SupportChanged).model_copy(update={"notice_no": "BG-9"}))
    await play(svc, example(SupportNoticeDelivered).model_copy(update={"notice_no": "BG-9"}))
    changed = await eventually(lambda: the_case(svc, lambda c: len(c["timeline"]) == 3))
    assert changed["stage"] == "approved" and changed["dues"]["support_notice"]["due_on"] == "2022-03-04"
    assert [t["label"] for t in changed["timeline"]][1:] == ["救助金额调整", "救助变更书面通知已送达"]

    await play(svc, example(SupportEnded).model_copy(update={"cause": "re_review"}))
    await eventually(lambda: the_case(svc, lambda c: c["stage"] == "ended"))
    again = await svc.client.post("/applications", json=form(), headers=svc.token("clerk"))
    assert again.status_code == 201 and again.json()["status"] == "accepted", again.text
