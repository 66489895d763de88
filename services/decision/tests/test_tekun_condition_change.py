"""特困 (T21 art. 23): the window records that a tekun person's condition changed as a household change
(``condition_changes``) — verification opens the re-assessment from it. Only for a member of a
tekun household; the wrong role and jurisdiction are refused as for any household change."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import Category
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import ApplicationAccepted, CaseApproved
from jiuzhu_contracts.examples import APPLICANT_ID, EXAMPLES, synthetic_id
from jiuzhu_devstack.testing import eventually

from jiuzhu_decision.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J, OTHER = "650205001", "650205100"
TEKUN, DIBAO = f"{J}-2022-00051", f"{J}-2022-00052"
CHANGE = {"condition_changes": [{"id_number": APPLICANT_ID, "name": "张三", "noticed_on": "2022-03-01",
                                 "description": "中风后卧床"}], "reasons": ["居委会报告：身体状况变化"]}


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "decision", J, today=dt.datetime(2022, 3, 1, 9, tzinfo=TZ)) as running:
        yield running


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


async def on_support(svc, case_id, category):
    accepted = example(ApplicationAccepted).model_copy(update={"category": category, "close_relative": None})
    approved = example(CaseApproved).model_copy(update={"category": category, "first_month_paid": "2022-03"})
    for payload, actor in ((accepted, Actor(id="clerk-1", role="clerk", name="刘窗口")),
                           (approved, Actor(id="lead-1", role="leader", name="孙主任"))):
        await svc.publish(Envelope.wrap(payload, district="650205", jurisdiction=J, actor=actor,
                                        occurred_at=svc.kit.clock.now(), case_id=case_id))

    async def there():
        r = await svc.client.get(f"/supported-households/{case_id}/household", headers=svc.token("clerk"))
        return r.status_code == 200
    await eventually(there)


async def test_a_tekun_persons_changed_condition_is_recorded_for_a_member_of_a_tekun_household(svc):
    await on_support(svc, TEKUN, Category.TEKUN)
    await on_support(svc, DIBAO, Category.DIBAO)
    clerk = svc.token("clerk", who="clerk-1", name="刘窗口")
    url = f"/supported-households/{TEKUN}/household"

    wrong_role = await svc.client.post(url, json=CHANGE, headers=svc.token("investigator"))
    assert wrong_role.status_code == 403 and "may not" in wrong_role.text
    elsewhere = await svc.client.post(url, json=CHANGE, headers=svc.token("clerk", jurisdiction=OTHER))
    assert elsewhere.status_code == 403 and "serves jurisdiction" in elsewhere.text
    dibao = await svc.client.post(f"/supported-households/{DIBAO}/household", json=CHANGE, headers=clerk)
    assert dibao.status_code == 422 and "T21 art. 23" in dibao.json()["rule"]
    stranger = {"condition_changes": [{**CHANGE["condition_changes"][0],
                                       "id_number": synthetic_id(born="19400101", seq="888")}]}
    outsider = await svc.client.post(url, json=stranger, headers=clerk)
    assert outsider.status_code == 422 and outsider.json()["field"] == "condition_changes[0].id_number"
    assert await svc.published("household_changed") == []

    done = await svc.client.post(url, json=CHANGE, headers=clerk)
    assert done.status_code == 200, done.text
    assert done.json()["household_size"] == 2  # a condition changes nothing the decision holds
    [event] = await svc.published("household_changed")
    [c] = event.payload.condition_changes
    assert (c.id_number, c.noticed_on, event.payload.members_added) == (APPLICANT_ID, dt.date(2022, 3, 1), ())
