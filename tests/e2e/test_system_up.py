"""Issue 2, done-when: every service comes up and answers on its health endpoint."""

import datetime as dt

import httpx

from jiuzhu_devstack.stack import DISTRICT_SERVICES, JURISDICTION_SERVICES

from .conftest import TZ


async def test_every_service_is_up_healthy_and_documented(district):
    config = district.stack.config
    assert len(district.stack.instances) == len(DISTRICT_SERVICES) + len(JURISDICTION_SERVICES) * len(
        config.jurisdictions)
    async with httpx.AsyncClient(timeout=5) as client:
        for inst in district.stack.instances:
            health = (await client.get(f"{inst.url}/health")).json()
            assert health["status"] == "ok" and health["database"] and health["nats"], health
            assert health["service"] == inst.service and health["jurisdiction"] == inst.jurisdiction
            assert health["outbox_pending"] == 0
            openapi = (await client.get(f"{inst.url}/openapi.json")).json()
            assert openapi["info"]["title"].startswith("jiuzhu")


async def test_business_clock_moves_for_every_service_at_once(district):
    at = dt.datetime(2022, 1, 28, 9, 30, tzinfo=TZ)
    await district.set_business_time(at)  # waits for all 14 processes; raises if any lags
    async with httpx.AsyncClient(timeout=5) as client:
        for inst in district.stack.instances:
            assert (await client.get(f"{inst.url}/health")).json()["business_now"] == at.isoformat()
