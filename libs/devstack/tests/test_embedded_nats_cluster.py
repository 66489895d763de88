"""The embedded three-node JetStream cluster: streams and the clock bucket with three replicas, a
client that knows every server, and a stream that survives kill -9 of its leader — nothing
acknowledged is lost, a message id re-sent to the new leader is still a duplicate, and the
restarted node catches up."""

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

import nats
import pytest

from jiuzhu_contracts.subjects import dead_letter_stream, events_stream
from jiuzhu_devstack.embedded_nats import EmbeddedNatsCluster
from jiuzhu_runtime.clock import clock_bucket, set_business_time
from jiuzhu_runtime.settings import nats_servers
from jiuzhu_runtime.streams import provision


def test_nats_servers_splits_a_cluster_url():
    assert nats_servers("nats://a:4222") == ["nats://a:4222"]
    assert nats_servers("nats://a:4222, nats://b:4223,") == ["nats://a:4222", "nats://b:4223"]
    with pytest.raises(ValueError):
        nats_servers(" , ")


@pytest.mark.timeout(120)
async def test_three_replicas_survive_kill_9_of_the_leader(tmp_path, infrastructure):
    cluster = await asyncio.to_thread(
        EmbeddedNatsCluster(tmp_path / "nats", auth_file=infrastructure.credentials.nats_auth_file).start)
    try:
        prefix = infrastructure.new_prefix()
        nc = await nats.connect(nats_servers(cluster.url), max_reconnect_attempts=-1, reconnect_time_wait=0.2,
                                **infrastructure.credentials.connect_options("operator"))
        js = nc.jetstream()
        await provision(js, prefix, replicas=3)
        await provision(js, prefix, replicas=3)  # the operator runs it again on every start: unchanged
        for stream in (events_stream(prefix), dead_letter_stream(prefix), f"KV_{clock_bucket(prefix)}"):
            info = await js.stream_info(stream)
            assert info.config.num_replicas == 3 and len(info.cluster.replicas) == 2, stream

        stream, subject = events_stream(prefix), f"{prefix}.evt.650205.650205001.x"
        for n in range(10):
            await js.publish(subject, b"%d" % n, headers={"Nats-Msg-Id": f"m{n}"}, stream=stream)
        leader = await cluster.leader_of(js, stream)
        await asyncio.to_thread(cluster.kill, leader)

        async def publish(n: int):  # as the outbox relay does: again until acknowledged
            for _ in range(100):
                try:
                    return await js.publish(subject, b"%d" % n, headers={"Nats-Msg-Id": f"m{n}"}, stream=stream,
                                            timeout=2)
                except Exception:
                    await asyncio.sleep(0.2)
            raise AssertionError("no new leader")

        assert (await publish(9)).duplicate  # the dedupe window is replicated too
        for n in range(10, 15):
            assert not (await publish(n)).duplicate
        new_leader = await cluster.leader_of(js, stream)
        assert new_leader != leader
        at = dt.datetime(2022, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
        await set_business_time(js, "650205", prefix, at)  # the clock bucket as provisioned (R3)

        await asyncio.to_thread(cluster.start_node, leader)

        async def all_current():
            info = await js.stream_info(stream)
            return info.state.messages == 15 and all(r.current and not r.offline for r in info.cluster.replicas)
        for _ in range(100):
            if await all_current():
                break
            await asyncio.sleep(0.2)
        assert await all_current()
        await nc.close()
    finally:
        await asyncio.to_thread(cluster.stop)
