"""``./jz demo`` fills a running district with cases at every stage, through the public APIs."""

import datetime as dt

from jiuzhu_devstack.demo_cli import fill

from .steps import J1


async def test_the_demo_leaves_cases_at_every_stage_in_every_jurisdiction(district, walker):
    today = dt.date(2022, 12, 15)
    report = await fill(district.stack, district.credentials, district.nats_url, district.stack.bus_prefix, today)
    stages = {line.split("  ")[1].strip(): line for line in report.splitlines()[1:]}
    assert set(stages) == {"approved and paid", "refused, notice delivered", "in publicity with an objection",
                           "in publicity", "under investigation", "waiting for a missing document"}, report
    cases = {stage: line.split(stage, 1)[1].strip().split(", ") for stage, line in stages.items()}
    assert all(len(ids) == 3 for ids in cases.values()), cases  # one of each in each jurisdiction

    register = {c["case_id"]: c for c in (await walker.call("GET", "oversight", None, "/cases", role="inspector",
                                                            params={"limit": 5000})).json()}
    assert all(register[c]["stage"] == "approved" for c in cases["approved and paid"])
    assert all(register[c]["stage"] == "refused" for c in cases["refused, notice delivered"])
    assert all(register[c]["stage"] == "in_publicity" for c in cases["in publicity"])
    objections = (await walker.call("GET", "publicity", J1, "/objections", role="committee")).json()
    assert any(o["case_id"] in cases["in publicity with an objection"] for o in objections), objections
    paid = (await walker.call("GET", "disbursement", None, "/rosters", role="bureau_admin",
                              params={"month": "2022-12"})).json()
    submitted = {r["scope"] for r in paid if r["status"] == "submitted" and r["lines"] >= 1}
    assert submitted >= {"650205001", "650205100", "650205400"}, paid
    health = (await walker.client.get(walker.url("intake", J1) + "/health")).json()
    assert health["business_now"].startswith("2022-12-15")
