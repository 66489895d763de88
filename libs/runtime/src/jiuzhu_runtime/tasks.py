"""Ending a background task for certain.

On Python 3.11 ``asyncio.wait_for`` can swallow a cancellation that arrives just as the awaited
future completes (CPython gh-86296, fixed in 3.12): the task carries on as if never cancelled. A
relay waiting for its wake-up (or a publish acknowledgement) when a commit woke it went round its
loop again, and a service's shutdown waited out its 10 s bound for it, once in a few runs of a test
(issue 14: the "10 s teardown" of oversight's service tests).
"""

from __future__ import annotations

import asyncio


async def cancel_and_wait(task: asyncio.Task, *, every: float = 1.0, within: float = 10.0) -> bool:
    """Cancel ``task``, and again every ``every`` seconds until it has ended (at most ``within``
    seconds). True if it ended; its result or exception is left on the task. A second above a
    task's usual clean-up (the relay marking what it sent, in a ``finally``), so that a repeated
    cancellation does not cut that short."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=max(0.0, min(every, deadline - loop.time())))
        if loop.time() >= deadline:
            break
    return task.done()
