"""Contracts: the only definitions of what crosses a service boundary in jiuzhu.

Events are past tense, frozen, versioned. A change inside a version is additive only;
a breaking change is a new version plus an upcaster registered in ``registry``.
"""

from jiuzhu_contracts.envelope import Actor, Envelope, Event, new_event_id
from jiuzhu_contracts.registry import (
    EVENT_TYPES,
    ContractError,
    UnknownEventType,
    decode,
    encode,
    event_class,
)

__all__ = [
    "EVENT_TYPES",
    "Actor",
    "ContractError",
    "Envelope",
    "Event",
    "UnknownEventType",
    "decode",
    "encode",
    "event_class",
    "new_event_id",
]
