"""The audit chains' checkpoints, and their verification against them and against the stream.

One chain per jurisdiction and one for the district's own events (domain/partitions.py); each is
checkpointed and verified on its own, and the verdict is the district's over all of them.

A checkpoint (``audit_checkpoint_recorded``) is a chain's head — last seq, its hash, the number of
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
from jiuzhu_oversight.domain import partitions
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


async def _record(ctx: Oversight, uow: UnitOfWork, chain: str, trigger: str, now: dt.datetime, actor: Actor) -> dict:
    """Emit the chain's head as it is once every append to it before has committed (its append lock),
    on the chain's own subject (the chain's jurisdiction: its consumer acknowledges it, unchained)."""
    await audit_log.lock(uow.session, chain)
    head = await audit_log.head(uow.session, chain)
    payload = AuditCheckpointRecorded(last_seq=head.last_seq, head_hash=head.head_hash, entries=head.entries,
                                      recorded_at=now, trigger=trigger)
    envelope = ctx.wrap(payload, actor=actor, jurisdiction=chain)
    await uow.emit(envelope)
    await audit_log.add_checkpoint(uow.session, chain, envelope.event_id, head, now, trigger)
    return {"chain": chain, "event_id": envelope.event_id, **asdict(head), "recorded_at": now, "trigger": trigger}


def chains(ctx: Oversight) -> tuple[str, ...]:
    return partitions.chains(ctx.district, (j.code for j in ctx.config.jurisdictions))


async def record_checkpoint(ctx: Oversight, actor: Actor) -> dict:
    """A checkpoint of every chain now, on an auditor's or the bureau's request. Answered, as before
    partitioning, with the district's totals — the entries of all chains, the newest entry and the
    checkpoint of the chain it is on — and each chain's checkpoint under ``chains``."""
    now = ctx.clock.now()
    made = []
    for chain in chains(ctx):  # one transaction per chain: each holds its own chain's lock only
        async with ctx.unit_of_work() as uow:
            made.append(await _record(ctx, uow, chain, "on_demand", now, actor))
    newest = max(made, key=lambda m: m["last_seq"])
    return {**newest, "entries": sum(m["entries"] for m in made), "chains": made}


async def checkpoint_if_due(ctx: Oversight, now: dt.datetime, policy: CheckpointPolicy) -> list[dict]:
    """The ticker's checkpoints, chain by chain. Each decided without the append lock (a stale look
    only delays it to the next tick); the head itself is read under the lock."""
    made = []
    for chain in chains(ctx):
        async with ctx.unit_of_work() as uow:
            trigger = checkpoint_due(await audit_log.head(uow.session, chain),
                                     await audit_log.last_checkpoint(uow.session, chain), now,
                                     every_entries=policy.every_entries, every=policy.every)
            if trigger is not None:
                made.append(await _record(ctx, uow, chain, trigger, now, SYSTEM_ACTOR))
    return made


def _checkpoint(message: StreamMessage) -> tuple[str, Checkpoint] | None:
    try:
        env = decode(message.data)
    except ContractError:
        return None
    if not isinstance(env.payload, AuditCheckpointRecorded):
        return None
    p = env.payload
    return env.jurisdiction, Checkpoint(p.last_seq, p.head_hash, p.entries, p.recorded_at, env.event_id)


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
    """Every chain: its own hashes, its checkpoints on the stream, and the stream's events.

    Read in this order so that nothing read later can be newer than the database snapshot it is
    compared with: what each consumer acknowledged (committed before the ack), the checkpoints
    (emitted under the append locks), the chains, then the dead letters and the events (all of
    them; those after a consumer's acknowledged point count as pending, not missing)."""
    names = chains(ctx)
    consumers = {chain: partitions.consumer_name(stream.consumer, chain) for chain in names}
    applied_up_to = {chain: await stream.applied_up_to(consumer) for chain, consumer in consumers.items()}
    checkpoint_messages = await stream.checkpoints()
    async with ctx.unit_of_work() as uow:
        entries = await audit_log.entries(uow.session)
    # the consumer before partitioning too: what it dead-lettered is on the stream before the partitions began
    dead_lettered = await stream.dead_lettered([*consumers.values(), stream.consumer])
    event_messages = await stream.events()
    # Decoding and hashing tens of thousands of events is CPU work: keep the event loop free.
    return await asyncio.to_thread(_verdict, names, entries, checkpoint_messages, event_messages, applied_up_to,
                                   dead_lettered)


def _verdict(names: tuple[str, ...], entries: dict[str, list[Entry]], checkpoint_messages, event_messages,
             applied_up_to: dict[str, int], dead_lettered: set[int]) -> dict:
    """Each chain on its own, then the district's verdict under the keys it had before partitioning
    (the console's audit page reads them) with each chain's under ``chains``."""
    checkpoints: dict[str, list[Checkpoint]] = {}
    for found in filter(None, map(_checkpoint, checkpoint_messages)):
        checkpoints.setdefault(found[0], []).append(found[1])
    stored = {str(e.body.get("event_id")): canonical(e.body) for chain in entries.values() for e in chain}
    chained_in = {str(e.body.get("event_id")): chain for chain, es in entries.items() for e in es}
    by_chain: dict[str, list[StreamEvent]] = {}
    for message in event_messages:
        event = _stream_event(message, stored)
        # An event is compared with the chain that holds it (those of before partitioning are on the
        # district's); one no chain holds, with the chain of its subject, where it should be.
        chain = chained_in.get(event.event_id or "") or partitions.chain_of_subject(message.subject)
        by_chain.setdefault(chain, []).append(event)
    unknown = sorted((set(entries) | set(checkpoints) | set(by_chain)) - set(names))
    reports = {chain: _chain_verdict(entries.get(chain, []), checkpoints.get(chain, []), by_chain.get(chain, []),
                                     applied_up_to.get(chain, 0), dead_lettered)
               for chain in (*names, *unknown)}
    return _combined(reports)


def _chain_verdict(entries: list[Entry], checkpoints: list[Checkpoint], stream: list[StreamEvent],
                   applied_up_to: int, dead_lettered: set[int]) -> dict:
    chain_intact, first_bad, explanation = verify(entries)
    findings: list[Finding] = check_checkpoints(entries, checkpoints)
    comparison = compare_with_stream(entries, stream, applied_up_to=applied_up_to, dead_lettered=dead_lettered,
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
        "findings": [asdict(f) for f in findings],
    }


def _combined(reports: dict[str, dict]) -> dict:
    """Intact if every chain is; the first bad entry the lowest of any chain's; the findings of all
    chains (each says its chain); the latest checkpoint of any chain."""
    bad = {chain: r for chain, r in reports.items() if not r["intact"]}
    findings = [{**f, "chain": chain} for chain, r in reports.items() for f in r["findings"]]
    latest = max((r["latest_checkpoint"] for r in reports.values() if r["latest_checkpoint"]),
                 key=lambda c: (c["recorded_at"], c["last_seq"]), default=None)
    entries = sum(r["entries"] for r in reports.values())
    if bad:
        explanation = "; ".join(f"chain {chain}: {r['explanation']}" for chain, r in bad.items())
    else:
        explanation = (f"{entries} entries in {len(reports)} chains intact; they agree with "
                       f"{sum(r['checkpoints'] for r in reports.values())} checkpoints and "
                       f"{sum(r['stream']['compared'] for r in reports.values())} events of the stream")
    return {
        "intact": not bad,
        "first_bad_seq": min((r["first_bad_seq"] for r in bad.values() if r["first_bad_seq"] is not None),
                             default=None),
        "explanation": explanation, "entries": entries,
        "chain_intact": all(r["chain_intact"] for r in reports.values()),
        "checkpoints": sum(r["checkpoints"] for r in reports.values()),
        "latest_checkpoint": latest,
        "stream": {key: sum(r["stream"][key] for r in reports.values())
                   for key in ("compared", "pending", "dead_lettered")}
                  | {"applied_up_to": min((r["stream"]["applied_up_to"] for r in reports.values()), default=0)},
        "findings": findings[:SHOWN_FINDINGS],
        "findings_total": len(findings),
        "chains": {chain: {**{k: v for k, v in r.items() if k != "findings"},
                           "findings": r["findings"][:SHOWN_FINDINGS], "findings_total": len(r["findings"])}
                   for chain, r in reports.items()},
    }
