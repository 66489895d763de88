"""Subject names and streams: how an integrator subscribes to one jurisdiction, one event type,
or a whole district, and replays history from the start.

    <prefix>.evt.<district>.<jurisdiction>.<event_type>     every event (stream <PREFIX>_EVENTS)
    <prefix>.dlq.<district>.<consumer>                      dead letters (stream <PREFIX>_DLQ)

District-wide events (rosters, rectification orders, authority grants) use the district code in
the jurisdiction position. Examples, with the default prefix ``jiuzhu``:

    jiuzhu.evt.650205.650205001.>               everything of Liushujie sub-district
    jiuzhu.evt.*.*.case_approved                every approval, in every district
    jiuzhu.evt.650205.>                         everything in Urho district
"""

from __future__ import annotations

import re

DEFAULT_PREFIX = "jiuzhu"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")


def _token(value: str, what: str) -> str:
    if not _TOKEN.match(value):
        raise ValueError(f"{what} {value!r} is not a valid subject token (letters, digits, _ and - only)")
    return value


def events_stream(prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix.upper()}_EVENTS"


def dead_letter_stream(prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix.upper()}_DLQ"


def all_events(prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}.evt.>"


def all_dead_letters(prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}.dlq.>"


def event_subject(district: str, jurisdiction: str, event_type: str, prefix: str = DEFAULT_PREFIX) -> str:
    return ".".join(
        (prefix, "evt", _token(district, "district"), _token(jurisdiction, "jurisdiction"), _token(event_type, "event type"))
    )


def district_events(district: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}.evt.{_token(district, 'district')}.>"


def jurisdiction_events(district: str, jurisdiction: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}.evt.{_token(district, 'district')}.{_token(jurisdiction, 'jurisdiction')}.>"


def event_type_events(event_type: str, district: str = "*", prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}.evt.{district}.*.{_token(event_type, 'event type')}"


def dead_letter_subject(district: str, consumer: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}.dlq.{_token(district, 'district')}.{_token(consumer, 'consumer')}"
