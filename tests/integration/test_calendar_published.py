"""A holiday file the bureau publishes at oversight is applied by every other service (here intake,
each by its own composition root, on real PostgreSQL and JetStream)."""

import datetime as dt
from zoneinfo import ZoneInfo

from jiuzhu_devstack.testing import eventually

from jiuzhu_intake.bootstrap import build as build_intake
from jiuzhu_oversight.bootstrap import build as build_oversight

TZ = ZoneInfo("Asia/Shanghai")
J1 = "650205001"
D = dt.date
START = D(2027, 1, 27)  # a Wednesday, before the (fixture's) Spring Festival 2-5 … 2-11


def national_2027() -> dict:
    """In the shape of the State Council's notice — a test fixture, NOT the real 2027 notice."""
    return {"format": "jiuzhu.holidays/1", "year": 2027, "scope": "national",
            "source": {"issuer": "国务院办公厅", "title": "测试用：2027年部分节假日安排（虚构）"},
            "holidays": [{"name": "元旦", "from": "2027-01-01"}, {"name": "春节", "from": "2027-02-05", "to": "2027-02-11"}],
            "workdays": [{"name": "春节调休上班", "date": "2027-02-13"}]}


async def test_every_service_applies_the_published_file(service_runner):
    today = dt.datetime(2027, 1, 27, 9, tzinfo=TZ)
    async with service_runner(build_oversight, "oversight", None, today=today) as svc, \
            service_runner(build_intake, "intake", J1, prefix=svc.prefix, today=today) as intake:
        assert not intake.kit.calendar.knows(D(2027, 3, 1))
        admin = svc.token("bureau_admin", jurisdiction="650205", who="ba-1", name="钱局长")
        r = await svc.client.post("/calendar/holidays", json=national_2027(), headers=admin)
        assert r.status_code == 201, r.text
        await eventually(lambda: intake.kit.calendar.knows(D(2027, 3, 1)))
        assert intake.kit.calendar.add(START, 10).due_on == D(2027, 2, 16)
