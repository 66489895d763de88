"""The window follows a supported household's own changes (issue 15 item 6), on real PostgreSQL
and JetStream, with the events published as decision publishes them: a household moved to 乌尔禾镇
from 柳树街 is a case of the town's window (approved, its household, linked to its case in 柳树街),
its members cannot apply twice, its later changes and its end follow it; a change of members or
address shows on the case, and the duplicate check looks at the household as it is now."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import Signer
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import HouseholdChanged, HouseholdTransferAccepted, RecipientMigrated, SupportEnded
from jiuzhu_contracts.events.household import MemberAdded, MemberCause, MemberRemoved
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.examples import APPLICANT_ID, CHILD_ID, EXAMPLES, synthetic_id
from jiuzhu_devstack.testing import eventually

from jiuzhu_intake.bootstrap import build

from .factories import LIUSHUJIE, URHO_TOWN

TZ = ZoneInfo("Asia/Shanghai")
MOVED, IMPORTED = f"{URHO_TOWN}-ZR-0000000a", f"{URHO_TOWN}-CL-0000000b"
FROM, TRANSFER = f"{LIUSHUJIE}-2022-00042", f"ZY-{LIUSHUJIE}-2022-00042-01"
TOWN, VILLAGE = "乌尔禾镇社区居民委员会", "哈克村村民委员会"
NEWBORN = synthetic_id(born="20220110", seq="003")
LEADER = Actor(id="lead-2", role="leader", name="马镇长")
CLERK = Actor(id="clerk-2", role="clerk", name="王窗口")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "intake", URHO_TOWN) as running:
        yield running


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


async def play(svc, payload, case_id, actor=LEADER):
    await svc.publish(Envelope.wrap(payload, district="650205", jurisdiction=URHO_TOWN, actor=actor,
                                    occurred_at=dt.datetime(2022, 5, 9, 9, tzinfo=TZ), case_id=case_id))


async def the_case(svc, case_id, check=lambda c: True):
    r = await svc.client.get(f"/cases/{case_id}", headers=svc.token("clerk"))
    return r.json() if r.status_code == 200 and check(r.json()) else None


def form(*members: Member) -> dict:
    """An application at the town's window."""
    return {"category": "dibao", "area": "urban", "registration_jurisdiction": URHO_TOWN, "address": "乌尔禾镇幸福路2号",
            "committee": TOWN, "members": [m.model_dump(mode="json") for m in members],
            "declared_monthly_income_fen": 50000, "declared_assets_fen": 0, "payment_account": "6222020000000001",
            "contact_phone": "13912345678", "reason": "失业，无固定收入", "consent_signed": True,
            "materials": [{"code": c} for c in ("application_form", "id_cards", "household_register",
                                                "income_proof")]}


def change(**fields) -> HouseholdChanged:
    return HouseholdChanged(category="dibao", changed_on=dt.date(2022, 5, 9), household_size=2, public_name="张*",
                            recorded_by=Signer(id="clerk-2", name="王窗口", role="clerk"), **fields)


BIRTH = MemberAdded(member=Member(name="张小四", id_number=NEWBORN, relation="child"), cause=MemberCause.BIRTH,
                    since=dt.date(2022, 1, 10))
DEATH = MemberRemoved(id_number=CHILD_ID, name="张小三", cause=MemberCause.DEATH, since=dt.date(2022, 4, 20))


async def test_a_household_moved_here_is_a_case_of_this_window_and_follows_its_changes(svc):
    await play(svc, example(HouseholdTransferAccepted).model_copy(update={
        "transfer_id": TRANSFER, "from_jurisdiction": LIUSHUJIE, "from_case_id": FROM, "committee": TOWN,
        "first_month_paid": "2022-06", "accepted_on": dt.date(2022, 5, 9)}), MOVED)
    case = await eventually(lambda: the_case(svc, MOVED))
    assert (case["stage"], case["application_id"], case["applicant_name"], case["household_size"], case["committee"],
            case["address"], case["accepted_on"]) == \
        ("approved", TRANSFER, "张*", 2, TOWN, "乌尔禾镇幸福路2号", "2022-05-09")
    assert case["moved_from"] == {"jurisdiction": LIUSHUJIE, "case_id": FROM, "transfer_id": TRANSFER}
    assert [(m["id_number"], m["name"]) for m in case["members"]] == [(APPLICANT_ID, None), (CHILD_ID, None)]
    assert [t["label"] for t in case["timeline"]] == ["迁入本辖区（迁出地已批准，本辖区接收）"]
    receipt = await svc.client.get(f"/cases/{MOVED}/receipt", headers=svc.token("clerk"))
    assert receipt.status_code == 404 and "never accepted here" in receipt.text
    head = Member(name="张三", id_number=APPLICANT_ID, relation="self")
    twice = await svc.client.post("/applications", json=form(head), headers=svc.token("clerk"))
    assert twice.status_code == 409 and twice.json()["open_case"] == MOVED, twice.text

    # A birth and a death, a new address under another committee: the case shows the household now.
    await play(svc, change(members_added=(BIRTH,), members_removed=(DEATH,), address="哈克村5号",
                           committee=VILLAGE), MOVED, CLERK)
    changed = await eventually(lambda: the_case(svc, MOVED, lambda c: len(c["timeline"]) == 2))
    assert (changed["address"], changed["committee"], changed["household_size"], changed["stage"]) == \
        ("哈克村5号", VILLAGE, 2, "approved")
    assert [(m["id_number"], m["name"], m["relation"]) for m in changed["members"]] == [
        (APPLICANT_ID, None, None), (NEWBORN, "张小四", "child")]
    assert changed["timeline"][1]["label"] == "家庭成员、账户或住址变更"
    # The member who died is no longer in an open case here; the newborn is.
    gone = Member(name="张小三", id_number=CHILD_ID, relation="self")
    other = await svc.client.post("/applications", json=form(gone), headers=svc.token("clerk"))
    assert other.status_code == 201, other.text
    baby = await svc.client.post("/applications", json=form(Member(name="张小四", id_number=NEWBORN, relation="self")),
                                 headers=svc.token("clerk"))
    assert baby.status_code == 409 and baby.json()["open_case"] == MOVED, baby.text

    # Its end, decided in the town, follows it (not waiting for a case the window never had).
    await play(svc, example(SupportEnded).model_copy(update={"cause": "re_review", "last_month_paid": "2022-06"}),
               MOVED)
    await eventually(lambda: the_case(svc, MOVED, lambda c: c["stage"] == "ended"))


async def test_an_imported_households_change_keeps_the_names_it_came_with(svc):
    await play(svc, example(RecipientMigrated).model_copy(update={"committee": TOWN, "address": "乌尔禾镇幸福路8号"}),
               IMPORTED, CLERK)
    await eventually(lambda: the_case(svc, IMPORTED))
    await play(svc, change(members_added=(BIRTH,), members_removed=(DEATH,), payment_account="6222000000000009"),
               IMPORTED, CLERK)
    changed = await eventually(lambda: the_case(svc, IMPORTED, lambda c: len(c["timeline"]) == 2))
    assert changed["address"] == "乌尔禾镇幸福路8号" and changed["committee"] == TOWN
    assert [(m["id_number"], m["name"], m["relation"]) for m in changed["members"]] == [
        (APPLICANT_ID, "张三", "self"), (NEWBORN, "张小四", "child")]


async def test_a_change_to_a_household_accepted_here_starts_from_its_application(svc):
    head, child = (Member(name="张三", id_number=APPLICANT_ID, relation="self"),
                   Member(name="张小三", id_number=CHILD_ID, relation="child"))
    accepted = await svc.client.post("/applications", json=form(head, child), headers=svc.token("clerk"))
    assert accepted.status_code == 201, accepted.text
    case_id = accepted.json()["case_id"]
    await play(svc, change(members_added=(BIRTH,), members_removed=(DEATH,), address="乌尔禾镇和平路3号"),
               case_id, CLERK)
    changed = await eventually(lambda: the_case(svc, case_id, lambda c: any(
        t["event_type"] == "household_changed" for t in c["timeline"])))
    assert changed["address"] == "乌尔禾镇和平路3号" and changed["household_size"] == 2
    assert [(m["id_number"], m["name"], m["relation"]) for m in changed["members"]] == [
        (APPLICANT_ID, "张三", "self"), (NEWBORN, "张小四", "child")]
