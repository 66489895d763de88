"""A tamper-evident audit trail: each entry's hash covers the previous hash and the entry's
canonical body, so altering, removing or reordering any entry breaks every hash after it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chain_hash(previous: str, body: dict) -> str:
    return hashlib.sha256(previous.encode() + canonical(body)).hexdigest()


@dataclass(frozen=True)
class Entry:
    seq: int
    body: dict
    prev_hash: str
    hash: str


def verify(entries: list[Entry]) -> tuple[bool, int | None, str]:
    """(intact, first bad sequence number, explanation)."""
    previous = GENESIS
    for entry in entries:
        if entry.prev_hash != previous:
            return False, entry.seq, f"entry {entry.seq} does not follow the entry before it"
        if chain_hash(previous, entry.body) != entry.hash:
            return False, entry.seq, f"entry {entry.seq} was altered after it was written"
        previous = entry.hash
    return True, None, f"{len(entries)} entries intact"


# Oversight's own checkpoints (``audit_checkpoint_recorded``) describe the chain; appended to it they
# would vouch for themselves. They are consumed like every event and left out of the chain.
NOT_CHAINED = frozenset({"audit_checkpoint_recorded"})
