"""The events a jurisdiction service reads from **every** jurisdiction of its district.

A jurisdiction's services consume only their own jurisdiction's subjects, and publish only there
(``producers``; ``envelope_signatures`` refuses an envelope signed for another jurisdiction). A
household moving from jurisdiction A to B is the one conversation between two jurisdictions: A
asks on its own subject, B answers on its own. So each decision instance has, besides its own
consumer, one durable consumer per event type below, filtered on that type in every jurisdiction
(``<prefix>.evt.<district>.*.<type>``), named ``<instance><suffix>``; its handlers keep what is
addressed to it and ignore the rest. The NATS permissions (``jiuzhu_devstack.nats_auth``) are
derived from this table, so a service can read no other jurisdiction's events than these.
"""

from __future__ import annotations

from jiuzhu_contracts.subjects import event_type_events

# service -> ((consumer name suffix, event type), …)
CROSS_JURISDICTION: dict[str, tuple[tuple[str, str], ...]] = {
    "decision": (("-transfers-in", "household_transfer_requested"),
                 ("-transfers-accepted", "household_transfer_accepted"),
                 ("-transfers-refused", "household_transfer_refused")),
}


def cross_jurisdiction_consumers(service: str, district: str, prefix: str) -> tuple[tuple[str, str, str], ...]:
    """(suffix, event type, filter subject) of each of ``service``'s cross-jurisdiction consumers."""
    return tuple((suffix, event_type, event_type_events(event_type, district, prefix))
                 for suffix, event_type in CROSS_JURISDICTION.get(service, ()))
