"""Oversight is partitioned by jurisdiction (issue 14), so that the district's supervision is not one
queue: each jurisdiction's events are applied by a consumer of their own, in their own order, and
chained in an audit chain of their own; the district's own events (rosters, orders, grants,
calendars, alerts — the district code in the jurisdiction position) likewise, under the district code.

An event is on exactly one subject, so exactly one partition ever applies it, and no two partitions
wait for one another: nothing a jurisdiction's consumer does depends on another jurisdiction's events.
The one rule that looks across jurisdictions — a resident in open cases of two (issue 6) — takes a
lock per resident instead (adapters/beneficiary_index.py).

The chain of entries written before partitioning (every jurisdiction interleaved, one chain) is kept
as it is, unrehashed, as the beginning of the district's chain: the checkpoints published of it
then are checkpoints of the district's chain still, and rehashing would have made every one of them
a finding. Entries are found by event id, so its events are compared with the stream where they are.
"""

from __future__ import annotations

from collections.abc import Iterable


def chains(district: str, jurisdictions: Iterable[str]) -> tuple[str, ...]:
    """Every chain of the district, the jurisdictions' in the configuration's order, then the district's."""
    return (*jurisdictions, district)


def consumer_name(service: str, chain: str) -> str:
    """The durable consumer of one chain's events (also the subject of its dead letters)."""
    return f"{service}-{chain}"


def chain_of_subject(subject: str) -> str:
    """``<prefix>.evt.<district>.<jurisdiction>.<type>``: the partition a message of the stream belongs to."""
    parts = subject.split(".")
    return parts[-2] if len(parts) >= 2 else ""
