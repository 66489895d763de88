"""Every durable consumer of a district, named with its filter: what the operator provisions.

The operator creates the streams and, in the same step, every service instance's durable consumers
(``jiuzhu_runtime.streams.provision``: ``./jz provision``, ``./jz up``, the test harness, a
deployment's provisioning job). A service only binds to its own consumers by name and fetches and
acknowledges their messages; its NATS permissions (``jiuzhu_devstack.nats_auth``, derived from this
module) hold no right to create or change a consumer, so it cannot re-point one at another
jurisdiction's events.

Each service's main consumer takes exactly the event types its handlers handle (``HANDLED``; issue
14: a jurisdiction service took every event of its jurisdiction and acknowledged the ~34 of a
lifecycle it had no handler for). ``HANDLED`` is the one list of them: a service refuses to start if
its consumer does not take a type its handler map handles (``jiuzhu_runtime.pull_loop``), so a
handler added without its type here fails at once, in every service test. Oversight's partitions
take every subject of their jurisdiction (it witnesses everything, and dead-letters anything
malformed); the calendar and cross-jurisdiction consumers one type each.
"""

from __future__ import annotations

from dataclasses import dataclass

from jiuzhu_contracts.cross_jurisdiction import cross_jurisdiction_consumers
from jiuzhu_contracts.producers import DISTRICT_SERVICES, JURISDICTION_SERVICES, PRODUCERS

# service -> the event types its main consumer's handlers handle (its handler map's keys)
HANDLED: dict[str, tuple[str, ...]] = {
    "intake": (
        "application_accepted", "application_deemed_withdrawn", "application_withdrawn", "case_approved",
        "case_refused", "close_relative_flagged", "democratic_appraisal_held", "economic_check_reported",
        "economic_check_requested", "gradual_exit_started", "home_visit_recorded", "household_changed",
        "household_recorded", "household_transfer_accepted", "household_transfer_requested", "objection_raised",
        "publicity_closed", "publicity_opened", "recipient_migrated", "refusal_notice_issued",
        "reinvestigation_completed", "reinvestigation_opened", "review_signed", "support_changed", "support_ended",
        "support_notice_delivered", "temporary_assistance_paid"),
    "verification": (
        "application_accepted", "application_withdrawn", "case_approved", "case_refused", "close_relative_flagged",
        "household_changed", "petition_answered", "publicity_closed", "recipient_migrated", "support_ended"),
    "publicity": (
        "application_deemed_withdrawn", "application_withdrawn", "case_approved", "household_changed",
        "household_transfer_accepted", "recipient_migrated", "review_signed", "support_changed", "support_ended"),
    "decision": (
        "application_accepted", "application_deemed_withdrawn", "application_withdrawn", "case_approved",
        "close_relative_flagged", "gradual_exit_started", "home_visit_recorded", "objection_raised",
        "publicity_closed", "publicity_opened", "re_review_completed", "reinvestigation_completed", "review_signed",
        "support_changed", "support_ended"),
    "disbursement": (
        "case_approved", "gradual_exit_started", "household_changed", "household_transfer_accepted",
        "recipient_migrated", "support_changed", "support_ended"),
}

_unknown = {t for types in HANDLED.values() for t in types} - set(PRODUCERS)
if _unknown:  # pragma: no cover - guards against a typo
    raise RuntimeError(f"HANDLED names unknown event types {sorted(_unknown)}")

CALENDAR_EVENT = "holiday_calendar_published"  # jiuzhu_runtime.calendar_sync


@dataclass(frozen=True)
class DurableConsumer:
    """One durable pull consumer as the operator creates it. ``filter_subjects``: one subject (a
    wildcard) or the subjects of several event types. ``start_after``: when it is created, it begins
    after what this other consumer of the stream acknowledged, if that one exists (oversight's
    partitions after its one consumer of the whole district before issue 14)."""

    stream: str
    durable: str
    filter_subjects: tuple[str, ...]
    start_after: str | None = None


def instance_name(service: str, jurisdiction: str | None) -> str:
    return f"{service}-{jurisdiction}" if jurisdiction else service


def handled_events(event_types, district: str, jurisdiction: str = "*", prefix: str = "jiuzhu") -> tuple[str, ...]:
    """The subjects of exactly ``event_types`` in one jurisdiction (``*``: in every jurisdiction of the
    district), sorted."""
    return tuple(f"{prefix}.evt.{district}.{jurisdiction}.{t}" for t in sorted(set(event_types)))


def instance_consumers(service: str, jurisdiction: str | None, district: str, jurisdictions: list[str],
                       prefix: str) -> tuple[DurableConsumer, ...]:
    """Every durable consumer of one service instance. ``jurisdictions``: the district's (oversight
    has a partition for each, and one for the district's own events)."""
    events, dlq = f"{prefix.upper()}_EVENTS", f"{prefix.upper()}_DLQ"
    name = instance_name(service, jurisdiction)
    found: list[DurableConsumer] = []
    if service == "oversight":
        for chain in (*jurisdictions, district):  # jiuzhu_oversight.domain.partitions
            found.append(DurableConsumer(events, f"{name}-{chain}", (f"{prefix}.evt.{district}.{chain}.>",),
                                         start_after=name))
        found.append(DurableConsumer(dlq, f"{name}-dead-letters", (f"{prefix}.dlq.{district}.>",)))
    else:
        found.append(DurableConsumer(events, name, handled_events(HANDLED[service], district, jurisdiction or "*",
                                                                   prefix)))
    found.append(DurableConsumer(events, f"{name}-calendar",
                                 (f"{prefix}.evt.{district}.{district}.{CALENDAR_EVENT}",)))
    if jurisdiction:
        for suffix, _, filter_subject in cross_jurisdiction_consumers(service, district, prefix):
            found.append(DurableConsumer(events, f"{name}{suffix}", (filter_subject,)))
    return tuple(found)


def district_consumers(district: str, jurisdictions: list[str], prefix: str) -> tuple[DurableConsumer, ...]:
    """Every durable consumer of every service instance of a district."""
    found: list[DurableConsumer] = []
    for service in JURISDICTION_SERVICES:
        for jurisdiction in jurisdictions:
            found += instance_consumers(service, jurisdiction, district, jurisdictions, prefix)
    for service in DISTRICT_SERVICES:
        found += instance_consumers(service, None, district, jurisdictions, prefix)
    return tuple(found)


def covers(filter_subject: str, subject: str) -> bool:
    """Whether a consumer filtered on ``filter_subject`` is given every message of ``subject`` (itself
    perhaps with ``*`` wildcards): NATS matching, ``*`` one token, ``>`` the rest."""
    f, s = filter_subject.split("."), subject.split(".")
    for i, token in enumerate(f):
        if token == ">":
            return len(s) > i
        if i >= len(s) or (token != "*" and token != s[i]):
            return False
    return len(f) == len(s)
