"""Issue 17: the district on a three-node JetStream cluster (its own district, its own three
nats-server processes; the streams and the clock bucket with three replicas; every service given
every server's URL). With cases in flight at every stage, kill -9 the events stream's leader and
keep working, restart it; kill -9 a follower and keep working, restart it; then two of the three
at once (no quorum: the window still accepts, the event waits in its outbox), restart both. Afterwards every case is
where the procedure says, every event is on the stream once and in oversight's audit trail once
(nothing lost, nothing applied twice), nothing was dead-lettered, every outbox is empty, every
consumer has caught up and every replica is current."""

import asyncio
import collections
import datetime as dt
import itertools

import pytest

from jiuzhu_contracts import decode
from jiuzhu_contracts.subjects import events_stream
from jiuzhu_devstack.embedded_nats import EmbeddedNatsCluster
from jiuzhu_devstack.ports import port_is_free
from jiuzhu_devstack.stack import Stack
from jiuzhu_devstack.walkthrough import Walker

from .conftest import ACK_WAIT_SECONDS, ROOT, District
from .steps import C1, J1, at, healthy_and_drained, stage, through_review

_seq = itertools.count(7000)


def _stack_on_free_ports(**kwargs) -> Stack:
    for base in range(18700, 19700, 100):  # the session's district has 18100; ./jz up 8100
        stack = Stack(port_base=base, **kwargs)
        if all(port_is_free(i.port) for i in stack.processes):
            return stack
    raise RuntimeError("no free block of ports for the cluster district")


@pytest.fixture(scope="module")
def cluster_district(infrastructure, tmp_path_factory):
    base = tmp_path_factory.mktemp("cluster")
    cluster = EmbeddedNatsCluster(base / "nats", auth_file=infrastructure.credentials.nats_auth_file).start()
    stack = _stack_on_free_ports(config_path=ROOT / "config" / "urho.toml", nats_url=cluster.url,
                                 database_url=infrastructure.database_url, credentials=infrastructure.credentials,
                                 log_dir=base / "logs", clock="bus", bus_prefix=infrastructure.new_prefix(),
                                 database_prefix=f"cl{infrastructure.run_id}", with_console=False, nats_replicas=3,
                                 ack_wait_seconds=ACK_WAIT_SECONDS)
    try:
        stack.start(timeout=240)
    except Exception:
        stack.stop()
        cluster.stop()
        for log in sorted(stack.log_dir.glob("*.log")):
            print(f"--- {log.name}\n{log.read_text()[-3000:]}")
        raise
    yield District(stack, cluster.url), cluster
    stack.stop()
    cluster.stop()


async def on_stream(js, prefix: str) -> list:
    """Every envelope on the events stream, in stream order."""
    import nats.errors

    sub = await js.pull_subscribe(f"{prefix}.evt.>", stream=events_stream(prefix))
    found = []
    try:
        while True:
            try:
                msgs = await sub.fetch(500, timeout=1)
            except (nats.errors.TimeoutError, asyncio.TimeoutError):
                return found
            for msg in msgs:
                found.append(decode(msg.data))
                await msg.ack()
    finally:
        await sub.unsubscribe()


@pytest.mark.timeout(300)
async def test_kill_9_the_stream_leader_then_a_follower_nothing_lost_nothing_twice(cluster_district):
    district, cluster = cluster_district
    prefix, stream = district.stack.bus_prefix, events_stream(district.stack.bus_prefix)
    walker = Walker(urls={(i.service, i.jurisdiction): i.url for i in district.stack.instances},
                    issuer=district.credentials.issuer(), district=district.code)
    nc = await district.connect(max_reconnect_attempts=-1, reconnect_time_wait=0.2)
    js = nc.jetstream()
    try:
        # In flight at every stage: approved; awaiting the decision; in publicity; investigated (the
        # check report in, not reviewed); accepted only.
        day, later = dt.date(2022, 8, 1), dt.date(2022, 8, 11)  # 8-1 + 7 working days = 8-10: closed
        approved, _, _ = await through_review(district, walker, J1, C1, day)
        awaiting, _, _ = await through_review(district, walker, J1, C1, day)
        await district.set_business_time(at(later))
        await walker.wait_decision_state(J1, approved, lambda s: s["publicity"] == "clean")
        await walker.decide(J1, approved)
        in_publicity, _, _ = await through_review(district, walker, J1, C1, later)
        members = walker.household(next(_seq))
        investigated = (await walker.apply(J1, members, committee=C1))["case_id"]
        await walker.investigate(J1, investigated, members, later)
        accepted = (await walker.apply(J1, walker.household(next(_seq)), committee=C1))["case_id"]
        await walker.wait_decision_state(J1, awaiting, lambda s: s["publicity"] == "clean")

        # kill -9 the leader; work goes on while the other two elect a new one.
        leader = await cluster.leader_of(js, stream)
        await asyncio.to_thread(cluster.kill, leader)
        during = [(await walker.apply(J1, walker.household(next(_seq)), committee=C1))["case_id"]]
        await walker.decide(J1, awaiting)
        new_leader = await cluster.leader_of(js, stream)
        assert new_leader != leader
        await walker.wait_report(J1, investigated)  # the check centre's report came through the new leader
        await asyncio.to_thread(cluster.start_node, leader)

        # kill -9 a follower (the node not killed yet); work goes on.
        follower = next(i for i in range(3) if i not in (leader, new_leader))
        await asyncio.to_thread(cluster.kill, follower)
        during.append((await walker.apply(J1, walker.household(next(_seq)), committee=C1))["case_id"])
        await walker.review(J1, investigated)
        await asyncio.to_thread(cluster.start_node, follower)

        # Two of three down at once: no quorum, the stream takes nothing. The window still accepts
        # (the state and its event are committed together in intake's database); the event waits
        # in the outbox and goes out when the servers are back.
        leader = await cluster.leader_of(js, stream)
        other = next(i for i in range(3) if i != leader)
        await asyncio.to_thread(cluster.kill, leader)
        await asyncio.to_thread(cluster.kill, other)
        during.append((await walker.apply(J1, walker.household(next(_seq)), committee=C1))["case_id"])
        await asyncio.to_thread(cluster.start_node, other)
        await asyncio.to_thread(cluster.start_node, leader)

        # The procedure goes on after the faults: the clock moves, both publicity windows close,
        # both cases are decided.
        await district.set_business_time(at(dt.date(2022, 8, 25)))
        for case_id in (in_publicity, investigated):
            await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
            await walker.decide(J1, case_id)
        await healthy_and_drained(district, walker)

        # Every case is where the procedure says.
        for case_id in (approved, awaiting, in_publicity, investigated):
            assert await stage(walker, case_id) == "approved", case_id
        for case_id in [accepted, *during]:
            await walker.wait_task(J1, case_id)
            await walker.wait_decision_state(J1, case_id, lambda s: s["status"] == "in_procedure")
            assert await stage(walker, case_id) == "investigating", case_id

        # Nothing lost, nothing twice: each event is on the stream once, and in oversight's audit
        # trail once (a verified chain); no consumer dead-lettered anything.
        events = await on_stream(js, prefix)
        ids = [e.event_id for e in events]
        assert len(ids) == len(set(ids)), [i for i, n in collections.Counter(ids).items() if n > 1]
        verify = (await walker.call("GET", "oversight", None, "/audit/verify", role="auditor")).json()
        assert verify["intact"] is True
        for case_id in (approved, awaiting, in_publicity, investigated, accepted, *during):
            trail = (await walker.call("GET", "oversight", None, f"/audit/cases/{case_id}", role="auditor")).json()
            audited = collections.Counter(t["event"]["event_id"] for t in trail)
            assert audited == collections.Counter(e.event_id for e in events if e.case_id == case_id), case_id
        assert (await walker.call("GET", "oversight", None, "/dead-letters", role="inspector")).json() == []

        # All three replicas hold it all again.
        async def replicated():
            info = await js.stream_info(stream)
            return info.state.messages == len(events) and all(r.current and not r.offline
                                                              for r in info.cluster.replicas)
        await walker.until(replicated, timeout=30)
    finally:
        await nc.close()
        await walker.client.aclose()
