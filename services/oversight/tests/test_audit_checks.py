"""The checks the hash chain cannot make alone: against checkpoints and against the stream."""

import datetime as dt

from jiuzhu_oversight.domain.audit_chain import GENESIS, Entry, chain_hash, verify
from jiuzhu_oversight.domain.audit_checks import (
    EMPTY,
    Checkpoint,
    Head,
    StreamEvent,
    check_checkpoints,
    checkpoint_due,
    compare_with_stream,
    head_of,
)

T0 = dt.datetime(2022, 3, 1, 9, tzinfo=dt.UTC)
CHECKPOINT = frozenset({"audit_checkpoint_recorded"})


def body(i: int, actor: str = "刘窗口") -> dict:
    return {"event_id": f"E{i:03d}", "event_type": "application_accepted", "actor": {"name": actor}}


def chain(bodies: list[dict], first_seq: int = 1) -> list[Entry]:
    """A chain as append_audit writes it; seqs may have gaps (a rolled-back batch uses some up)."""
    out, previous = [], GENESIS
    for offset, b in enumerate(bodies):
        h = chain_hash(previous, b)
        out.append(Entry(first_seq + 2 * offset, b, previous, h))
        previous = h
    return out


def checkpoint_of(entries: list[Entry], at: dt.datetime = T0) -> Checkpoint:
    head = head_of(entries)
    return Checkpoint(head.last_seq, head.head_hash, head.entries, at, event_id="CP")


def stream_of(bodies: list[dict]) -> list[StreamEvent]:
    return [StreamEvent(10 + i, b["event_id"], b["event_type"], b) for i, b in enumerate(bodies)]


def compare(entries, stream, applied_up_to=10_000, dead=frozenset()):
    return compare_with_stream(entries, stream, applied_up_to=applied_up_to, dead_lettered=set(dead),
                               not_chained=CHECKPOINT)


def test_an_untouched_chain_matches_its_checkpoints_and_the_stream():
    bodies = [body(i) for i in range(30)]
    entries = chain(bodies)
    checkpoints = [checkpoint_of(entries[:10]), checkpoint_of(entries[:25]), checkpoint_of(entries)]
    assert check_checkpoints(entries, checkpoints) == []
    result = compare(entries, stream_of(bodies))
    assert result.findings == [] and result.compared == 30


def test_a_truncated_chain_still_verifies_but_not_against_its_checkpoint():
    entries = chain([body(i) for i in range(30)])
    checkpoint = checkpoint_of(entries)
    cut = entries[:-10]
    assert verify(cut)[0] is True  # what the attacker showed
    [finding] = check_checkpoints(cut, [checkpoint])
    assert finding.kind == "truncated" and "20 entries" in finding.detail and "30 entries" in finding.detail


def test_an_entry_edited_and_rehashed_differs_from_the_checkpoint_after_it():
    bodies = [body(i) for i in range(30)]
    entries = chain(bodies)
    checkpoint = checkpoint_of(entries)
    forged = chain(bodies[:12] + [body(12, actor="别人")] + bodies[13:])
    assert verify(forged)[0] is True
    [finding] = check_checkpoints(forged, [checkpoint])
    assert finding.kind == "rewritten" and finding.seq == checkpoint.last_seq
    assert check_checkpoints(forged, [checkpoint_of(entries[:12])]) == []  # before the edit: unchanged


def test_a_deleted_middle_entry_changes_the_count_even_where_the_hash_is_kept():
    entries = chain([body(i) for i in range(10)])
    checkpoint = checkpoint_of(entries)
    # The attacker keeps the last entry's hash as it was (a hash they cannot forge otherwise would
    # not match) but removes one before it: the count no longer agrees.
    fewer = entries[:3] + entries[4:]
    assert [f.kind for f in check_checkpoints(fewer, [checkpoint])] == ["count_mismatch"]
    gone = entries[:5] + entries[6:]
    checkpoint5 = checkpoint_of(entries[:6])
    assert [f.kind for f in check_checkpoints(gone, [checkpoint5])] == ["rewritten"]  # its entry is gone


def test_checkpoint_of_the_empty_chain_and_no_checkpoints_say_nothing():
    assert check_checkpoints([], [Checkpoint(0, GENESIS, 0, T0)]) == []
    assert check_checkpoints(chain([body(1)]), []) == []


def test_an_event_missing_from_the_chain_is_found_on_the_stream():
    bodies = [body(i) for i in range(5)]
    entries = chain(bodies[:4])  # the last one deleted: the chain itself is still valid
    result = compare(entries, stream_of(bodies))
    [finding] = result.findings
    assert finding.kind == "missing" and finding.event_id == "E004"


def test_an_event_not_yet_applied_or_dead_lettered_is_not_missing():
    bodies = [body(i) for i in range(5)]
    stream = stream_of(bodies)
    result = compare(chain(bodies[:3]), stream, applied_up_to=stream[2].stream_seq + 1,
                     dead={stream[3].stream_seq})
    assert (result.findings, result.dead_lettered, result.pending) == ([], 1, 1)


def test_a_rewritten_body_differs_from_the_stream_even_after_the_last_checkpoint():
    bodies = [body(i) for i in range(5)]
    forged = chain(bodies[:4] + [body(4, actor="别人")])
    [finding] = compare(forged, stream_of(bodies)).findings
    assert finding.kind == "differs" and finding.seq == forged[4].seq


def test_key_order_does_not_matter_but_the_content_does():
    b = body(1)
    reordered = dict(reversed(list(b.items())))
    assert compare(chain([reordered]), stream_of([b])).findings == []


def test_an_entry_from_nowhere_and_a_repeated_event_are_found():
    bodies = [body(i) for i in range(3)]
    result = compare(chain(bodies + [body(99), bodies[0]]), stream_of(bodies))
    assert sorted((f.kind, f.event_id) for f in result.findings) == [("not_on_stream", "E000"),
                                                                      ("not_on_stream", "E099")]


def test_checkpoints_and_unreadable_messages_on_the_stream_are_not_chain_events():
    stream = [StreamEvent(1, "CP1", "audit_checkpoint_recorded", {"event_id": "CP1"}),
              StreamEvent(2, None, None, None)]
    assert compare([], stream).findings == []


def test_checkpoint_due_after_enough_entries_or_after_a_period_if_the_chain_moved():
    hour = dt.timedelta(hours=1)
    due = lambda head, last, now: checkpoint_due(head, last, now, every_entries=100, every=hour)  # noqa: E731
    assert due(EMPTY, None, T0) is None
    assert due(Head(3, "h", 1), None, T0) == "entries"
    last = Checkpoint(50, "h", 40, T0)
    assert due(Head(60, "i", 139), last, T0) is None
    assert due(Head(160, "i", 140), last, T0) == "entries"
    assert due(Head(60, "i", 41), last, T0 + hour) == "period"
    assert due(Head(50, "h", 40), last, T0 + 10 * hour) is None  # a quiet chain is not checkpointed again
