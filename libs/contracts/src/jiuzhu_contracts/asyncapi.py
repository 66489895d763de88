"""The AsyncAPI document, generated from the contracts by FastStream.

    python -m jiuzhu_contracts.asyncapi > libs/contracts/asyncapi.json

A test regenerates it and fails when the committed file differs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from faststream.nats import NatsBroker
from faststream.specification import AsyncAPI

from jiuzhu_contracts.envelope import Envelope
from jiuzhu_contracts.events import ALL_EVENTS
from jiuzhu_contracts.producers import PRODUCERS, is_district_service
from jiuzhu_contracts.subjects import DEFAULT_PREFIX

COMMITTED = Path(__file__).resolve().parents[2] / "asyncapi.json"

DESCRIPTION = """Events of the jiuzhu social-assistance procedure (Urho District devolution plan, 2022).

Subjects: `jiuzhu.evt.{district}.{jurisdiction}.{event_type}` in stream `JIUZHU_EVENTS`
(file storage, kept without age limit so history can be replayed from the start).
Subscribe to one jurisdiction with `jiuzhu.evt.650205.650205001.>`, to one event type with
`jiuzhu.evt.*.*.case_approved`, to a whole district with `jiuzhu.evt.650205.>`.
Each message carries the header `Nats-Msg-Id` = `event_id`; consumers must be idempotent by it.
Dead letters: `jiuzhu.dlq.{district}.{consumer}` in stream `JIUZHU_DLQ`, header `Jz-Dead-Letter-Reason`.
Every message is signed by the service instance that produced it: header `Jz-Signer` (instance name,
e.g. `decision-650205001`) and `Jz-Signature` (Ed25519 over `jiuzhu-envelope-v1`, subject and body,
base64url). Consumers accept an event only from an instance of its producer (`x-producer`) for the
envelope's jurisdiction, with the public keys of the district's trust file; anything else is
dead-lettered with a reason starting `security:`. Producers publish only their own event types on
their own jurisdiction's subjects (NATS permissions generated from the same producer map).
Money is integer fen. ID numbers, phone numbers and accounts on these subjects are internal data."""


def build() -> dict:
    broker = NatsBroker()
    for cls in ALL_EVENTS:
        subject = f"{DEFAULT_PREFIX}.evt.{{district}}.{{jurisdiction}}.{cls.event_type}"
        doc = (cls.__doc__ or "").strip()
        broker.publisher(
            subject,
            title=f"{cls.event_type}.v{cls.version}",
            description=f"Published by `{cls.producer}` only (signed by one of its instances). {doc}",
            schema=Envelope[cls],  # type: ignore[valid-type]
        )
    spec = AsyncAPI(broker, title="jiuzhu events", version="1.0.0", description=DESCRIPTION)
    document = json.loads(spec.to_specification().to_json())
    for cls in ALL_EVENTS:  # the producer map, machine-readable for integrators
        channel = document["channels"][f"{cls.event_type}.v{cls.version}"]
        channel["x-producer"] = PRODUCERS[cls.event_type]
        channel["x-producer-scope"] = "district" if is_district_service(cls.producer) else "jurisdiction"
    return document


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    if "--write" in sys.argv:
        COMMITTED.write_text(render(), encoding="utf-8")
    else:
        sys.stdout.write(render())
