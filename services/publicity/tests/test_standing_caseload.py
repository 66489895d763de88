"""The standing caseload on the public long-term list and the door card (issue 15), on real
PostgreSQL and JetStream: a household imported from the old system is listed like one approved
here, with nothing private; a change of amount shows from its effective month (a January raise
decided in December waits for January); an end takes the household off the list."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.events import RecipientMigrated, SupportChanged, SupportEnded
from jiuzhu_contracts.events.support import ChangeCause
from jiuzhu_contracts.examples import EXAMPLES, MEMBERS
from jiuzhu_devstack.testing import eventually

from jiuzhu_publicity.bootstrap import build
from jiuzhu_publicity.domain.privacy import private_data_in

TZ = ZoneInfo("Asia/Shanghai")
J = "650205001"
A, B = f"{J}-CL-0000000a", f"{J}-CL-0000000b"
LEADER = Actor(id="lead-1", role="leader", name="孙主任")


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "publicity", J, today=dt.datetime(2022, 12, 20, 9, tzinfo=TZ)) as running:
        yield running


def example(kind):
    return next(e for e in EXAMPLES if isinstance(e, kind))


async def play(svc, payload, case_id):
    await svc.publish(Envelope.wrap(payload, district="650205", jurisdiction=J, actor=LEADER,
                                    occurred_at=svc.kit.clock.now(), case_id=case_id))


def changed(amount, before, month, decided_on, size=2, cause=ChangeCause.RE_REVIEW):
    return example(SupportChanged).model_copy(update={
        "amount_fen": amount, "amount_before_fen": before, "effective_month": month, "decided_on": decided_on,
        "household_size": size, "cause": cause})


async def public_list(svc) -> str:
    return (await svc.client.get("/public/list")).text


async def door_card(svc, case_id):
    return await svc.client.get(f"/door-cards/{case_id}", headers=svc.token("committee"))


async def shows(svc, *texts, absent=()):
    page = await public_list(svc)
    return page if all(t in page for t in texts) and not any(t in page for t in absent) else None


async def test_a_migrated_household_is_listed_and_its_changes_shown_from_their_month(svc):
    source = example(RecipientMigrated)
    await play(svc, source.model_copy(update={"public_name": "张*", "amount_fen": 130000}), A)
    await play(svc, source.model_copy(update={"public_name": "李*", "amount_fen": 60000, "household_size": 1}), B)
    page = await eventually(lambda: shows(svc, "张*", "1,300.00", "李*", "600.00"))
    card = await door_card(svc, A)
    assert card.status_code == 200 and "张*" in card.text and "1,300.00元/月" in card.text
    assert "2020年6月15日" in card.text  # approved by the old system on that day
    private = (*(m.id_number for m in MEMBERS), source.payment_account, source.address, source.source.file_name,
               source.source.file_sha256)
    for text in (page, card.text):
        assert private_data_in(text, private) == []

    # 减发 decided and effective in December: shown at once, with the household's new size.
    await play(svc, changed(90000, 130000, "2022-12", dt.date(2022, 12, 20), size=1), A)
    await eventually(lambda: shows(svc, "900.00", absent=("1,300.00",)))
    assert "900.00元/月" in (await door_card(svc, A)).text and "<td>1人</td>" in (await door_card(svc, A)).text
    # A standard raise decided in December for January waits for January.
    await play(svc, changed(95000, 90000, "2023-01", dt.date(2022, 12, 20), size=1,
                            cause=ChangeCause.STANDARD_RAISE), A)
    await play(svc, changed(65000, 60000, "2023-01", dt.date(2022, 12, 20), size=1,
                            cause=ChangeCause.STANDARD_RAISE), B)

    async def waiting():
        async with svc.kit.sessions() as s:
            from sqlalchemy import text
            return (await s.execute(text("SELECT count(*) FROM pending_listing_amounts"))).scalar() == 2
    await eventually(waiting)
    await svc.kit.tick(dt.datetime(2022, 12, 31, 9, tzinfo=TZ))
    assert await shows(svc, "900.00", "600.00", absent=("950.00", "650.00"))
    await svc.kit.tick(dt.datetime(2023, 1, 3, 9, tzinfo=TZ))
    assert await shows(svc, "950.00", "650.00", absent=("900.00", "600.00"))
    assert "950.00元/月" in (await door_card(svc, A)).text

    # 停发: off the list, no door card.
    await play(svc, example(SupportEnded).model_copy(update={"cause": "death"}), B)
    await eventually(lambda: shows(svc, "张*", absent=("李*",)))
    assert (await door_card(svc, B)).status_code == 404
