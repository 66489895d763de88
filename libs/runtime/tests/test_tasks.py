"""A service's background tasks end when it stops, even when Python 3.11 loses a cancellation
(CPython gh-86296): the outbox relay, woken by a commit just as it was cancelled, went round its
loop again and a shutdown waited out its 10 s bound for it."""

import asyncio
import sys
import time

from jiuzhu_runtime.tasks import cancel_and_wait


async def relay_like(wake: asyncio.Event) -> None:
    """The shape of ``OutboxRelay.run``'s idle wait."""
    while True:
        wake.clear()
        try:
            await asyncio.wait_for(wake.wait(), 5.0)
        except TimeoutError:
            pass


async def test_a_task_woken_as_it_is_cancelled_still_ends_within_a_fraction_of_a_second():
    wake = asyncio.Event()
    task = asyncio.create_task(relay_like(wake))
    await asyncio.sleep(0.01)  # waiting for its wake-up
    wake.set()  # a commit wakes it …
    task.cancel()  # … in the same turn of the loop as the shutdown cancels it
    await asyncio.sleep(0.2)
    if sys.version_info < (3, 12):  # the lost cancellation this guards against
        assert not task.done(), "Python 3.11 no longer loses this cancellation: the test shows nothing"
    started = time.monotonic()
    assert await cancel_and_wait(task)
    assert task.cancelled() and time.monotonic() - started < 1.0


async def test_a_task_that_will_not_end_is_given_up_on_after_the_bound():
    stubborn_for = time.monotonic() + 1.0  # refuses every cancellation for a second, then ends

    async def stubborn():
        while time.monotonic() < stubborn_for:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                pass

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0.01)
    started = time.monotonic()
    assert not await cancel_and_wait(task, within=0.5)
    assert 0.4 < time.monotonic() - started < 1.0 and not task.done()
    assert await cancel_and_wait(task, within=5.0)  # and ends once it lets itself be cancelled
