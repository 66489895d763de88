"""The district's credentials, generated from its configuration: one directory an operator keeps.

    <dir>/trust.json                       public: every instance's signing key and NATS user (JZ_TRUST_FILE)
    <dir>/nats-auth.conf                   public: NATS users and permissions (included by nats.conf)
    <dir>/instances/<instance>/nats.nk     secret: the instance's NATS NKey seed   (JZ_NATS_NKEY_FILE)
    <dir>/instances/<instance>/signing.key secret: its Ed25519 envelope key       (JZ_SIGNING_KEY_FILE)
    <dir>/users/<user>.nk                  secret: operator, integrator, check-centre NKey seeds
    <dir>/token-issuer.key / .pub          the development identity provider's EdDSA key pair
                                           (services get only the .pub: JZ_JWT_PUBLIC_KEY_FILE)

``ensure`` keeps what exists (restarts keep their keys; ``./jz token`` matches ``./jz up``) and adds
what is missing; secrets are written 0600. In production each instance is given only its own two
secrets (Kubernetes / compose secrets), every instance the trust file, NATS the auth file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import nkeys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from jiuzhu_contracts.producers import DISTRICT_SERVICES, JURISDICTION_SERVICES
from jiuzhu_runtime.auth import TokenIssuer
from jiuzhu_kernel.district_config import DistrictConfig
from jiuzhu_runtime.envelope_signatures import EnvelopeSigner, EnvelopeVerifier
from jiuzhu_runtime.trust import b64, load_signing_key, load_trust, public_key_text

USERS = ("operator", "integrator", "check-centre")


def instance_name(service: str, jurisdiction: str | None) -> str:
    """The same name a service gives itself (``ServiceSettings.service_name``)."""
    return f"{service}-{jurisdiction}" if jurisdiction else service


def instances_of(config: DistrictConfig) -> list[tuple[str, str | None]]:
    return [(s, None) for s in DISTRICT_SERVICES] + [(s, j.code) for j in config.jurisdictions
                                                     for s in JURISDICTION_SERVICES]


def _write_secret(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text + "\n")


def _nkey_seed(path: Path) -> str:
    if not path.exists():
        _write_secret(path, nkeys.encode_seed(os.urandom(32), nkeys.PREFIX_BYTE_USER).decode())
    return path.read_text().strip()


def nkey_public(seed: str) -> str:
    return nkeys.from_seed(bytearray(seed.encode())).public_key.decode()


def _signing_key(path: Path) -> str:
    if not path.exists():
        raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        _write_secret(path, b64(raw))
    return public_key_text(load_signing_key(path))


@dataclass(frozen=True)
class Credentials:
    root: Path
    district: str

    # --- files a service instance is given ----------------------------------------------------
    @property
    def trust_file(self) -> Path:
        return self.root / "trust.json"

    @property
    def nats_auth_file(self) -> Path:
        return self.root / "nats-auth.conf"

    @property
    def token_public_key_file(self) -> Path:
        return self.root / "token-issuer.pub"

    def nats_seed_file(self, instance: str) -> Path:
        return self.root / "instances" / instance / "nats.nk"

    def signing_key_file(self, instance: str) -> Path:
        return self.root / "instances" / instance / "signing.key"

    def database_password(self, instance: str) -> str:
        """The password of the instance's own database role (generated once, 0600)."""
        path = self.root / "instances" / instance / "database-password"
        if not path.exists():
            import secrets

            _write_secret(path, secrets.token_urlsafe(24))
        return path.read_text().strip()

    def user_seed_file(self, user: str) -> Path:
        return self.root / "users" / f"{user}.nk"

    def service_env(self, instance: str) -> dict[str, str]:
        """The settings that give ``instance`` its identity (and nothing of anyone else's)."""
        return {"JZ_TRUST_FILE": str(self.trust_file),
                "JZ_NATS_NKEY_FILE": str(self.nats_seed_file(instance)),
                "JZ_SIGNING_KEY_FILE": str(self.signing_key_file(instance)),
                "JZ_JWT_PUBLIC_KEY_FILE": str(self.token_public_key_file)}

    # --- what tools and tests use ---------------------------------------------------------------
    @property
    def console_session_secret_file(self) -> Path:
        return self.root / "console-session.secret"

    def console_env(self) -> dict[str, str]:
        """The staff console's: its session secret, the identity provider's public key, and — for the
        development sign-in only — the development identity provider's private key."""
        return {"JZ_SESSION_SECRET_FILE": str(self.console_session_secret_file),
                "JZ_JWT_PUBLIC_KEY_FILE": str(self.token_public_key_file),
                "JZ_DEV_ISSUER_KEY_FILE": str(self.root / "token-issuer.key")}

    def issuer(self) -> TokenIssuer:
        return TokenIssuer.from_file(self.root / "token-issuer.key")

    def signer(self, instance: str) -> EnvelopeSigner:
        return EnvelopeSigner(instance, load_signing_key(self.signing_key_file(instance)))

    def verifier(self, prefix: str) -> EnvelopeVerifier:
        return EnvelopeVerifier(load_trust(self.trust_file), prefix)

    def connect_options(self, user: str = "operator") -> dict:
        """``nats.connect(url, **options)`` as ``user`` (operator: stream administration, tests)."""
        return {"nkeys_seed_str": self.user_seed_file(user).read_text().strip()}


def ensure(root: Path | str, config: DistrictConfig, *, prefix: str = "jiuzhu") -> Credentials:
    """Create whatever is missing in ``root`` and (re)write the public trust and auth files.

    ``prefix`` is the bus prefix the permissions are written for; ``*`` (the test harness, where
    every test has its own prefix) allows any first subject token and any stream name.
    """
    from jiuzhu_devstack.nats_auth import render_auth

    root = Path(root)
    creds = Credentials(root, config.district.code)
    instances = {}
    for service, jurisdiction in instances_of(config):
        name = instance_name(service, jurisdiction)
        instances[name] = {"service": service, "jurisdiction": jurisdiction,
                           "signing_key": _signing_key(creds.signing_key_file(name)),
                           "nats_user": nkey_public(_nkey_seed(creds.nats_seed_file(name)))}
    for name in instances:
        creds.database_password(name)
    if not (root / "postgres-password").exists():  # the database superuser's (docker-compose's PostgreSQL)
        import secrets

        _write_secret(root / "postgres-password", secrets.token_urlsafe(24))
    if not (root / "console-session.secret").exists():
        import secrets

        _write_secret(root / "console-session.secret", secrets.token_urlsafe(48))
    users = {u: nkey_public(_nkey_seed(creds.user_seed_file(u))) for u in USERS}
    key_file = root / "token-issuer.key"
    if not key_file.exists():
        pem = Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        _write_secret(key_file, pem.decode().strip())
    public = creds.issuer().public_pem()
    creds.token_public_key_file.write_text(public)
    creds.trust_file.write_text(json.dumps({"district": config.district.code, "instances": instances},
                                           ensure_ascii=False, indent=2) + "\n")
    creds.nats_auth_file.write_text(render_auth(config, instances, users, prefix))
    return creds
