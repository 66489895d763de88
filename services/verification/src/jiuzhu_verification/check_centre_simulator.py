"""Simulator of the economic-status check centre (居民家庭经济状况核对中心), for development and tests.

The real check centre is an external system; this is the only fake in the project. It listens for
``economic_check_requested`` on the bus, looks the members up in a JSON data file, and delivers a
report through the verification API with its own ``check_centre`` credentials — the same path the
real centre uses.

Data file: {"<id number>": {"monthly_income_fen": 0, "countable_assets_fen": 0, "findings": "…"}}.
Members not in the file have no records (zero income and assets).

    python -m jiuzhu_verification.check_centre_simulator   (settings from JZ_SIM_* variables)
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path

import httpx
import nats

from jiuzhu_contracts import decode
from jiuzhu_contracts.subjects import event_type_events, events_stream

log = logging.getLogger(__name__)


class CheckCentreSimulator:
    def __init__(self, records: dict[str, dict], urls: dict[str, str], token: str):
        self.records, self.urls, self.token = records, urls, token
        self.answered = 0

    @classmethod
    def from_file(cls, path: Path, urls: dict[str, str], token: str) -> "CheckCentreSimulator":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")), urls, token)

    def report_for(self, env) -> dict:
        found = [self.records.get(n, {}) for n in env.payload.member_id_numbers]
        findings = "；".join(r["findings"] for r in found if r.get("findings")) or "未发现登记的收入和财产"
        return {"report_no": f"SIM-{env.payload.request_id}", "reported_on": env.payload.requested_on.isoformat(),
                "monthly_income_fen": sum(r.get("monthly_income_fen", 0) for r in found),
                "countable_assets_fen": sum(r.get("countable_assets_fen", 0) for r in found),
                "findings": findings}

    async def answer(self, env, client: httpx.AsyncClient) -> None:
        base = self.urls[env.jurisdiction]
        response = await client.post(f"{base}/economic-checks/{env.payload.request_id}/report",
                                     json=self.report_for(env), headers={"Authorization": f"Bearer {self.token}"})
        if response.status_code >= 500:
            raise RuntimeError(f"verification answered {response.status_code}")
        if response.status_code >= 400:
            log.warning("report for %s refused: %s", env.payload.request_id, response.text)
        self.answered += 1

    async def run(self, nats_url: str, prefix: str, district: str, client: httpx.AsyncClient | None = None) -> None:
        nc = await nats.connect(nats_url, max_reconnect_attempts=-1)
        js = nc.jetstream()
        sub = await js.pull_subscribe(event_type_events("economic_check_requested", district, prefix),
                                      durable=f"check-centre-simulator-{district}", stream=events_stream(prefix))
        own = client is None
        client = client or httpx.AsyncClient(timeout=10)
        try:
            while True:
                try:
                    msgs = await sub.fetch(16, timeout=2)
                except (nats.errors.TimeoutError, asyncio.TimeoutError):
                    continue  # nothing to answer; nats-py raises either kind on an idle fetch
                except Exception as exc:  # NATS away for a moment: the durable consumer keeps our place
                    log.warning("check centre simulator: fetch failed: %s", exc)
                    await asyncio.sleep(1)
                    continue
                for msg in msgs:
                    try:
                        await self.answer(decode(msg.data), client)
                        await msg.ack()
                    except Exception as exc:
                        log.warning("check centre simulator: %s; will retry", exc)
                        await msg.nak(delay=1)
        finally:
            if own:
                await client.aclose()
            await nc.close()


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    urls = json.loads(os.environ["JZ_SIM_VERIFICATION_URLS"])
    sim = CheckCentreSimulator.from_file(Path(os.environ["JZ_SIM_DATA"]), urls, os.environ["JZ_SIM_TOKEN"])
    asyncio.run(sim.run(os.environ["JZ_NATS_URL"], os.environ.get("JZ_BUS_PREFIX", "jiuzhu"),
                        os.environ["JZ_SIM_DISTRICT"]))


if __name__ == "__main__":
    main()
