"""The working-day calendar beyond 2026 (real PostgreSQL and JetStream): a deadline counted on a year
the calendar does not know is provisional — shown as such and never breached — until the year's
holiday file is published; then oversight moves it (deadline_recomputed), and it breaches when the
new date passes. Every service applies the published file (tests/integration/test_calendar_published.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from jiuzhu_contracts.envelope import Actor, Envelope
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import ApplicationAccepted
from jiuzhu_devstack.testing import eventually
from jiuzhu_runtime import calendar_sync
from jiuzhu_kernel.working_days import WorkingDayCalendar, make_due

from jiuzhu_oversight.bootstrap import build

TZ = ZoneInfo("Asia/Shanghai")
J1 = "650205001"
CLERK = Actor(id="clerk-1", role="clerk", name="刘窗口")
D = dt.date
START = D(2027, 1, 27)  # a Wednesday, before the (fixture's) Spring Festival 2-5 … 2-11


def national_2027(**changes) -> dict:
    """In the shape of the State Council's notice — a test fixture, NOT the real 2027 notice."""
    return {"format": "jiuzhu.holidays/1", "year": 2027, "scope": "national",
            "source": {"issuer": "国务院办公厅", "title": "测试用：2027年部分节假日安排（虚构）"},
            "holidays": [{"name": "元旦", "from": "2027-01-01"}, {"name": "春节", "from": "2027-02-05", "to": "2027-02-11"}],
            "workdays": [{"name": "春节调休上班", "date": "2027-02-13"}]} | changes


@pytest.fixture
async def svc(service_runner):
    async with service_runner(build, "oversight", None, today=dt.datetime(2027, 1, 27, 9, tzinfo=TZ)) as running:
        yield running


def accepted(case_id: str, on: dt.date, calendar: WorkingDayCalendar) -> Envelope:
    """Accepted by intake, its investigation due computed on intake's calendar (10 working days)."""
    example = next(e for e in EXAMPLES if isinstance(e, ApplicationAccepted))
    due = make_due(calendar, "investigation", on, 10, "乌尔禾区工作方案 五(二): 10个工作日")
    payload = example.model_copy(update={"close_relative": None, "accepted_on": on, "investigation_due": due})
    return Envelope.wrap(payload, district="650205", jurisdiction=J1, actor=CLERK,
                         occurred_at=dt.datetime.combine(on, dt.time(9), TZ), case_id=case_id)


async def at(svc, day):
    now = dt.datetime.combine(day, dt.time(9), TZ)
    svc.kit.clock.set(now)
    await svc.kit.tick(now)


def inspector(svc):
    return svc.token("inspector", jurisdiction="650205")


def admin(svc):
    return svc.token("bureau_admin", jurisdiction="650205", who="ba-1", name="钱局长")


async def investigation_clock(svc, case_id):
    r = await svc.client.get(f"/cases/{case_id}", headers=inspector(svc))
    if r.status_code != 200:
        return None
    return next((c for c in r.json()["clocks"] if c["clock"] == "investigation"), None)


async def test_a_provisional_deadline_is_not_breached_and_moves_when_the_years_notice_arrives(svc):
    case_id = f"{J1}-2027-00001"
    await svc.publish(accepted(case_id, START, WorkingDayCalendar()))
    clock = await eventually(lambda: investigation_clock(svc, case_id))
    # Monday–Friday from 1-27: due 2-10, New Year and the Spring Festival counted as working days.
    assert (clock["due_on"], clock["provisional"]) == ("2027-02-10", True)

    await at(svc, D(2027, 2, 12))  # past the provisional date
    assert await svc.published("deadline_breached") == []
    deadlines = (await svc.client.get("/deadlines", headers=inspector(svc))).json()
    [overdue] = deadlines[J1]["overdue"]
    assert (overdue["case_id"], overdue["due_on"], overdue["provisional"]) == (case_id, "2027-02-10", True)
    assert overdue["breach_raised_on"] is None

    r = await svc.client.post("/calendar/holidays", json=national_2027(), headers=admin(svc))
    assert r.status_code == 201, r.text
    assert r.json()["recomputed"] == [{"case_id": case_id, "clock": "investigation", "previous_due_on": "2027-02-10",
                                       "due_on": "2027-02-16", "provisional": False}]
    # 1-28, 1-29, 2-1 … 2-4, (holiday 2-5 … 2-11) 2-12, Saturday 2-13 (调休), 2-15, 2-16.
    clock = await investigation_clock(svc, case_id)
    assert (clock["due_on"], clock["provisional"]) == ("2027-02-16", False)
    [moved] = await svc.published("deadline_recomputed")
    assert moved.case_id == case_id and moved.jurisdiction == J1
    assert (moved.payload.previous_due_on, moved.payload.previous_provisional) == (D(2027, 2, 10), True)
    assert (moved.payload.due.due_on, moved.payload.due.provisional) == (D(2027, 2, 16), False)
    assert moved.payload.due.rule == "乌尔禾区工作方案 五(二): 10个工作日"
    [published] = await svc.published("holiday_calendar_published")
    assert moved.payload.calendar_event == published.event_id and moved.causation_id == published.event_id

    async def on_the_timeline():
        r = await svc.client.get(f"/cases/{case_id}", headers=inspector(svc))
        return "deadline_recomputed" in [e["event_type"] for e in r.json()["timeline"]]
    await eventually(on_the_timeline)

    await at(svc, D(2027, 2, 16))  # the new due day itself: still on time
    assert await svc.published("deadline_breached") == []
    await at(svc, D(2027, 2, 17))
    [breach] = await svc.published("deadline_breached")
    assert (breach.case_id, breach.payload.due_on) == (case_id, D(2027, 2, 16))


async def test_a_clock_opened_provisional_after_the_file_follows_it_at_the_next_tick(svc):
    r = await svc.client.post("/calendar/holidays", json=national_2027(), headers=admin(svc))
    assert r.status_code == 201 and r.json()["recomputed"] == []
    # intake had not applied the file yet: its Due is provisional.
    case_id = f"{J1}-2027-00002"
    await svc.publish(accepted(case_id, START, WorkingDayCalendar()))
    await eventually(lambda: investigation_clock(svc, case_id))
    await at(svc, D(2027, 1, 27))
    clock = await investigation_clock(svc, case_id)
    assert (clock["due_on"], clock["provisional"]) == ("2027-02-16", False)
    [moved] = await svc.published("deadline_recomputed")
    assert moved.payload.calendar_event is None and moved.payload.due.due_on == D(2027, 2, 16)


async def test_a_published_file_survives_a_restart_and_is_listed(svc):
    r = await svc.client.post("/calendar/holidays", json=national_2027(), headers=admin(svc))
    assert r.status_code == 201, r.text
    rebuilt = WorkingDayCalendar()
    assert await calendar_sync.load_published(svc.kit.sessions, rebuilt) == 1
    assert rebuilt.knows(D(2027, 6, 1)) and not rebuilt.is_working_day(D(2027, 2, 8))
    listed = (await svc.client.get("/calendar/holidays", headers=inspector(svc))).json()
    assert {f["key"] for f in listed} >= {"national:CN:2027", "regional:650000:2025"}


async def test_a_bad_file_is_refused_naming_the_field_and_the_rule(svc):
    r = await svc.client.post("/calendar/holidays", headers=admin(svc),
                              json=national_2027(workdays=[{"name": "调休", "date": "2027-02-17"}]))
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "workdays[0].date" and "周六或周日" in r.json()["rule"]
    r = await svc.client.post("/calendar/holidays", headers=admin(svc),
                              json={k: v for k, v in national_2027().items() if k != "source"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "source"
    r = await svc.client.post("/calendar/holidays", json=national_2027(), headers=inspector(svc))
    assert r.status_code == 403
    assert await svc.published("holiday_calendar_published") == []


async def test_the_shipped_xinjiang_file_makes_eid_al_fitr_2025_a_holiday(svc):
    # urho.toml names config/holidays/xinjiang: 2025-03-31 (Monday, 肉孜节) is not a working day.
    assert not svc.kit.calendar.is_working_day(D(2025, 3, 31))
    assert not svc.kit.calendar.is_working_day(D(2025, 6, 6))
    assert svc.kit.calendar.add(D(2025, 3, 27), 3).due_on == D(2025, 4, 2)
