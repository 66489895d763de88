"""The audit chain against an attacker with database access: checkpoints on the events stream and
the stream's events show what the chain's own hashes cannot (real PostgreSQL and JetStream)."""

import datetime as dt
import functools
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from jiuzhu_contracts import encode
from jiuzhu_contracts.subjects import events_stream
from jiuzhu_devstack.testing import eventually

from jiuzhu_oversight.adapters.stream_reader import StreamUnreadable, read_messages
from jiuzhu_oversight.bootstrap import AuditSettings, build
from jiuzhu_oversight.domain.audit_chain import GENESIS, chain_hash

from .test_oversight_service import J1, accepted

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def svc(service_runner):
    builder = functools.partial(build, audit_settings=AuditSettings(checkpoint_every_entries=5))
    async with service_runner(builder, "oversight", None) as running:
        yield running


async def chain_of(svc, n: int):
    """Publish ``n`` events as the jurisdictions would and wait until all are in the chain."""
    for i in range(n):
        await svc.publish(accepted(f"{J1}-2022-{i:05d}", J1))
    await eventually(lambda: _rows(svc, n), timeout=30)


async def _rows(svc, n):
    async with svc.kit.sessions() as s:
        return (await s.execute(text("SELECT count(*) FROM audit_log"))).scalar_one() >= n


async def checkpoint_now(svc, role="auditor"):
    r = await svc.client.post("/audit/checkpoints", headers=svc.token(role, jurisdiction="650205"))
    assert r.status_code == 201, r.text
    made = r.json()
    await eventually(lambda: _published(svc, made["event_id"]))
    return made


async def _published(svc, event_id):
    return any(e.event_id == event_id for e in await svc.published("audit_checkpoint_recorded"))


async def verify(svc):
    r = await svc.client.get("/audit/verify", headers=svc.token("auditor", jurisdiction="650205"))
    assert r.status_code == 200, r.text
    return r.json()


def kinds(report):
    return {f["kind"] for f in report["findings"]}


async def test_checkpoints_by_ticker_and_on_demand_and_an_untouched_chain_verifies(svc):
    await chain_of(svc, 12)
    await svc.kit.tick(dt.datetime(2022, 3, 1, 10, tzinfo=TZ))  # ≥ 5 new entries: a checkpoint is due
    await eventually(lambda: svc.published("audit_checkpoint_recorded"))
    made = await checkpoint_now(svc, "bureau_admin")
    assert made["entries"] == 12 and made["trigger"] == "on_demand"
    # every chain is checkpointed, each on its own subject; the answer's head is the newest entry's chain's
    assert [c["chain"] for c in made["chains"]] == [J1, "650205100", "650205400", "650205"]
    assert [c["entries"] for c in made["chains"]] == [12, 0, 0, 0]
    [ours] = [e for e in await svc.published("audit_checkpoint_recorded") if e.event_id == made["event_id"]]
    assert ours.jurisdiction == made["chain"] == J1 and ours.district == "650205" and ours.case_id is None
    assert (ours.payload.last_seq, ours.payload.head_hash) == (made["last_seq"], made["head_hash"])
    assert ours.actor.role == "bureau_admin"

    report = await verify(svc)
    assert report["intact"] is True, report
    assert report["entries"] == 12  # oversight's own checkpoints are not appended to the chain
    assert report["checkpoints"] >= 2 and report["latest_checkpoint"]["entries"] == 12
    assert report["stream"]["compared"] == 12 and report["findings"] == []
    assert set(report["chains"]) == {J1, "650205100", "650205400", "650205"}
    assert report["chains"][J1]["entries"] == 12 and report["chains"][J1]["stream"]["compared"] == 12
    assert all(c["intact"] for c in report["chains"].values())
    triggers = {e.payload.trigger for e in await svc.published("audit_checkpoint_recorded")}
    assert {"entries", "on_demand"} <= triggers


async def test_deleting_the_last_ten_entries_is_reported_as_truncation(svc):
    await chain_of(svc, 15)
    await checkpoint_now(svc)
    assert (await verify(svc))["intact"] is True
    async with svc.kit.sessions() as s, s.begin():
        await s.execute(text("DELETE FROM audit_log WHERE seq IN "
                             "(SELECT seq FROM audit_log ORDER BY seq DESC LIMIT 10)"))
    report = await verify(svc)
    assert report["intact"] is False and report["chain_intact"] is True  # the hashes alone still agree
    assert report["entries"] == 5
    assert "truncated" in kinds(report) and "15 entries" in report["explanation"]
    assert sum(f["kind"] == "missing" for f in report["findings"]) == 10


async def test_an_entry_edited_and_every_later_hash_recomputed_is_reported(svc):
    await chain_of(svc, 8)
    await checkpoint_now(svc)
    async with svc.kit.sessions() as s, s.begin():
        rows = (await s.execute(text("SELECT seq, body FROM audit_log ORDER BY seq"))).all()
        forged_seq = rows[2].seq
        previous = GENESIS
        for row in rows:
            body = row.body
            if row.seq == forged_seq:
                body = {**body, "actor": {**body["actor"], "name": "别人"}}
            new_hash = chain_hash(previous, body)
            await s.execute(text("UPDATE audit_log SET body = CAST(:b AS jsonb), prev_hash = :p, hash = :h "
                                 "WHERE seq = :s"),
                            {"b": json.dumps(body, ensure_ascii=False), "p": previous, "h": new_hash,
                             "s": row.seq})
            previous = new_hash
    report = await verify(svc)
    assert report["intact"] is False and report["chain_intact"] is True
    assert {"rewritten", "differs"} <= kinds(report)
    differs = [f for f in report["findings"] if f["kind"] == "differs"]
    assert [f["seq"] for f in differs] == [forged_seq] and report["first_bad_seq"] == forged_seq


async def test_an_event_on_the_stream_missing_from_the_chain_is_reported(svc):
    await chain_of(svc, 4)
    async with svc.kit.sessions() as s, s.begin():
        gone = (await s.execute(text("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log) "
                                     "RETURNING event_id"))).scalar_one()
    report = await verify(svc)
    assert report["intact"] is False
    assert {(f["kind"], f["event_id"]) for f in report["findings"] if f["kind"] == "missing"} == {("missing", gone)}


async def test_an_event_not_yet_applied_is_pending_not_missing(svc):
    await chain_of(svc, 2)
    await svc.kit.consumers[0].stop()  # oversight falls behind
    await svc.publish(accepted(f"{J1}-2022-99999", J1))
    report = await verify(svc)
    assert report["intact"] is True, report
    assert report["stream"]["pending"] == 1


async def test_an_event_oversight_dead_lettered_is_not_missing(svc):
    await chain_of(svc, 2)
    first = (await svc.published("application_accepted"))[0]
    await svc.publish_bytes(f"{svc.prefix}.evt.650205.{J1}.application_accepted", encode(first),
                            signed_by=f"intake-{J1}", msg_id="sent-again")  # a duplicate
    await eventually(lambda: _dead_letters(svc, 1))
    report = await verify(svc)
    assert report["intact"] is True, report
    assert report["stream"]["dead_lettered"] == 1 and report["stream"]["compared"] == 2


async def _dead_letters(svc, n):
    async with svc.kit.sessions() as s:
        return (await s.execute(text("SELECT count(*) FROM dead_letters"))).scalar_one() >= n


async def test_the_reader_reads_a_long_stream_in_batches_in_order_within_its_bound(svc):
    subject = f"{svc.prefix}.evt.659999.659999001.reader_test"  # another district: oversight leaves it alone
    for i in range(2500):
        await svc.js.publish(subject, str(i).encode(), headers={"X-N": str(i)}, stream=events_stream(svc.prefix))
    messages = await read_messages(svc.js, events_stream(svc.prefix), subject, reader="oversight-read-events", batch=1000)
    assert [int(m.data) for m in messages] == list(range(2500))
    assert messages[7].headers["X-N"] == "7" and messages[-1].seq > messages[0].seq
    with pytest.raises(StreamUnreadable):
        await read_messages(svc.js, events_stream(svc.prefix), subject, reader="oversight-read-events", batch=1000, within=0)
