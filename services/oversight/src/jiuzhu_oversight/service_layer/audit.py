"""The audit chain's checkpoints, and its verification against them and against the stream.

A checkpoint (``audit_checkpoint_recorded``) is the chain's head — last seq, its hash, the number of
entries — emitted through the outbox in a transaction that holds the chain's append lock, so it
describes committed entries only. Oversight consumes its own checkpoints like every district event
but does not append them to the chain (``NOT_CHAINED``): the checkpoint commits to the chain and the
chain never commits to a checkpoint, so neither vouches for itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import asdict, dataclass

from jiuzhu_contracts import ContractError, decode, encode
from jiuzhu_contracts.envelope import SYSTEM_ACTOR, Actor
from jiuzhu_contracts.events import AuditCheckpointRecorded
from jiuzhu_runtime.unit_of_work import UnitOfWork

from jiuzhu_oversight.adapters import audit_log
from jiuzhu_oversight.adapters.stream_reader import EventStreamReader, StreamMessage
from jiuzhu_oversight.domain.audit_chain import NOT_CHAINED, Entry, canonical, verify
from jiuzhu_oversight.domain.audit_checks import (
    Checkpoint,
    Finding,
    StreamEvent,
    check_checkpoints,
    checkpoint_due,
    compare_with_stream,
)
from jiuzhu_oversight.service_layer.context import Oversight

SHOWN_FINDINGS = 100


@dataclass(frozen=True)
class CheckpointPolicy:
    """A periodic checkpoint after ``every_entries`` new entries, or after ``every`` if the chain
    moved at all. Whatever the chain gained since the last checkpoint can be cut off unseen by the
    checkpoints (the stream comparison still sees it), so these bound that window."""

    every_entries: int = 100
    every: dt.timedelta = dt.timedelta(hours=1)


async def _record(ctx: Oversight, uow: UnitOfWork, trigger: str, now: dt.datetime, actor: Actor) -> dict:
    """Emit the head as it is once every append before it has committed (the append lock)."""
    await audit_log.lock(uow.session)
    head = await audit_log.head(uow.session)
    payload = AuditCheckpointRecorded(last_seq=head.last_seq, head_hash=head.head_hash, entries=head.entries,
                                      recorded_at=now, trigger=trigger)
    envelope = ctx.wrap(payload, actor=actor)  # district-scoped: the district code as jurisdiction
    await uow.emit(envelope)
    await audit_log.add_checkpoint(uow.session, envelope.event_id, head, now, trigger)
    return {"event_id": envelope.event_id, **asdict(head), "recorded_at": now, "trigger": trigger}


async def record_checkpoint(ctx: Oversight, actor: Actor) -> dict:
    """A checkpoint now, on an auditor's or the bureau's request."""
    async with ctx.unit_of_work() as uow:
        return await _record(ctx, uow, "on_demand", ctx.clock.now(), actor)


async def checkpoint_if_due(ctx: Oversight, now: dt.datetime, policy: CheckpointPolicy) -> dict | None:
    """The ticker's checkpoint. Decided without the append lock (a stale look only delays it to the
    next tick); the head itself is read under the lock."""
    async with ctx.unit_of_work() as uow:
        trigger = checkpoint_due(await audit_log.head(uow.session), await audit_log.last_checkpoint(uow.session), now,
                                 every_entries=policy.every_entries, every=policy.every)
        if trigger is None:
            return None
        return await _record(ctx, uow, trigger, now, SYSTEM_ACTOR)


def _checkpoint(message: StreamMessage) -> Checkpoint | None:
    try:
        env = decode(message.data)
    except ContractError:
        return None
    if not isinstance(env.payload, AuditCheckpointRecorded):
        return None
    p = env.payload
    return Checkpoint(p.last_seq, p.head_hash, p.entries, p.recorded_at, env.event_id)


def _stream_event(message: StreamMessage, stored: dict[str, bytes]) -> StreamEvent:
    """The message in the form oversight stores an event in (``append_audit``). A message whose JSON
    is already exactly what the chain holds for its event needs no decoding (most of them: decoding
    is what makes verifying tens of thousands of events slow)."""
    try:
        raw = json.loads(message.data)
    except ValueError:
        raw = None
    if isinstance(raw, dict) and isinstance(raw.get("event_type"), str) \
            and stored.get(raw.get("event_id")) == canonical(raw):
        return StreamEvent(message.seq, raw["event_id"], raw["event_type"], raw)
    try:
        env = decode(message.data)
    except ContractError:
        return StreamEvent(message.seq, None, None, None)  # dead-lettered on arrival, never chained
    return StreamEvent(message.seq, env.event_id, env.event_type, json.loads(encode(env)))


async def verify_trail(ctx: Oversight, stream: EventStreamReader) -> dict:
    """The chain's own hashes, its checkpoints on the stream, and the stream's events.

    Read in this order so that nothing read later can be newer than the database snapshot it is
    compared with: what oversight acknowledged (committed before the ack), the checkpoints
    (emitted under the append lock), the chain, then the dead letters and the events (all of
    them; those after the acknowledged point count as pending, not missing)."""
    applied_up_to = await stream.applied_up_to()
    checkpoint_messages = await stream.checkpoints()
    async with ctx.unit_of_work() as uow:
        entries = await audit_log.entries(uow.session)
    dead_lettered = await stream.dead_lettered()
    event_messages = await stream.events()
    # Decoding and hashing tens of thousands of events is CPU work: keep the event loop free.
    return await asyncio.to_thread(_verdict, entries, checkpoint_messages, event_messages, applied_up_to,
                                   dead_lettered)


def _verdict(entries: list[Entry], checkpoint_messages, event_messages, applied_up_to: int,
             dead_lettered: set[int]) -> dict:
    chain_intact, first_bad, explanation = verify(entries)
    checkpoints = [c for c in map(_checkpoint, checkpoint_messages) if c is not None]
    findings: list[Finding] = check_checkpoints(entries, checkpoints)
    stored = {str(e.body.get("event_id")): canonical(e.body) for e in entries}
    comparison = compare_with_stream(entries, (_stream_event(m, stored) for m in event_messages),
                                     applied_up_to=applied_up_to, dead_lettered=dead_lettered,
                                     not_chained=NOT_CHAINED)
    findings += comparison.findings
    intact = chain_intact and not findings
    if chain_intact and findings:
        first_bad = min((f.seq for f in findings if f.seq is not None), default=None)
        shown = "; ".join(f.detail for f in findings[:3])
        explanation = f"{shown}{f' (and {len(findings) - 3} more)' if len(findings) > 3 else ''}"
    elif intact:
        explanation = (f"{len(entries)} entries intact; they agree with {len(checkpoints)} checkpoints and "
                       f"{comparison.compared} events of the stream")
    latest = max(checkpoints, key=lambda c: (c.last_seq, c.recorded_at), default=None)
    return {
        "intact": intact, "first_bad_seq": first_bad, "explanation": explanation, "entries": len(entries),
        "chain_intact": chain_intact,
        "checkpoints": len(checkpoints),
        "latest_checkpoint": None if latest is None else {
            "event_id": latest.event_id, "last_seq": latest.last_seq, "head_hash": latest.head_hash,
            "entries": latest.entries, "recorded_at": latest.recorded_at},
        "stream": {"compared": comparison.compared, "pending": comparison.pending,
                   "dead_lettered": comparison.dead_lettered, "applied_up_to": applied_up_to},
        "findings": [asdict(f) for f in findings[:SHOWN_FINDINGS]],
        "findings_total": len(findings),
    }
