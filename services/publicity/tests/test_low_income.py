"""Issue 16 item 3 on real PostgreSQL and JetStream: a low-income household (D21 art. 8) is
registered, not paid. The long-term list shows it — name, size, category — with "认定登记，不发放
保障金" where an amount would be, never "0.00"; no door card is printed for it (409, the rule named)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.base import Category
from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import RecipientMigrated
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_devstack.testing import eventually

from jiuzhu_publicity.bootstrap import build
from jiuzhu_publicity.domain.privacy import NOT_PAID_ZH, PublicListing, door_card_refusal, shows_amount

TZ = ZoneInfo("Asia/Shanghai")
J = "650205001"
LOW, DIBAO = f"{J}-CL-000000c1", f"{J}-CL-000000c2"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")


def test_registered_only_categories_show_no_amount_and_get_no_door_card():
    assert not shows_amount(Category.LOW_INCOME) and not shows_amount("low_income")
    assert all(shows_amount(c) for c in (Category.DIBAO, Category.TEKUN, Category.TEMPORARY))
    assert "D21第8条" in door_card_refusal(Category.LOW_INCOME) and door_card_refusal(Category.DIBAO) is None
    assert not PublicListing("王*", 3, Category.LOW_INCOME, 0, "居委会").paid


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "publicity", J, today=dt.datetime(2022, 12, 20, 9, tzinfo=TZ)) as running:
        yield running


async def test_a_low_income_household_is_listed_without_an_amount_and_gets_no_door_card(svc):
    source = next(e for e in EXAMPLES if isinstance(e, RecipientMigrated))
    for case_id, payload in ((LOW, source.model_copy(update={"public_name": "王*", "amount_fen": 0, "household_size": 3,
                                                             "category": Category.LOW_INCOME})),
                             (DIBAO, source.model_copy(update={"public_name": "张*", "amount_fen": 130000}))):
        await svc.publish(Envelope.wrap(payload, district="650205", jurisdiction=J, actor=LEADER,
                                        occurred_at=svc.kit.clock.now(), case_id=case_id))

    async def listed():
        page = (await svc.client.get("/public/list")).text
        return page if "王*" in page and "张*" in page else None

    page = await listed() or await eventually(listed)
    row = next(line for line in page.splitlines() if "王*" in line)
    assert "低收入家庭" in row and NOT_PAID_ZH in row and "0.00" not in row
    assert "0.00" not in page.replace("1,300.00", "")  # no 0.00 anywhere on the list

    card = await svc.client.get(f"/door-cards/{LOW}", headers=svc.token("committee"))
    assert card.status_code == 409 and "D21第8条" in card.json()["rule"], card.text
    assert (await svc.client.get(f"/door-cards/{DIBAO}", headers=svc.token("committee"))).status_code == 200
