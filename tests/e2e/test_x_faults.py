"""Faults (issue 7): with cases in flight at every stage, kill -9 each service in turn and restart
it; restart NATS; restart PostgreSQL. Afterwards every case is where the procedure says, no event
was lost or applied twice, no roster line is duplicated and every outbox is empty. Malformed,
unknown-version and duplicate messages end in the dead-letter subject with their reasons and leave
state untouched. It restarts the servers everyone shares, and leaves them as it found them —
every server and service running, healthy and drained — whatever it failed on, so the tests
after it do not depend on the order they run in (``restored``)."""

import asyncio
import datetime as dt
import itertools
import json

import pytest

from jiuzhu_contracts import encode
from jiuzhu_contracts.consumers import covers, district_consumers
from jiuzhu_contracts.envelope import Actor, Envelope, new_event_id
from jiuzhu_contracts.examples import EXAMPLES
from jiuzhu_contracts.events import HomeVisitRecorded
from jiuzhu_contracts.subjects import event_subject, events_stream

from .steps import C1, J1, at, healthy_and_drained, stage, through_review

_seq = itertools.count(5000)


@pytest.fixture
async def restored(district, walker, infrastructure):
    """After the test, passed or failed: PostgreSQL and NATS running, every service process that
    ended started again, and the district healthy and drained."""
    yield
    postgres, nats = infrastructure.postgres, infrastructure.nats
    if postgres is not None and not (postgres.pgdata / "postmaster.pid").exists():
        await asyncio.to_thread(postgres.start)
    if nats is not None and (nats.process is None or nats.process.poll() is not None):
        await asyncio.to_thread(nats.start)
    ended = district.stack.exited()
    for inst in ended:
        district.stack.start_instance(inst)
    await asyncio.to_thread(district.stack.wait_healthy, 180, list(district.stack.instances))
    await healthy_and_drained(district, walker)


@pytest.mark.timeout(600)
async def test_kill_each_service_restart_nats_and_postgres_nothing_lost_nothing_twice(district, walker, infrastructure,
                                                                                      restored):
    if infrastructure.nats is None or infrastructure.postgres is None:
        pytest.skip("needs the embedded servers to restart them (NATS_URL / DATABASE_URL were given)")
    day = dt.date(2022, 8, 1)
    await district.set_business_time(at(day))
    # In flight: accepted only; reviewed (in publicity); approved.
    waiting = await walker.apply(J1, walker.household(next(_seq)), committee=C1)
    in_publicity, _, _ = await through_review(district, walker, J1, C1, day)
    approved, _, _ = await through_review(district, walker, J1, C1, day)
    await district.set_business_time(at(dt.date(2022, 8, 11)))  # both windows (8-1 + 7 wd = 8-10) closed
    await walker.wait_decision_state(J1, approved, lambda s: s["publicity"] == "clean")
    await walker.decide(J1, approved)

    # kill -9 each service in turn; while it is down, work goes on that it must catch up with. The
    # next one is killed while the one before is still starting (never more than these two away at
    # once): fourteen restarts one after another were half of this test's time.
    during: list[str] = []
    window = district.stack.instance("intake", J1)  # where the work goes on
    starting = None
    for inst in district.stack.instances:
        district.stack.kill(inst)
        if inst is not window:
            if starting is window:
                await asyncio.to_thread(district.stack.wait_healthy, 120, [window])
            during.append((await walker.apply(J1, walker.household(next(_seq)), committee=C1))["case_id"])
        district.stack.start_instance(inst)
        if starting is not None:
            await asyncio.to_thread(district.stack.wait_healthy, 120, [starting])
        starting = inst
    await asyncio.to_thread(district.stack.wait_healthy, 120, [starting])

    infrastructure.nats.restart()
    during.append((await walker.apply(J1, walker.household(next(_seq)), committee=C1))["case_id"])
    # PostgreSQL down: a request is answered at once with 503 and Retry-After, nothing half-done.
    await asyncio.to_thread(infrastructure.postgres.stop)
    try:
        down = await walker.call("GET", "intake", J1, "/cases", role="clerk", expect=503)
        assert down.headers["retry-after"] == "5" and "数据库暂时不可用" in down.json()["detail"]
    finally:
        await asyncio.to_thread(infrastructure.postgres.start)
    await healthy_and_drained(district, walker)
    during.append((await walker.apply(J1, walker.household(next(_seq)), committee=C1))["case_id"])

    # Every case is where the procedure says, in every service that follows it.
    for case_id in during + [waiting["case_id"]]:
        await walker.wait_task(J1, case_id)  # verification opened its task
        await walker.wait_decision_state(J1, case_id, lambda s: s["status"] == "in_procedure")
        assert await stage(walker, case_id) == "investigating"
    assert await stage(walker, in_publicity) in ("reviewed", "in_publicity", "awaiting_decision")
    assert await stage(walker, approved) == "approved"

    # The procedure goes on after the faults: the waiting publicity case can be decided.
    await district.set_business_time(at(dt.date(2022, 8, 12)))
    await walker.wait_decision_state(J1, in_publicity, lambda s: s["publicity"] == "clean")
    await walker.decide(J1, in_publicity)
    await healthy_and_drained(district, walker)

    # Nothing applied twice: oversight's audit trail holds each event once (unique event ids, a
    # verified chain) and each case's lifecycle events appear once.
    verify = (await walker.call("GET", "oversight", None, "/audit/verify", role="auditor")).json()
    assert verify["intact"] is True
    for case_id in during:
        trail = (await walker.call("GET", "oversight", None, f"/audit/cases/{case_id}", role="auditor")).json()
        kinds = [t["event_type"] for t in trail]
        assert kinds.count("application_accepted") == 1, (case_id, kinds)
    trail = (await walker.call("GET", "oversight", None, f"/audit/cases/{approved}", role="auditor")).json()
    assert [t["event_type"] for t in trail].count("case_approved") == 1

    # No roster line twice.
    roster = (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                json={"month": "2022-09", "jurisdiction": J1})).json()
    csv = (await walker.call("GET", "disbursement", None, f"/rosters/{roster['roster_id']}/export.csv",
                             role="bureau_admin")).text
    lines = [l for l in csv.splitlines() if l.startswith(J1)]
    keys = [tuple(l.split(",")[1:4]) for l in lines]
    assert len(keys) == len(set(keys)) and any(approved in l for l in lines)


async def test_malformed_unknown_version_and_duplicate_messages(district, walker, infrastructure):
    await healthy_and_drained(district, walker)
    case_id, _, _ = await through_review(district, walker, J1, C1, dt.date(2022, 8, 15))
    before = (await walker.call("GET", "verification", J1, f"/cases/{case_id}", role="investigator")).json()
    nc = await district.connect()
    js = nc.jetstream()
    prefix = district.stack.bus_prefix
    subject = event_subject(district.code, J1, "home_visit_recorded", prefix)
    visit = Envelope.wrap(next(e for e in EXAMPLES if isinstance(e, HomeVisitRecorded)), district=district.code,
                          jurisdiction=J1, actor=Actor(id="x", role="investigator", name="某"),
                          occurred_at=at(dt.date(2022, 8, 15)), case_id=case_id)
    newer = {**json.loads(encode(visit)), "event_version": 9, "event_id": new_event_id()}
    # Genuinely signed by the jurisdiction's verification service (a producer with a bug), so that they
    # pass the signature check and reach the contract check.
    signer = district.credentials.signer("verification-650205001")
    for bad in (b"{this is not json", json.dumps(newer).encode()):
        await js.publish(subject, bad, headers=signer.headers(subject, bad), stream=events_stream(prefix))
    # A duplicate: an event id some service already applied, sent again under a new message id.
    trail = (await walker.call("GET", "oversight", None, f"/audit/cases/{case_id}", role="auditor")).json()
    applied = next(t["event"] for t in trail if t["event_type"] == "home_visit_recorded")
    # Signed by its producer, as a relay re-publishing it would send it: a genuine event, sent twice.
    body = json.dumps(applied).encode()
    signature = district.credentials.signer("verification-650205001").headers(subject, body)
    await js.publish(subject, body, headers={"Nats-Msg-Id": new_event_id(), **signature},
                     stream=events_stream(prefix))
    # Which consumers take this subject: each service's takes only the event types its handlers handle
    # (jiuzhu_contracts.consumers, as the operator provisioned them), oversight's partition every
    # subject of the jurisdiction. Read from the server, and as provisioned.
    provisioned = district_consumers(district.code, [j.code for j in district.stack.config.jurisdictions], prefix)
    consumers = []
    for c in provisioned:
        if c.stream != events_stream(prefix) or not any(covers(f, subject) for f in c.filter_subjects):
            continue
        config = (await js.consumer_info(c.stream, c.durable)).config
        assert tuple(config.filter_subjects or (config.filter_subject,)) == c.filter_subjects
        consumers.append(c.durable)
    await nc.close()
    follows_visits = ("intake-650205001", "decision-650205001", "oversight-650205001")
    assert set(follows_visits) <= set(consumers) and "verification-650205001" not in consumers, consumers

    # Every consumer that takes the subject dead-letters both bad messages, each with its reason (each
    # consumer on its own time: wait for all of them, not for the first).
    reasons: dict[str, str] = {}

    async def dead_lettered():
        rows = (await walker.call("GET", "oversight", None, "/dead-letters", role="inspector")).json()
        reasons.clear()
        for r in rows:
            if r["original_subject"] == subject:
                reasons[r["consumer"]] = reasons.get(r["consumer"], "") + " | " + r["reason"]
        bad = all("malformed JSON" in reasons.get(c, "") and "newer than" in reasons.get(c, "") for c in consumers)
        # The duplicate, by every consumer that applies home visits: recorded, and nothing changed.
        twice = all("duplicate: event " + applied["event_id"] in reasons.get(c, "") for c in follows_visits)
        return bad and twice
    try:
        await walker.until(dead_lettered)
    except Exception:
        raise AssertionError(f"not every consumer dead-lettered the three messages: {reasons}") from None
    await healthy_and_drained(district, walker)
    await dead_lettered()  # and no consumer that does not take the subject was given them
    assert set(reasons) == set(consumers), reasons
    after = (await walker.call("GET", "verification", J1, f"/cases/{case_id}", role="investigator")).json()
    assert after == before
    trail = (await walker.call("GET", "oversight", None, f"/audit/cases/{case_id}", role="auditor")).json()
    assert [t["event_type"] for t in trail].count("home_visit_recorded") == 1
