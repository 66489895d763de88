"""Signed envelopes: only the right service can say what happened.

Each service instance signs every event it emits (Ed25519, in the outbox transaction, so the
relay publishes exactly what was signed). Every consumer checks, before anything is applied:

1. the message carries a signer and a signature, and the signer is in the district's trust file;
2. the signature covers this subject and this body (``jiuzhu-envelope-v1``, subject, body) —
   both before the body is parsed at all;
3. the signer is an instance of the event type's producer (``jiuzhu_contracts.producers``);
4. a jurisdiction service signs only its own jurisdiction's events, a district service only its
   district's; the envelope's district is this district and the subject is the one the envelope's
   district, jurisdiction and event type give.

Anything else raises ``Forged`` with the reason; the consumer dead-letters it (reason starting
``security:``), changes nothing, and oversight raises it as a security alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jiuzhu_contracts import Envelope
from jiuzhu_contracts.producers import PRODUCERS
from jiuzhu_contracts.subjects import event_subject
from jiuzhu_runtime.trust import Trust, TrustedInstance, b64, unb64

SIGNER = "Jz-Signer"
SIGNATURE = "Jz-Signature"
DOMAIN = b"jiuzhu-envelope-v1\n"


class Forged(Exception):
    """The message is not an authentic event of its producer; dead-letter it as a security event."""


def signed_bytes(subject: str, body: bytes) -> bytes:
    return DOMAIN + subject.encode() + b"\n" + body


@dataclass(frozen=True)
class EnvelopeSigner:
    """The emitting instance's key; ``headers`` go into the outbox row with the body."""

    instance: str
    key: Ed25519PrivateKey

    def headers(self, subject: str, body: bytes) -> dict[str, str]:
        return {SIGNER: self.instance, SIGNATURE: b64(self.key.sign(signed_bytes(subject, body)))}


@dataclass(frozen=True)
class EnvelopeVerifier:
    trust: Trust
    prefix: str

    def authenticate(self, subject: str, headers: dict[str, str] | None, body: bytes) -> TrustedInstance:
        """Who signed these exact bytes for this subject — before anything reads them."""
        headers = headers or {}
        signer_name, signature = headers.get(SIGNER), headers.get(SIGNATURE)
        if not signer_name or not signature:
            raise Forged(f"unsigned message on {subject}: no {SIGNER}/{SIGNATURE}")
        signer = self.trust.instance(signer_name)
        if signer is None:
            raise Forged(f"unknown signer {signer_name!r}: not in the district's trust file")
        try:
            signer.signing_key.verify(unb64(signature), signed_bytes(subject, body))
        except (InvalidSignature, ValueError):
            raise Forged(f"bad signature: the message on {subject} is not signed by {signer_name}") from None
        return signer

    def authorise(self, signer: TrustedInstance, subject: str, env: Envelope[Any]) -> None:
        """May this signer say this event happened, here?"""
        producer = PRODUCERS.get(env.event_type)
        if signer.service != producer:
            raise Forged(f"{signer.name} ({signer.service}) may not produce {env.event_type}; "
                         f"only {producer} does")
        if env.district != self.trust.district:
            raise Forged(f"envelope of district {env.district} on district {self.trust.district}'s bus")
        if signer.jurisdiction is not None and env.jurisdiction != signer.jurisdiction:
            raise Forged(f"{signer.name} acts for jurisdiction {signer.jurisdiction}, not {env.jurisdiction}")
        expected = event_subject(env.district, env.jurisdiction, env.event_type, self.prefix)
        if subject != expected:
            raise Forged(f"subject {subject} does not match the envelope ({expected})")

    def check(self, subject: str, headers: dict[str, str] | None, body: bytes, env: Envelope[Any]) -> None:
        """Both steps, for a reader that has decoded the envelope already."""
        self.authorise(self.authenticate(subject, headers, body), subject, env)
