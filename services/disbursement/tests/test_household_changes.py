"""The register follows a supported household's own changes (issue 15 item 6): a new account is
paid from the next roster; a household that moved from 柳树街 to 乌尔禾镇 is paid by 柳树街 through
the month before the town's first and by the town from then on — no month twice, none missed.
Real PostgreSQL and JetStream."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import ApprovingBody, Area, Category, Role, Signer
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import CaseApproved, HouseholdChanged, HouseholdTransferAccepted, SupportEnded
from jiuzhu_contracts.events.household import MemberCause, MemberRemoved
from jiuzhu_contracts.examples import CHILD_ID
from jiuzhu_devstack.testing import eventually

from jiuzhu_disbursement.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
A, B = "650205001", "650205100"
OLD, NEW = f"{A}-2022-00001", f"{B}-ZR-0a1b2c3d"
LEADER = Signer(id="lead-1", name="孙主任", role=Role.LEADER)
CLERK = Signer(id="clerk-1", name="刘窗口", role=Role.CLERK)


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "disbursement", None) as running:
        yield running


def wrap(payload, jurisdiction, case_id):
    return Envelope.wrap(payload, district="650205", jurisdiction=jurisdiction,
                         actor=Actor(id="lead-1", role="leader", name="孙主任"),
                         occurred_at=dt.datetime(2022, 3, 14, 9, tzinfo=TZ), case_id=case_id)


async def lines(svc, month, admin):
    roster = (await svc.client.post("/rosters", json={"month": month}, headers=admin)).json()
    csv = (await svc.client.get(f"/rosters/{roster['roster_id']}/export.csv", headers=admin)).text
    return [line.split(",") for line in csv.splitlines()[1:] if line and not line.startswith("#")]


async def test_a_new_account_from_the_next_roster_and_a_move_paid_once_a_month(svc):
    admin = svc.token("bureau_admin", jurisdiction="650205", who="ba-1", name="区民政局")
    await svc.publish(wrap(CaseApproved(decided_on=dt.date(2022, 3, 1), category=Category.DIBAO, amount_fen=120000,
                                        household_size=2, first_month_paid="2022-03",
                                        approving_body=ApprovingBody.JURISDICTION, signer=LEADER, public_name="张三",
                                        committee="柳树街社区居民委员会", payment_account="6222000000000000"), A, OLD))

    async def registered():
        r = (await svc.client.get("/recipients", headers=admin)).json()
        return r or None
    await eventually(registered)
    march = await lines(svc, "2022-03", admin)
    assert [(l[1], l[6]) for l in march] == [(OLD, '"6222000000000000"')]

    await svc.publish(wrap(HouseholdChanged(
        category=Category.DIBAO, changed_on=dt.date(2022, 3, 14), household_size=1, public_name="张三",
        members_removed=(MemberRemoved(id_number=CHILD_ID, name="张小三", cause=MemberCause.DEATH,
                                       since=dt.date(2022, 3, 2)),),
        payment_account="6222000000009999", recorded_by=CLERK), A, OLD))

    async def new_account():
        found = await lines(svc, "2022-03", admin)
        return found if found and found[0][6] == '"6222000000009999"' else None
    assert [(l[1], l[4]) for l in await eventually(new_account)] == [(OLD, "120000")]  # the amount is the decider's

    # The move: the town pays from May, 柳树街 through April.
    await svc.publish(wrap(HouseholdTransferAccepted(
        transfer_id=f"ZY-{OLD}-01", from_jurisdiction=A, from_case_id=OLD, category=Category.DIBAO, area=Area.URBAN,
        committee="乌尔禾镇社区居民委员会", address="乌尔禾镇幸福路2号", public_name="张三", household_size=1,
        payment_account="6222000000009999", amount_fen=120000, first_month_paid="2022-05",
        accepted_on=dt.date(2022, 4, 20), approving_body=ApprovingBody.JURISDICTION,
        signer=Signer(id="lead-2", name="马镇长", role=Role.LEADER)), B, NEW))
    await svc.publish(wrap(SupportEnded(category=Category.DIBAO, last_month_paid="2022-04", reasons=("迁往乌尔禾镇",),
                                        signer=LEADER, cause="moved_out"), A, OLD))

    async def both():
        r = (await svc.client.get("/recipients", headers=admin)).json()
        return r if len(r) == 2 and all(x.get("until_month") or x["case_id"] == NEW for x in r) else None
    await eventually(both)
    for month, who in (("2022-04", [(A, OLD)]), ("2022-05", [(B, NEW)]), ("2022-06", [(B, NEW)])):
        assert [(l[0], l[1]) for l in await lines(svc, month, admin)] == who, month
    plan = (await svc.client.get("/fund-plan?start=2022-04&months=2", headers=admin)).json()
    assert [m["categories"]["dibao"]["households"] for m in plan] == [1, 1]
