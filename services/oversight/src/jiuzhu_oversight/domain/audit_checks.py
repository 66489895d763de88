"""What the hash chain alone cannot show. A chain whose tail was deleted, or whose entry was edited
and every later hash recomputed, is still a valid chain. Two witnesses outside oversight's database
catch it: the checkpoints of the chain's head that oversight put on the append-only events stream,
and the stream's events themselves, each of which oversight appended with its body as it was.

Plain functions over plain values; reading the stream and the database is the callers' business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from jiuzhu_oversight.domain.audit_chain import GENESIS, Entry, canonical


@dataclass(frozen=True)
class Head:
    """The chain's last entry and how many entries it has."""

    last_seq: int
    head_hash: str
    entries: int


EMPTY = Head(0, GENESIS, 0)


@dataclass(frozen=True)
class Checkpoint:
    last_seq: int
    head_hash: str
    entries: int
    recorded_at: dt.datetime
    event_id: str = ""


@dataclass(frozen=True)
class StreamEvent:
    """One message of the district's events stream: its stream sequence and, if it is an event at
    all, its id, type and body in the form oversight stores (``None`` for a message no contract reads)."""

    stream_seq: int
    event_id: str | None
    event_type: str | None
    body: dict | None


@dataclass(frozen=True)
class Finding:
    kind: str  # truncated | rewritten | count_mismatch | missing | differs | not_on_stream
    detail: str
    seq: int | None = None  # the audit entry concerned, where there is one
    event_id: str | None = None


@dataclass
class StreamComparison:
    compared: int = 0
    pending: int = 0  # beyond what oversight has acknowledged: not applied yet, not missing
    dead_lettered: int = 0  # oversight dead-lettered them: never applied, recorded with the reason
    findings: list[Finding] = field(default_factory=list)


def head_of(entries: list[Entry]) -> Head:
    if not entries:
        return EMPTY
    return Head(entries[-1].seq, entries[-1].hash, len(entries))


def checkpoint_due(head: Head, last: Checkpoint | None, now: dt.datetime, *, every_entries: int,
                   every: dt.timedelta) -> str | None:
    """Why a periodic checkpoint is due now, or None. The first as soon as the chain has an entry;
    then after ``every_entries`` new entries, and once ``every`` has passed since the last
    checkpoint if the chain moved at all: a quiet chain is not checkpointed again and again, a busy
    one never goes long without one."""
    if head.entries == 0:
        return None
    if last is None or head.entries - last.entries >= every_entries:
        return "entries"
    if head.last_seq != last.last_seq and now - last.recorded_at >= every:
        return "period"
    return None


def check_checkpoints(entries: list[Entry], checkpoints: Iterable[Checkpoint]) -> list[Finding]:
    """Every checkpoint must still describe the chain: its entry present with the same hash and
    the same number of entries up to it. The chain being shorter than the latest checkpoint is
    reported once, as truncation."""
    checkpoints = sorted(checkpoints, key=lambda c: (c.last_seq, c.entries))
    if not checkpoints:
        return []
    by_seq = {e.seq: (i, e) for i, e in enumerate(entries)}
    head = head_of(entries)
    findings: list[Finding] = []
    latest = checkpoints[-1]
    if latest.last_seq > head.last_seq:
        findings.append(Finding(
            "truncated", f"the chain ends at seq {head.last_seq} with {head.entries} entries; the checkpoint of "
                         f"{latest.recorded_at.isoformat()} recorded {latest.entries} entries up to seq "
                         f"{latest.last_seq}", seq=head.last_seq + 1,
            event_id=latest.event_id or None))
    for cp in checkpoints:
        if cp.last_seq > head.last_seq:
            continue  # beyond the end: reported above as truncation
        if cp.last_seq == 0:
            continue  # a checkpoint of the empty chain says nothing about an entry
        found = by_seq.get(cp.last_seq)
        if found is None:
            findings.append(Finding("rewritten", f"entry {cp.last_seq}, checkpointed at "
                                                 f"{cp.recorded_at.isoformat()}, is gone", seq=cp.last_seq,
                                    event_id=cp.event_id or None))
            continue
        index, entry = found
        if entry.hash != cp.head_hash:
            findings.append(Finding("rewritten", f"entry {cp.last_seq} hashes to {entry.hash[:12]}…; the checkpoint "
                                                 f"of {cp.recorded_at.isoformat()} recorded {cp.head_hash[:12]}…",
                                    seq=cp.last_seq, event_id=cp.event_id or None))
        elif index + 1 != cp.entries:
            findings.append(Finding("count_mismatch", f"{index + 1} entries up to seq {cp.last_seq}; the checkpoint "
                                                      f"of {cp.recorded_at.isoformat()} recorded {cp.entries}",
                                    seq=cp.last_seq, event_id=cp.event_id or None))
    return findings


def compare_with_stream(entries: list[Entry], stream: Iterable[StreamEvent], *, applied_up_to: int,
                        dead_lettered: set[int], not_chained: frozenset[str]) -> StreamComparison:
    """Every event of the stream that oversight acknowledged (stream seq ≤ ``applied_up_to``) must be
    in the chain with the body it has on the stream, unless oversight dead-lettered it; and every
    entry of the chain must come from a message on the stream (an entry is found by the event id
    in its body: editing that id shows as one event missing and one entry from nowhere).

    ``not_chained``: event types oversight does not append (its own checkpoints). Messages no
    contract reads (``body`` None) were dead-lettered on arrival."""
    result = StreamComparison()
    chained: dict[str, Entry] = {}
    for entry in entries:
        event_id = str(entry.body.get("event_id"))
        if event_id in chained:
            result.findings.append(Finding("not_on_stream", f"entry {entry.seq} repeats event {event_id} of entry "
                                                            f"{chained[event_id].seq}", seq=entry.seq,
                                           event_id=event_id))
        else:
            chained[event_id] = entry
    seen: set[str] = set()
    for message in stream:
        if message.body is None or message.event_type in not_chained:
            continue
        if message.stream_seq in dead_lettered:
            result.dead_lettered += 1
            continue
        entry = chained.get(message.event_id or "")
        if entry is None:
            if message.stream_seq > applied_up_to:
                result.pending += 1
            else:
                result.findings.append(Finding(
                    "missing", f"{message.event_type} {message.event_id} (stream seq {message.stream_seq}) was "
                               "applied by oversight but is not in the chain", event_id=message.event_id))
            continue
        if message.event_id in seen:
            continue  # published twice: the second was dead-lettered as a duplicate (or is pending)
        seen.add(message.event_id)
        result.compared += 1
        if canonical(entry.body) != canonical(message.body):
            result.findings.append(Finding(
                "differs", f"entry {entry.seq} ({message.event_type} {message.event_id}) differs from the event on "
                           f"the stream (seq {message.stream_seq})", seq=entry.seq, event_id=message.event_id))
    for event_id, entry in chained.items():
        if event_id not in seen:
            result.findings.append(Finding("not_on_stream", f"entry {entry.seq} ({event_id}) matches no event on "
                                                            "the stream", seq=entry.seq, event_id=event_id))
    return result
