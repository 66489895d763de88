"""Who may say what happened: the one producer map.

Every event type has exactly one producing service (``Event.producer``). The NATS permissions
of each service instance, the signature check every consumer makes and the AsyncAPI document
are all derived from this map, so a service can neither publish nor sign an event it does not own.

Jurisdiction services run once per jurisdiction and publish only on their own jurisdiction's
subjects; district services run once per district and publish on any subject of their district.
"""

from __future__ import annotations

from jiuzhu_contracts.events import ALL_EVENTS

JURISDICTION_SERVICES = ("intake", "verification", "publicity", "decision")
DISTRICT_SERVICES = ("oversight", "disbursement")
SERVICES = JURISDICTION_SERVICES + DISTRICT_SERVICES

PRODUCERS: dict[str, str] = {cls.event_type: cls.producer for cls in ALL_EVENTS}

_unknown = {p for p in PRODUCERS.values()} - set(SERVICES)
if _unknown:  # pragma: no cover - guards against a typo in an event class
    raise RuntimeError(f"events name unknown producers {sorted(_unknown)}")


def producer_of(event_type: str) -> str:
    return PRODUCERS[event_type]


def produced_by(service: str) -> tuple[str, ...]:
    """The event types ``service`` publishes, in contract order."""
    return tuple(t for t, p in PRODUCERS.items() if p == service)


def is_district_service(service: str) -> bool:
    return service in DISTRICT_SERVICES
