"""``./jz demo``: fill the running district with cases at every stage, through the public APIs.

For a newcomer who has just run ``./jz up``: every jurisdiction gets a case that was approved and
paid, one refused with its written notice delivered, one in publicity with an objection, one in
publicity without, one under investigation and one waiting for a missing document. The business
clock (``./jz up`` runs the bus clock) is moved back about six weeks, the cases are walked forward
as staff would work them — each step one request, with the staff member's own token — and the
clock is then given back to the wall clock (or to ``--today``).

Everything goes through the same HTTP APIs staff use (``Walker``); nothing is written to a
database directly. Households are fresh each run, so the demo can be run again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import httpx

from jiuzhu_devstack.walkthrough import Walker
from jiuzhu_runtime.settings import nats_servers
from jiuzhu_kernel.working_days import WorkingDayCalendar


SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗高艾买热阿吐"
GIVEN = ("建华", "秀英", "志强", "桂兰", "海燕", "国庆", "玉梅", "文斌", "丽娜", "晓东", "春花", "永福",
         "古丽", "江", "力", "明", "芳", "勇", "静", "磊")


@dataclass
class BusinessTime:
    """Moves the district's business clock and waits until every service has seen it and ticked."""

    nats_url: str
    connect_options: dict
    district: str
    prefix: str
    health_urls: list[str]
    timezone: str

    async def set(self, at: dt.datetime | None, timeout: float = 60) -> None:
        import nats

        from jiuzhu_runtime.clock import set_business_time

        nc = await nats.connect(nats_servers(self.nats_url), **self.connect_options)
        try:
            await set_business_time(nc.jetstream(), self.district, self.prefix, at)
        finally:
            await nc.close()
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=5) as client:
            for url in self.health_urls:
                while True:
                    body = (await client.get(f"{url}/health")).json()
                    now = dt.datetime.fromisoformat(body["business_now"])
                    if (now == at if at else abs((now - dt.datetime.now(now.tzinfo)).total_seconds()) < 60) \
                            and body["ticked_at"] is not None:
                        break
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"{url} did not reach business time {at}: {body}")
                    await asyncio.sleep(0.05)

    def at(self, day: dt.date, hour: int = 9) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour), ZoneInfo(self.timezone))


def working_days_before(calendar: WorkingDayCalendar, day: dt.date, n: int) -> dt.date:
    while n > 0:
        day -= dt.timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


def first_working_day_from(calendar: WorkingDayCalendar, day: dt.date) -> dt.date:
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


@dataclass
class Demo:
    walker: Walker
    clock: BusinessTime
    calendar: WorkingDayCalendar
    jurisdictions: list[tuple[str, str, bool]]  # (code, first committee, decided by the district bureau)
    say: callable = print
    made: dict[str, list[str]] = field(default_factory=dict)
    _seq: int = field(default_factory=lambda: random.randrange(100, 9000) * 1000)

    def household(self, members: int = 2) -> list[dict]:
        """Synthetic people (valid ID check digits, no real person's number) with ordinary names."""
        self._seq += 1
        people = self.walker.household(self._seq, members=members)
        surname = SURNAMES[self._seq % len(SURNAMES)]
        for i, person in enumerate(people):
            person["name"] = surname + GIVEN[(self._seq * 7 + i * 3) % len(GIVEN)]
        return people

    def note(self, stage: str, case_id: str) -> None:
        self.made.setdefault(stage, []).append(case_id)

    async def to_review(self, jurisdiction: str, committee: str, day: dt.date, *, income: int) -> str:
        members = self.household()
        case_id = (await self.walker.apply(jurisdiction, members, committee=committee, income_fen=income))["case_id"]
        await self.walker.investigate(jurisdiction, case_id, members, day, income_fen=income)
        await self.walker.wait_report(jurisdiction, case_id)
        await self.walker.review(jurisdiction, case_id)
        return case_id

    async def run(self, today: dt.date, *, back_to_wall: bool = False) -> dict[str, list[str]]:
        """Cases at every stage, ending on ``today``; then the clock back to the wall clock
        (``back_to_wall``: today is the district's real today) or left at ``today``."""
        w, cal = self.walker, self.calendar
        start = first_working_day_from(cal, working_days_before(cal, today, 30))
        self.say(f"demo: business clock to {start} (six weeks back) …")
        await self.clock.set(self.clock.at(start))
        paid, refused = [], []
        for code, committee, by_bureau in self.jurisdictions:
            paid.append((code, by_bureau, await self.to_review(code, committee, start, income=50000)))
            refused.append((code, by_bureau, await self.to_review(code, committee, start, income=900000)))
        for code, by_bureau, case_id in refused:
            await w.wait_decision_state(code, case_id, lambda s: s["review"] is not None)
            await w.decide(code, case_id, approve=False, by_bureau=by_bureau, reasons=["家庭人均收入高于低保标准"])
            await w.call("POST", "decision", code, f"/cases/{case_id}/refusal-notice/delivery", role="clerk",
                         json={"delivered_on": start.isoformat(), "received_by": "本人"})
            self.note("refused, notice delivered", case_id)

        closed = cal.add(start, 8).due_on  # 7 working days on the board, closed on the next one
        self.say(f"demo: business clock to {closed}: publicity closed, decisions …")
        await self.clock.set(self.clock.at(closed))
        months = set()
        for code, by_bureau, case_id in paid:
            await w.wait_decision_state(code, case_id, lambda s: s["publicity"] == "clean")
            decided = (await w.decide(code, case_id, by_bureau=by_bureau)).json()
            months.add(decided["first_month_paid"])
        for month in sorted(months):
            for code, _, case_id in paid:
                async def on_register(case_id=case_id):
                    r = await w.call("GET", "disbursement", None, "/recipients", role="bureau_admin",
                                     params={"jurisdiction": code})
                    return any(x["case_id"] == case_id for x in r.json())
                await w.until(on_register)
                roster = (await w.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                       json={"month": month, "jurisdiction": code})).json()
                await w.call("POST", "disbursement", None, f"/rosters/{roster['roster_id']}/submit", role="bureau_admin")
                confirmed = (await w.call("POST", "disbursement", None, f"/rosters/{roster['roster_id']}/payments",
                                          role="finance", json={"all": "paid"})).json()
                if confirmed["paid"] < 1:
                    raise RuntimeError(f"roster {roster['roster_id']}: finance confirmed no payment: {confirmed}")
        for _, _, case_id in paid:
            self.note("approved and paid", case_id)

        recent = first_working_day_from(cal, working_days_before(cal, today, 3))
        self.say(f"demo: business clock to {recent}: cases in publicity, one with an objection …")
        await self.clock.set(self.clock.at(recent))
        for code, committee, _ in self.jurisdictions:
            objected = await self.to_review(code, committee, recent, income=50000)
            self.note("in publicity with an objection", objected)
            self.note("in publicity", await self.to_review(code, committee, recent, income=30000))
            notice = await self._notice_of(code, objected)
            r = await w.client.post(w.url("publicity", code) + "/public/objections",
                                    data={"notice_no": notice, "summary": "该户有一辆营运车辆未申报", "anonymous": "true"})
            if r.status_code != 201:
                raise RuntimeError(f"objection to {notice} refused: {r.status_code} {r.text[:300]}")

        self.say(f"demo: business clock to {today}: new applications …")
        await self.clock.set(None if back_to_wall else self.clock.at(today))
        for code, committee, _ in self.jurisdictions:
            members = self.household()
            case = await w.apply(code, members, committee=committee)
            self.note("under investigation", case["case_id"])
            waiting = await w.apply(code, self.household(), committee=committee,
                                    materials=["application_form", "id_cards", "household_register"])
            self.note("waiting for a missing document", waiting.get("case_id") or waiting["application_id"])
        return self.made

    async def _notice_of(self, jurisdiction: str, case_id: str) -> str:
        async def posted():
            r = await self.walker.call("GET", "publicity", jurisdiction, "/notices", role="committee")
            return next((n["notice_no"] for n in r.json() if n["case_id"] == case_id), None)
        return await self.walker.until(posted)
