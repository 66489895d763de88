"""The whole district as real processes, started exactly as ``./jz up`` starts it (``Stack``),
on the test run's real NATS and PostgreSQL, with the business clock on the bus."""

import datetime as dt
import os
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import nats
import pytest

from jiuzhu_devstack.stack import Stack
from jiuzhu_runtime.clock import set_business_time
from jiuzhu_runtime.settings import nats_servers

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Shanghai")


class District:
    def __init__(self, stack: Stack, nats_url: str):
        self.stack, self.nats_url = stack, nats_url
        self.code = stack.config.district.code
        self.credentials = stack.credentials

    def token(self, role: str, jurisdiction: str | None = None, *, who: str = "u1", name: str = "测试") -> dict:
        return {"Authorization": "Bearer " + self.credentials.issuer().mint(
            sub=who, name=name, roles=[role], jurisdiction=jurisdiction or self.code, district=self.code)}

    async def connect(self, user: str = "operator", **options):
        return await nats.connect(nats_servers(self.nats_url), **self.credentials.connect_options(user), **options)

    def url(self, service: str, jurisdiction: str | None = None) -> str:
        return self.stack.instance(service, jurisdiction).url

    async def set_business_time(self, at: dt.datetime) -> None:
        """Move every service's business clock and wait until each has seen it and ticked."""
        nc = await self.connect()
        try:
            await set_business_time(nc.jetstream(), self.code, self.stack.bus_prefix, at)
        finally:
            await nc.close()
        deadline = time.monotonic() + 30
        async with httpx.AsyncClient(timeout=5) as client:
            for inst in self.stack.instances:
                while True:
                    body = (await client.get(f"{inst.url}/health")).json()
                    if body["business_now"] == at.isoformat() and body["ticked_at"] == at.isoformat():
                        break
                    if time.monotonic() > deadline:
                        raise AssertionError(f"{inst.name} did not reach business time {at}: {body}")
                    await _pause()


async def _pause():
    import asyncio

    await asyncio.sleep(0.05)


@pytest.fixture(scope="session")
def traces():
    """Every service exports its spans here over OTLP, as it would to a collector (scenario 10)."""
    from jiuzhu_devstack.otlp_receiver import OtlpReceiver

    receiver = OtlpReceiver().start()
    yield receiver
    receiver.stop()


# How long a delivered event may stay unacknowledged before NATS delivers it again, for the test
# districts (production: 30 s). An event delivered as NATS or PostgreSQL went away in the fault tests
# sat unacknowledged for the whole wait before ``healthy_and_drained`` could see every consumer caught
# up (~20 s of each fault test). A redelivery of an event already applied is acknowledged quietly
# (the consumers' claims), so a shorter wait proves the same, and more often: nothing lost, nothing twice.
ACK_WAIT_SECONDS = 10.0

# The session's district listens from here (JZ_E2E_PORT_BASE: another block, for a second e2e run
# on the same machine; ./jz up uses 8100, the bench 19100, the cluster test 18700–19600).
E2E_PORT_BASE = int(os.environ.get("JZ_E2E_PORT_BASE", "18100"))


@pytest.fixture(scope="session")
def district(infrastructure, tmp_path_factory, traces):
    stack = Stack(ROOT / "config" / "urho.toml", nats_url=infrastructure.nats_url,
                  database_url=infrastructure.database_url, credentials=infrastructure.credentials,
                  log_dir=tmp_path_factory.mktemp("e2e-logs"), port_base=E2E_PORT_BASE, clock="bus",
                  bus_prefix=infrastructure.bus_prefix, database_prefix=f"e2e{infrastructure.run_id}",
                  ack_wait_seconds=ACK_WAIT_SECONDS,
                  extra_env={"JZ_OTEL_EXPORTER": "otlp", "JZ_OTEL_ENDPOINT": traces.endpoint,
                             "OTEL_BSP_SCHEDULE_DELAY": "500"})
    try:
        stack.start(timeout=240)
    except Exception:
        stack.stop()
        for log in sorted(stack.log_dir.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text()[-3000:]}")
        raise
    yield District(stack, infrastructure.nats_url)
    stack.stop()


@pytest.fixture(scope="session")
async def walker(district):
    from jiuzhu_devstack.walkthrough import Walker

    urls = {(i.service, i.jurisdiction): i.url for i in district.stack.instances}
    w = Walker(urls=urls, issuer=district.credentials.issuer(), district=district.code)
    yield w
    await w.client.aclose()


@pytest.fixture(scope="module")
async def browser():
    """Debian's Chromium, driven by Playwright, for a module of console scenarios."""
    from playwright.async_api import async_playwright

    from .desk import ARGS, CHROMIUM

    assert CHROMIUM, "chromium must be installed in CI (./jz test installs Debian's package)"
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture(scope="module")
def console(district) -> str:
    """The running district's staff console."""
    assert district.stack.console is not None
    return district.stack.console.url
