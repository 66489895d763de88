"""The one envelope every event travels in."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import AwareDatetime, Field
from ulid import ULID

from jiuzhu_contracts.base import Frozen, Role


def new_event_id() -> str:
    """Unique and sortable by creation time (ULID, 26 characters)."""
    return str(ULID())


class Actor(Frozen):
    """The person, or machine client, on whose act the event happened."""

    id: str
    role: Role
    name: str


SYSTEM_ACTOR = Actor(id="system", role=Role.SYSTEM, name="jiuzhu")


class Event(Frozen):
    """Base class of every payload. Subclasses set ``event_type`` and ``version``."""

    event_type: ClassVar[str]
    version: ClassVar[int] = 1
    # "case" events belong to one case; "district" events (rosters, spot checks …) and "jurisdiction"
    # events (a jurisdiction's close-relative register) carry no case id.
    scope: ClassVar[str] = "case"
    # Which service publishes it: documentation for integrators and the AsyncAPI document.
    producer: ClassVar[str]


E = TypeVar("E", bound=Event)


class Envelope(Frozen, Generic[E]):
    event_id: str = Field(description="ULID; unique, sortable, also the JetStream Nats-Msg-Id.")
    event_type: str
    event_version: int = Field(ge=1)
    case_id: str | None = Field(description="Case number; null for district-level events.")
    district: str = Field(description="District administrative code, e.g. 650205.")
    jurisdiction: str = Field(description="Jurisdiction code; the district code for district-wide events.")
    occurred_at: AwareDatetime
    actor: Actor
    correlation_id: str = Field(description="Id of the first event of the chain (usually the application).")
    causation_id: str | None = Field(description="Id of the event or request that caused this one.")
    payload: E

    @classmethod
    def wrap(
        cls,
        payload: Event,
        *,
        district: str,
        jurisdiction: str,
        actor: Actor,
        occurred_at: dt.datetime,
        case_id: str | None = None,
        caused_by: "Envelope[Any] | None" = None,
        event_id: str | None = None,
    ) -> "Envelope[Any]":
        eid = event_id or new_event_id()
        if payload.scope == "case" and not case_id:
            raise ValueError(f"{payload.event_type} is a case event and needs a case_id")
        return envelope_of(type(payload))(
            event_id=eid,
            event_type=payload.event_type,
            event_version=payload.version,
            case_id=case_id,
            district=district,
            jurisdiction=jurisdiction,
            occurred_at=occurred_at,
            actor=actor,
            correlation_id=caused_by.correlation_id if caused_by else eid,
            causation_id=caused_by.event_id if caused_by else None,
            payload=payload,
        )


# pydantic keeps ``Envelope[SomeEvent]`` in a weak cache: once no envelope of that type is alive,
# the class is collected and the next ``Envelope[SomeEvent]`` builds it again — a new model class,
# ~5 ms, where validating an envelope takes ~0.2 ms (issue 14's profile: a consumer rebuilt it for
# events that came a while apart). Held here for the life of the process: one per event type.
_ENVELOPES: dict[type, type] = {}


def envelope_of(event_class: type) -> type:
    """``Envelope[event_class]``, built once."""
    envelope = _ENVELOPES.get(event_class)
    if envelope is None:
        envelope = _ENVELOPES[event_class] = Envelope[event_class]  # type: ignore[valid-type]
    return envelope
