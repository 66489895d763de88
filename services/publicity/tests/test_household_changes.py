"""The long-term list follows a supported household's own changes (issue 15 item 6): its size and
committee after a household change; after a move, the sending jurisdiction's list drops it (its
support_ended) and the receiving one's lists it under its new committee. Real PostgreSQL and
JetStream, two publicity instances."""

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import ApprovingBody, Area, Category, Role, Signer
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import CaseApproved, HouseholdChanged, HouseholdTransferAccepted, SupportEnded
from jiuzhu_contracts.events.household import MemberAdded, MemberCause
from jiuzhu_contracts.events.intake import Member
from jiuzhu_contracts.examples import synthetic_id
from jiuzhu_devstack.testing import eventually

from jiuzhu_publicity.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
A, B = "650205001", "650205100"
OLD, NEW = f"{A}-2022-00001", f"{B}-ZR-0a1b2c3d"
LEADER = Signer(id="lead-1", name="孙主任", role=Role.LEADER)


@pytest.fixture
async def pair(service_runner, infrastructure):
    prefix = infrastructure.new_prefix()
    async with contextlib.AsyncExitStack() as stack:
        a = await stack.enter_async_context(service_runner(build, "publicity", A, prefix=prefix))
        b = await stack.enter_async_context(service_runner(build, "publicity", B, prefix=prefix))
        yield a, b


def wrap(payload, jurisdiction, case_id):
    return Envelope.wrap(payload, district="650205", jurisdiction=jurisdiction,
                         actor=Actor(id="lead-1", role="leader", name="孙主任"),
                         occurred_at=dt.datetime(2022, 3, 14, 9, tzinfo=TZ), case_id=case_id)


async def listed(svc, *words):
    page = (await svc.client.get("/public/list")).text
    return page if all(w in page for w in words) else None


async def test_the_long_term_list_follows_a_change_and_a_move(pair):
    a, b = pair
    await a.publish(wrap(CaseApproved(decided_on=dt.date(2022, 3, 1), category=Category.DIBAO, amount_fen=120000,
                                      household_size=2, first_month_paid="2022-03",
                                      approving_body=ApprovingBody.JURISDICTION, signer=LEADER, public_name="张*",
                                      committee="柳树街社区居民委员会", payment_account="6222000000000000"), A, OLD))
    await eventually(lambda: listed(a, "张*", "柳树街社区居民委员会"))

    await a.publish(wrap(HouseholdChanged(
        category=Category.DIBAO, changed_on=dt.date(2022, 3, 14), household_size=3, public_name="张*",
        members_added=(MemberAdded(member=Member(name="张小四", id_number=synthetic_id(born="20220201", seq="004"),
                                                 relation="grandchild"), cause=MemberCause.BIRTH,
                                   since=dt.date(2022, 2, 1)),),
        address="白杨路3号", committee="白杨社区居民委员会", payment_account="6222000000009999",
        recorded_by=Signer(id="clerk-1", name="刘窗口", role=Role.CLERK)), A, OLD))
    page = await eventually(lambda: listed(a, "白杨社区居民委员会"))
    assert "<td>张*</td><td>3</td>" in page and "柳树街社区居民委员会" not in page  # the size after, the new committee
    assert "6222000000009999" not in page and "白杨路3号" not in page  # D21 art. 24: nothing but name, size, amount

    await b.publish(wrap(HouseholdTransferAccepted(
        transfer_id=f"ZY-{OLD}-01", from_jurisdiction=A, from_case_id=OLD, category=Category.DIBAO, area=Area.URBAN,
        committee="乌尔禾镇社区居民委员会", address="乌尔禾镇幸福路2号", public_name="张*", household_size=3,
        payment_account="6222000000009999", amount_fen=120000, first_month_paid="2022-05",
        accepted_on=dt.date(2022, 4, 20), approving_body=ApprovingBody.JURISDICTION,
        signer=Signer(id="lead-2", name="马镇长", role=Role.LEADER)), B, NEW))
    await a.publish(wrap(SupportEnded(category=Category.DIBAO, last_month_paid="2022-04", reasons=("迁往乌尔禾镇",),
                                      signer=LEADER, cause="moved_out"), A, OLD))
    there = await eventually(lambda: listed(b, "张*", "乌尔禾镇社区居民委员会"))
    assert "<td>张*</td><td>3</td>" in there
    assert "6222000000009999" not in there and "乌尔禾镇幸福路2号" not in there

    async def gone():
        page = (await a.client.get("/public/list")).text
        return page if "张*" not in page else None
    await eventually(gone)
