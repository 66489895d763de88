"""The district's trust file: which service instances exist and their public keys.

Generated with the rest of the district's credentials (``./jz credentials``, or by ``./jz up`` and
the test harness) from the district configuration. It holds public keys only and is given to every
service (``JZ_TRUST_FILE``); each instance also gets its own two secrets, never anyone else's:

* its NATS NKey seed (``JZ_NATS_NKEY_FILE``): who it is to the NATS server, which grants it
  permissions (publish only its own event types on its own subjects);
* its envelope signing key (``JZ_SIGNING_KEY_FILE``): Ed25519, signs every event it emits.

Two keys, not one: a NATS client signs whatever nonce the server sends, so a key that also signed
envelopes could be made to sign a forged envelope by a rogue or impersonated server.

    {"district": "650205", "instances": {"decision-650205001": {"service": "decision",
      "jurisdiction": "650205001", "signing_key": "<base64url Ed25519 public key>",
      "nats_user": "U…"}, …}}
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_text(private: Ed25519PrivateKey) -> str:
    return b64(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def load_signing_key(path: Path | str) -> Ed25519PrivateKey:
    """A signing key file holds the 32-byte Ed25519 seed, base64url, on one line."""
    return Ed25519PrivateKey.from_private_bytes(unb64(Path(path).read_text().strip()))


@dataclass(frozen=True)
class TrustedInstance:
    name: str
    service: str
    jurisdiction: str | None  # None: a district service
    signing_key: Ed25519PublicKey
    nats_user: str


@dataclass(frozen=True)
class Trust:
    district: str
    instances: dict[str, TrustedInstance]

    def instance(self, name: str) -> TrustedInstance | None:
        return self.instances.get(name)

    @classmethod
    def from_dict(cls, data: dict) -> "Trust":
        instances = {
            name: TrustedInstance(name=name, service=i["service"], jurisdiction=i.get("jurisdiction"),
                                  signing_key=Ed25519PublicKey.from_public_bytes(unb64(i["signing_key"])),
                                  nats_user=i.get("nats_user", ""))
            for name, i in data["instances"].items()
        }
        return cls(district=str(data["district"]), instances=instances)


def load_trust(path: Path | str) -> Trust:
    return Trust.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
