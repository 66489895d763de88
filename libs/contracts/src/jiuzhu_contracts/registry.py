"""Encoding, decoding and upcasting of envelopes.

``decode`` is the only way bytes from the bus become an event. Anything it cannot turn into a
known, valid event raises ``ContractError`` with a reason fit for a dead-letter record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from jiuzhu_contracts.envelope import Envelope, Event, envelope_of
from jiuzhu_contracts.events import ALL_EVENTS


class ContractError(ValueError):
    """The message is not a valid event of any contract we know; it must be dead-lettered."""


class UnknownEventType(ContractError):
    pass


class UnknownEventVersion(ContractError):
    pass


EVENT_TYPES: dict[str, type[Event]] = {cls.event_type: cls for cls in ALL_EVENTS}
if len(EVENT_TYPES) != len(ALL_EVENTS):  # pragma: no cover - guards against a copy-paste event type
    raise RuntimeError("two event classes share an event_type")

# (event_type, from_version) -> function turning a payload dict of that version into the next.
# Example for a future v2 of review_signed:  UPCASTERS[("review_signed", 1)] = lambda p: {**p, "x": None}
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def event_class(event_type: str) -> type[Event]:
    try:
        return EVENT_TYPES[event_type]
    except KeyError:
        raise UnknownEventType(f"unknown event_type {event_type!r}") from None


def encode(envelope: Envelope[Any]) -> bytes:
    return envelope.model_dump_json().encode()


def _upcast(event_type: str, version: int, payload: dict[str, Any], latest: int) -> dict[str, Any]:
    while version < latest:
        step = UPCASTERS.get((event_type, version))
        if step is None:
            raise UnknownEventVersion(f"{event_type} v{version} has no upcaster to v{version + 1}")
        payload = step(payload)
        version += 1
    return payload


def decode(data: bytes | str | dict[str, Any]) -> Envelope[Any]:
    if isinstance(data, dict):
        raw = data
    else:
        try:
            raw = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ContractError(f"malformed JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise ContractError("an envelope must be a JSON object")
    event_type, version = raw.get("event_type"), raw.get("event_version")
    if not isinstance(event_type, str) or not isinstance(version, int):
        raise ContractError("envelope needs a string event_type and an integer event_version")
    cls = event_class(event_type)
    if version > cls.version:
        raise UnknownEventVersion(f"{event_type} v{version} is newer than this service knows (v{cls.version})")
    if version < cls.version:
        raw = {**raw, "payload": _upcast(event_type, version, dict(raw.get("payload") or {}), cls.version),
               "event_version": cls.version}
    try:
        return envelope_of(cls).model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:10])
        raise ContractError(f"{event_type} v{version} failed validation: {problems}") from None
