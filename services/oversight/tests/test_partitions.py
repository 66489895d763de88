"""Oversight partitioned by jurisdiction (issue 14; domain/partitions.py): a consumer and an audit
chain per jurisdiction, the duplicate alert across them under concurrency, and the chain written
before partitioning kept as the district's (real PostgreSQL and JetStream)."""

import asyncio
import datetime as dt
import json

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from jiuzhu_contracts import encode
from jiuzhu_contracts.subjects import district_events, events_stream
from jiuzhu_devstack.testing import eventually
from jiuzhu_runtime import migrate
from jiuzhu_runtime.db import to_async_url
from jiuzhu_runtime.streams import provision

from jiuzhu_oversight.bootstrap import MIGRATIONS, build
from jiuzhu_oversight.domain.audit_chain import GENESIS, chain_hash
from jiuzhu_oversight.service_layer import handlers
from jiuzhu_oversight.service_layer.context import Oversight

from .test_audit_verification import checkpoint_now, verify
from .test_oversight_service import J1, J2, accepted, svc  # noqa: F401  (the fixture)

DISTRICT = "650205"


def _consumer(svc, name):
    return next(c for c in svc.kit.consumers if c.name == name)


async def test_two_jurisdictions_are_applied_by_their_own_consumers_and_chained_apart(svc):
    names = [c.name for c in svc.kit.consumers]
    assert names[:4] == [f"oversight-{J1}", f"oversight-{J2}", "oversight-650205400", f"oversight-{DISTRICT}"]
    for i in range(3):
        await svc.publish(accepted(f"{J1}-2022-{i:05d}", J1))
        await svc.publish(accepted(f"{J2}-2022-{i + 100:05d}", J2))
    await eventually(lambda: _consumer(svc, f"oversight-{J1}").processed >= 3
                     and _consumer(svc, f"oversight-{J2}").processed >= 3, timeout=30)
    assert _consumer(svc, f"oversight-{J1}").processed == 3 and _consumer(svc, f"oversight-{J2}").processed == 3
    async with svc.kit.sessions() as s:
        chains = dict((await s.execute(text("SELECT chain, count(*) FROM audit_log GROUP BY chain"))).all())
        district = set((await s.execute(text("SELECT event_type FROM audit_log WHERE chain = :d"), {"d": DISTRICT})
                        ).scalars())
        # each chain links its own entries only, from the genesis on
        firsts = (await s.execute(text("SELECT DISTINCT ON (chain) chain, prev_hash FROM audit_log "
                                       "ORDER BY chain, seq"))).all()
    # the same household in both: the district's own alerts are on the district's chain
    assert chains[J1] == 3 and chains[J2] == 3 and set(chains) <= {J1, J2, DISTRICT}
    assert district <= {"duplicate_beneficiary_detected"}
    assert {f.prev_hash for f in firsts} == {GENESIS}
    await checkpoint_now(svc)
    report = await verify(svc)
    assert report["intact"] is True, report
    for chain in (J1, J2):
        mine = report["chains"][chain]
        assert mine["intact"] and mine["entries"] == 3 and mine["stream"]["compared"] == 3, mine
        assert mine["checkpoints"] >= 1 and mine["latest_checkpoint"]["entries"] == 3
    assert report["entries"] == sum(c["entries"] for c in report["chains"].values()) == report["stream"]["compared"]


async def test_one_resident_accepted_in_two_jurisdictions_at_once_is_still_raised(svc):
    """The two partitions run side by side: the second acceptance must wait for the first to commit,
    or neither sees the other's uncommitted index row and no alert is raised."""
    ctx = Oversight(config=svc.kit.config, calendar=svc.kit.calendar, clock=svc.kit.clock,
                    unit_of_work=svc.kit.unit_of_work)
    first, second = accepted(f"{J1}-2022-00501", J1), accepted(f"{J2}-2022-00501", J2)
    async with svc.kit.unit_of_work() as uow:
        await handlers.application_accepted(ctx, first, uow)  # not committed yet
        other = asyncio.create_task(_accept(svc, ctx, second))
        await eventually(lambda: _waiting_on_a_resident(svc), timeout=10)  # the second waits on the resident
        assert not other.done()
    raised = await asyncio.wait_for(other, 10)  # now it sees the first
    assert len(raised) >= 1 and all(set(a["jurisdictions"]) == {J1, J2} for a in raised)


async def _accept(svc, ctx, env):
    async with svc.kit.unit_of_work() as uow:
        await handlers.application_accepted(ctx, env, uow)
    async with svc.kit.sessions() as s:
        return [dict(r._mapping) for r in (await s.execute(text("SELECT * FROM alerts"))).all()]


async def _waiting_on_a_resident(svc):
    async with svc.kit.sessions() as s:
        return (await s.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
                ).scalar_one() >= 1


async def test_the_chain_written_before_partitioning_is_kept_as_the_districts(infrastructure, service_runner):
    """An oversight upgraded from one consumer and one chain: its entries stay as they were (the
    district's chain), its checkpoint on the stream still holds, its consumer's events are not applied
    again, and what comes next goes to the jurisdictions' chains."""
    prefix = infrastructure.new_prefix()
    url = infrastructure.database("oversight_before_partitioning")
    await asyncio.to_thread(migrate.upgrade, url, MIGRATIONS, "0012")  # the last before partitioning
    nc = await infrastructure.connect()
    js = nc.jetstream()
    await provision(js, prefix)
    before = [accepted(f"{J1}-2022-00001", J1), accepted(f"{J2}-2022-00002", J2), accepted(f"{J1}-2022-00003", J1)]
    signer = infrastructure.credentials.signer
    for env in before:
        subject = f"{prefix}.evt.{DISTRICT}.{env.jurisdiction}.{env.event_type}"
        body = encode(env)
        await js.publish(subject, body, headers={"Nats-Msg-Id": env.event_id,
                                                 **signer(f"intake-{env.jurisdiction}").headers(subject, body)},
                         stream=events_stream(prefix))
    # what the one consumer of the whole district did: applied all three, one chain, and acknowledged them
    sub = await js.pull_subscribe(district_events(DISTRICT, prefix), durable="oversight", stream=events_stream(prefix))
    for msg in await sub.fetch(3, timeout=5):
        await msg.ack_sync()
    await sub.unsubscribe()
    engine = create_async_engine(to_async_url(url))
    previous = GENESIS
    async with engine.begin() as conn:
        for env in before:
            body = json.loads(encode(env))
            entry = chain_hash(previous, body)
            await conn.execute(text(
                "INSERT INTO audit_log (event_id, case_id, jurisdiction, category, event_type, occurred_at, body, "
                "prev_hash, hash) VALUES (:e, :c, :j, 'dibao', :t, :o, CAST(:b AS jsonb), :p, :h)"),
                {"e": env.event_id, "c": env.case_id, "j": env.jurisdiction, "t": env.event_type,
                 "o": env.occurred_at, "b": json.dumps(body, ensure_ascii=False), "p": previous, "h": entry})
            await conn.execute(text("INSERT INTO processed_events (consumer, event_id) VALUES ('oversight', :e)"),
                               {"e": env.event_id})
            previous = entry
    await engine.dispose()
    await nc.close()

    async with service_runner(build, "oversight", None, prefix=prefix, database_url=url) as svc:
        async with svc.kit.sessions() as s:
            kept = (await s.execute(text("SELECT chain, hash FROM audit_log ORDER BY seq"))).all()
        assert [k.chain for k in kept] == [DISTRICT] * 3 and kept[-1].hash == previous  # nothing rehashed
        await svc.publish(accepted(f"{J1}-2022-00004", J1))  # the first event after the upgrade
        await eventually(lambda: _consumer(svc, f"oversight-{J1}").processed >= 1, timeout=30)
        await checkpoint_now(svc)
        report = await verify(svc)
        assert report["intact"] is True, report
        assert report["chains"][DISTRICT]["entries"] == 3 and report["chains"][DISTRICT]["stream"]["compared"] == 3
        assert report["chains"][J1]["entries"] == 1 and report["chains"][J1]["stream"]["compared"] == 1
        assert report["entries"] == 4
        # the three already applied were neither applied again nor dead-lettered as duplicates
        assert _consumer(svc, f"oversight-{J1}").processed == 1 and _consumer(svc, f"oversight-{J2}").processed == 0
        async with svc.kit.sessions() as s:
            assert (await s.execute(text("SELECT count(*) FROM dead_lettered"))).scalar_one() == 0
