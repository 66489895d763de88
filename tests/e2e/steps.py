"""The district's codes and the steps a scenario takes through the public APIs, shared by every
end-to-end test (none imports another test module)."""

import datetime as dt
import itertools

import httpx

from jiuzhu_contracts.subjects import events_stream

from .conftest import TZ

J1, J2, PARK = "650205001", "650205100", "650205400"
C1, C2, CP = "柳树街社区居民委员会", "哈克村村民委员会", "百口泉社区居民委员会"
_seq = itertools.count(100)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), TZ)


async def through_review(district, walker, jurisdiction, committee, day, *, income=50000, members=None):
    """apply → accept → home visit → data → check report → review; returns (case_id, members, computed)."""
    await district.set_business_time(at(day))
    members = members or walker.household(next(_seq))
    accepted = await walker.apply(jurisdiction, members, committee=committee, income_fen=income)
    case_id = accepted["case_id"]
    await walker.investigate(jurisdiction, case_id, members, day, income_fen=income)
    await walker.wait_report(jurisdiction, case_id)
    computed = await walker.review(jurisdiction, case_id)
    return case_id, members, computed


async def healthy_and_drained(district, walker, timeout: float = 90) -> None:
    """Every service answers, every outbox has been published, and every durable consumer has
    applied and acknowledged everything on the stream."""
    async def check():
        async with httpx.AsyncClient(timeout=5) as client:
            for inst in district.stack.instances:
                try:
                    body = (await client.get(f"{inst.url}/health")).json()
                except (httpx.HTTPError, ValueError):
                    return False
                if body["status"] != "ok" or body["outbox_pending"] != 0:
                    return False
        nc = await district.connect()
        try:
            infos = await nc.jetstream().consumers_info(events_stream(district.stack.bus_prefix))
        except Exception:
            return False
        finally:
            await nc.close()
        return all(i.num_pending == 0 and i.num_ack_pending == 0 for i in infos)
    await walker.until(check, timeout=timeout, every=0.5)


async def stage(walker, case_id) -> str:
    return (await walker.call("GET", "intake", J1, f"/cases/{case_id}", role="clerk")).json()["stage"]
