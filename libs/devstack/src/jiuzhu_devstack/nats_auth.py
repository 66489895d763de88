"""NATS users and permissions, generated from the district configuration and the producer map.

Every service instance is a NATS user (an NKey) that may
* publish only the event types its service produces (``jiuzhu_contracts.producers``), only on its
  own jurisdiction's subjects (district services: any subject of their district), and its own
  dead letters;
* fetch from, read the information of and acknowledge the messages of only its own durable
  consumers (``jiuzhu_contracts.consumers``: its main consumer on the event types its handlers
  handle, its calendar consumer, a decision instance's cross-jurisdiction consumers, oversight's
  partitions and dead-letter recorder), which the operator provisions: it may **not create or change
  any consumer** (so not re-point its own at another jurisdiction's events); read the stream
  information it needs;
* receive replies only on its own inbox prefix (``_INBOX_<instance>``), so it cannot read
  another client's replies.

``operator`` administers streams (creates them, with ``deny_delete`` / ``deny_purge``) and the
business clock; ``integrator`` reads events and creates its own consumers, and publishes nothing
else; ``check-centre`` reads the economic-check requests of its district. Nobody else connects: the
server has no ``no_auth_user``, so an unauthenticated connection is refused.
"""

from __future__ import annotations

import json

from jiuzhu_contracts.consumers import instance_consumers
from jiuzhu_contracts.producers import produced_by
from jiuzhu_contracts.subjects import events_stream
from jiuzhu_kernel.district_config import DistrictConfig


def inbox_prefix(user: str) -> str:
    return f"_INBOX_{user}"


def _names(prefix: str) -> tuple[str, str, str, str]:
    """(events stream, dead-letter stream, clock stream, clock key subject prefix)."""
    if prefix == "*":
        return "*", "*", "*", "$KV.*"
    return f"{prefix.upper()}_EVENTS", f"{prefix.upper()}_DLQ", f"KV_{prefix}_clock", f"$KV.{prefix}_clock"


def readers(name: str, district: str, prefix: str) -> list[tuple[str, str, str]]:
    """Oversight's stream readers, each with a fixed name and filter: (stream, reader, filter).
    Fixed names, not ephemeral ones: a right to create "any" consumer is a right to redefine every
    other service's consumer (same name, other filter). ``adapters/stream_reader.py`` uses these:
    every chain's checkpoints (each on its chain's subject), and the district's dead letters (which
    its dead-letter recorder reads already), of which it keeps its own consumers'."""
    events, dlq, _, _ = _names(prefix)
    return [(events, f"{name}-read-events", f"{prefix}.evt.{district}.>"),
            (events, f"{name}-read-checkpoints", f"{prefix}.evt.{district}.*.audit_checkpoint_recorded"),
            (dlq, f"{name}-read-dead-letters", f"{prefix}.dlq.{district}.>")]


def _reader(stream: str, name: str, filter_subject: str) -> list[str]:
    """An unacknowledged reader it creates, reads and deletes again; nothing else of anyone's."""
    return [f"$JS.API.CONSUMER.CREATE.{stream}.{name}.{filter_subject}",
            f"$JS.API.CONSUMER.DELETE.{stream}.{name}",
            f"$JS.API.CONSUMER.INFO.{stream}.{name}",
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{name}"]


def _bound(stream: str, name: str) -> list[str]:
    """JetStream API subjects for one durable pull consumer the operator provisioned: its information,
    fetching, acknowledging; no create (``$JS.API.CONSUMER.CREATE`` / ``DURABLE.CREATE``), so the
    holder can neither make it nor change its filter."""
    return [f"$JS.API.CONSUMER.INFO.{stream}.{name}",
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{name}",
            f"$JS.ACK.{stream}.{name}.>"]


def _durable(stream: str, name: str, filter_subject: str) -> list[str]:
    """JetStream API subjects for one durable pull consumer with a fixed filter, which its holder
    creates (a client outside the district's services: the integrator, the check centre)."""
    return [f"$JS.API.CONSUMER.CREATE.{stream}.{name}.{filter_subject}",
            f"$JS.API.CONSUMER.INFO.{stream}.{name}",
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{name}",
            f"$JS.ACK.{stream}.{name}.>"]


def _clock_watch(district: str, prefix: str) -> list[str]:
    _, _, kv_stream, _ = _names(prefix)
    return [f"$JS.API.STREAM.INFO.{kv_stream}",
            f"$JS.API.CONSUMER.CREATE.{kv_stream}",  # the watch's ephemeral ordered consumer
            f"$JS.API.CONSUMER.DELETE.{kv_stream}.*", f"$JS.API.CONSUMER.INFO.{kv_stream}.*",
            "$JS.FC.>"]


def instance_permissions(name: str, service: str, jurisdiction: str | None, district: str,
                         prefix: str, jurisdictions: list[str] | None = None) -> dict:
    """``jurisdictions``: the district's (oversight has a consumer for each)."""
    events, dlq, _, _ = _names(prefix)
    where = jurisdiction or "*"
    publish = [f"{prefix}.evt.{district}.{where}.{t}" for t in produced_by(service)]
    publish += ["$JS.API.INFO", f"$JS.API.STREAM.INFO.{events}", f"$JS.API.STREAM.INFO.{dlq}"]
    for c in instance_consumers(service, jurisdiction, district, jurisdictions or [], prefix):
        publish += _bound(events if c.stream == events_stream(prefix) else dlq, c.durable)
        if c.stream == events_stream(prefix):  # its dead letters: the subject names the consumer
            publish += [f"{prefix}.dlq.{district}.{c.durable}"]
    publish += _clock_watch(district, prefix)
    if service == "oversight":
        # reading the stream back to verify the audit chain: short-lived readers of fixed names and
        # filters, created and deleted again (``readers``)
        for stream, reader, filter_subject in readers(name, district, prefix):
            publish += _reader(stream, reader, filter_subject)
    return {"publish": {"allow": publish}, "subscribe": {"allow": [f"{inbox_prefix(name)}.>"]}}


def user_permissions(user: str, district: str, prefix: str) -> dict | None:
    events, dlq, _, _ = _names(prefix)
    if user == "operator":
        return None  # everything: stream administration, the business clock, tests
    if user == "integrator":
        # Read-only: messages by sequence, a live core subscription, and one durable consumer of its
        # own named "integrator" (any filter within the district). Nothing that touches a service's
        # consumer: creating "any" consumer would let it redefine or drain theirs.
        return {"publish": {"allow": ["$JS.API.INFO", f"$JS.API.STREAM.INFO.{events}",
                                      f"$JS.API.STREAM.MSG.GET.{events}", f"$JS.API.DIRECT.GET.{events}",
                                      f"$JS.API.DIRECT.GET.{events}.>",
                                      *_durable(events, "integrator", f"{prefix}.evt.{district}.>"),
                                      f"$JS.API.CONSUMER.DELETE.{events}.integrator"]},
                "subscribe": {"allow": [f"{inbox_prefix(user)}.>", f"{prefix}.evt.{district}.>"]}}
    if user == "check-centre":
        durable = f"check-centre-{district}"
        return {"publish": {"allow": ["$JS.API.INFO", f"$JS.API.STREAM.INFO.{events}",
                                      f"{prefix}.dlq.{district}.{durable}",
                                      *_durable(events, durable, f"{prefix}.evt.{district}.*.economic_check_requested")]},
                "subscribe": {"allow": [f"{inbox_prefix(user)}.>"]}}
    raise ValueError(f"unknown NATS user {user}")


def render_auth(config: DistrictConfig, instances: dict[str, dict], users: dict[str, str], prefix: str) -> str:
    """The ``authorization`` block for nats.conf (JSON is valid NATS configuration syntax)."""
    district = config.district.code
    entries = []
    for name, i in instances.items():
        entries.append({"nkey": i["nats_user"],
                        "permissions": instance_permissions(name, i["service"], i["jurisdiction"], district, prefix,
                                                            [j.code for j in config.jurisdictions])})
    for user, public in users.items():
        permissions = user_permissions(user, district, prefix)
        entries.append({"nkey": public, **({"permissions": permissions} if permissions else {})})
    header = (f"# GENERATED from the district configuration ({district}) and the producer map; do not edit.\n"
              "# Included by nats.conf. Users are NKeys; an unauthenticated connection is refused.\n")
    return header + "authorization " + json.dumps({"users": entries}, indent=2) + "\n"
