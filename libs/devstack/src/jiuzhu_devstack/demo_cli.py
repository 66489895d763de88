"""``./jz demo``: the running district (``./jz up``, which writes ``.jiuzhu/running.json``) filled
with cases at every stage (``jiuzhu_devstack.demo``)."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path


def demo(args, state: Path, credentials) -> int:
    from jiuzhu_devstack.stack import Stack
    from jiuzhu_devstack.up import running_district

    up = running_district(state)
    if not up:
        raise SystemExit("jz: no running district found (.jiuzhu/running.json): start it first with ./jz up")
    if up["clock"] != "bus":
        raise SystemExit("jz: the demo moves the business clock: start the district with ./jz up --clock bus")
    creds = credentials(Path(up["config"]))
    stack = Stack(Path(up["config"]), nats_url=up["nats_url"], database_url="postgresql://unused/", credentials=creds,
                  log_dir=state / "logs", port_base=up["port_base"], bus_prefix=up["prefix"])
    from zoneinfo import ZoneInfo

    wall = dt.datetime.now(ZoneInfo(stack.config.district.timezone)).date()  # the district's today
    today = dt.date.fromisoformat(args.today) if args.today else wall
    print(f"filling {stack.config.district.name} with demonstration cases (business dates up to {today}) …")
    print(asyncio.run(fill(stack, creds, up["nats_url"], up["prefix"], today, back_to_wall=today == wall)))
    return 0


async def fill(stack, creds, nats_url: str, prefix: str, today: dt.date, *, back_to_wall: bool = False) -> str:
    from jiuzhu_devstack.demo import BusinessTime, Demo
    from jiuzhu_devstack.walkthrough import Walker
    from jiuzhu_kernel.working_days import calendar_for

    config = stack.config
    walker = Walker(urls={(i.service, i.jurisdiction): i.url for i in stack.instances}, issuer=creds.issuer(),
                    district=config.district.code)
    clock = BusinessTime(nats_url, creds.connect_options("operator"), config.district.code, prefix,
                         [i.url for i in stack.instances], config.district.timezone)
    jurisdictions = [(j.code, j.committees[0], not decides_itself(config, j.code, today)) for j in config.jurisdictions]
    try:
        calendar = calendar_for(config, stack.config_path.parent)
        made = await Demo(walker, clock, calendar, jurisdictions).run(today, back_to_wall=back_to_wall)
    finally:
        await walker.client.aclose()
    lines = [f"  {stage:<34}{', '.join(ids)}" for stage, ids in made.items()]
    return "demo cases (see them at each service's /docs, oversight's /cases, publicity's /public):\n" + "\n".join(lines)


def decides_itself(config, jurisdiction: str, day: dt.date) -> bool:
    """Whether the jurisdiction holds the approval authority for dibao on ``day`` (else the bureau)."""
    rules = sorted((r for r in config.authority if r.jurisdiction == jurisdiction and r.effective_from <= day
                    and r.category in (None, "dibao")), key=lambda r: r.effective_from)
    return bool(rules) and rules[-1].body.value == "jurisdiction"
