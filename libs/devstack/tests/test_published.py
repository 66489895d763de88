"""The test helper that reads what was published (``RunningService.published``) must fail when its
read fails, never report "nothing was published" (issue 14, item 6)."""

from jiuzhu_contracts import encode
from jiuzhu_contracts.examples import EXAMPLES, envelope
from jiuzhu_contracts.subjects import event_subject, events_stream
from jiuzhu_devstack.testing import read_published
from jiuzhu_runtime.streams import provision


async def _stream_with(infrastructure, n: int):
    prefix = infrastructure.new_prefix()
    nc = await infrastructure.connect()
    js = nc.jetstream()
    await provision(js, prefix)
    sent = [envelope(EXAMPLES[2], case_id=f"case-{i}") for i in range(n)]
    for env in sent:
        subject = event_subject(env.district, env.jurisdiction, env.event_type, prefix)
        await js.publish(subject, encode(env), stream=events_stream(prefix))
    return nc, js, prefix, sent


class OneMessageThenSilence:
    """A subscription whose fetches stop delivering after the first message (a server that stopped
    answering, a connection lost): the stream still holds the others."""

    def __init__(self, sub):
        self._sub, self._given = sub, False

    async def consumer_info(self):
        return await self._sub.consumer_info()

    async def fetch(self, batch, timeout):
        import asyncio

        if self._given:
            raise asyncio.TimeoutError
        self._given = True
        return (await self._sub.fetch(1, timeout=timeout))[:1]

    async def unsubscribe(self):
        await self._sub.unsubscribe()


class Starved:
    def __init__(self, js):
        self._js = js

    async def pull_subscribe(self, *args, **kwargs):
        return OneMessageThenSilence(await self._js.pull_subscribe(*args, **kwargs))


async def test_reads_every_published_event(infrastructure):
    nc, js, prefix, sent = await _stream_with(infrastructure, 3)
    try:
        assert await read_published(js, prefix, "application_accepted") == sent
        assert await read_published(js, prefix, "case_approved") == []  # none of that type: empty, no error
    finally:
        await nc.close()


async def test_a_read_that_stops_short_fails_instead_of_reporting_fewer_events(infrastructure):
    nc, js, prefix, _ = await _stream_with(infrastructure, 3)
    try:
        try:
            found = await read_published(Starved(js), prefix, "application_accepted")
        except AssertionError as exc:
            assert "read 1 of the 3" in str(exc)
        else:
            raise AssertionError(f"a read that stopped after 1 of 3 messages returned {len(found)} events")
    finally:
        await nc.close()
