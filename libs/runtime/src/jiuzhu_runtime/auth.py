"""Bearer-JWT authentication and per-endpoint authorisation.

A token carries the person's id (``sub``), display name (``name``), roles (``roles``), the
jurisdiction they act for (``jur``; district staff carry the district code) and the district
(``dst``). Every endpoint declares which roles may call it from its own jurisdiction and which
from the district; anything else is a 403 that says why — in Chinese for the staff and in English
for the integrator (``"中文 / English"``) — with the rule it rests on (``rule``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass

import jwt
from fastapi import HTTPException, Request, status

from jiuzhu_contracts.base import ROLE_TITLES, Role
from jiuzhu_contracts.envelope import Actor
from jiuzhu_kernel.refusal import DomainRefusal

# The rules a refusal at the door rests on (the district's work plan of 2022-01-25, section 四).
ONE_DISTRICT = "一区一套：令牌须由本区签发"
OWN_JURISDICTION = "乌尔禾区工作方案 四(二): 街道（乡镇）办理本辖区的社会救助"
DUTIES = "乌尔禾区工作方案 四 职责分工"


def _titles(roles: Iterable[Role | str]) -> str:
    return "、".join(ROLE_TITLES.get(r, str(r)) for r in sorted(roles)) or "无"


@dataclass(frozen=True)
class Principal:
    id: str
    name: str
    roles: frozenset[Role]
    jurisdiction: str
    district: str

    def actor(self, role: Role) -> Actor:
        return Actor(id=self.id, role=role, name=self.name)


ISSUER = "jiuzhu-dev-idp"  # the development identity provider (``./jz token``); production: the province's
AUDIENCE = "jiuzhu"
ASYMMETRIC = frozenset({"EdDSA", "RS256", "RS384", "RS512", "ES256", "ES384", "PS256"})


class TokenVerifier:
    """Staff tokens are signed by the identity provider; a service holds only its public key.

    A shared secret (HS256) is refused: any service holding it could mint any role anywhere.
    ``iss`` and ``aud`` must be this district's; a token may live at most ``max_lifetime``
    (``exp - iat``), so a token minted for fifty years is refused even if its signature is good.
    """

    def __init__(self, *, public_key: str, algorithms: Iterable[str] = ("EdDSA",), issuer: str = ISSUER,
                 audience: str = AUDIENCE, max_lifetime: dt.timedelta = dt.timedelta(hours=12)):
        algorithms = list(algorithms)
        weak = set(algorithms) - ASYMMETRIC
        if weak:
            raise ValueError(f"token algorithms {sorted(weak)} are not asymmetric; use EdDSA, RS256 or ES256")
        if not public_key:
            raise ValueError("set JZ_JWT_PUBLIC_KEY_FILE: the identity provider's public key")
        self._key, self._algorithms = public_key, algorithms
        self._issuer, self._audience, self._max_lifetime = issuer, audience, max_lifetime
        self._verified: dict[str, tuple[Principal, float]] = {}  # token → (whose, its expiry)

    REMEMBERED = 4096  # tokens whose verification is remembered (the oldest forgotten first)

    def verify(self, token: str) -> Principal:
        """The token's principal. A token verified before is not verified again until it expires:
        the same staff member's token comes with every request, and its signature and claims cost
        more CPU than many of the requests it comes with (issue 14's profile). Nothing a later check
        could find changes meanwhile: the signature, issuer, audience and lifetime are the token's
        own, and its expiry is checked at every use."""
        known = self._verified.get(token)
        if known is not None and time.time() < known[1]:
            return known[0]
        principal, expires = self._verify(token)
        if len(self._verified) >= self.REMEMBERED:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = (principal, expires)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        try:
            claims = jwt.decode(token, self._key, algorithms=self._algorithms, issuer=self._issuer,
                                audience=self._audience,
                                options={"require": ["sub", "exp", "iat", "iss", "aud", "roles", "jur", "dst"]})
            lifetime = int(claims["exp"]) - int(claims["iat"])
            if lifetime > self._max_lifetime.total_seconds():
                raise ValueError(f"token lifetime {lifetime // 3600} h exceeds the maximum of "
                                 f"{int(self._max_lifetime.total_seconds()) // 3600} h")
            roles = frozenset(Role(r) for r in claims["roles"])
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"invalid token: {exc}",
                                headers={"WWW-Authenticate": "Bearer"}) from None
        return Principal(id=str(claims["sub"]), name=str(claims.get("name", claims["sub"])), roles=roles,
                         jurisdiction=str(claims["jur"]), district=str(claims["dst"])), float(claims["exp"])


class TokenIssuer:
    """The development identity provider (``./jz token``, the test harness, the check-centre
    simulator): an Ed25519 key pair. Production tokens come from the province's identity provider."""

    def __init__(self, private_pem: str, issuer: str = ISSUER, audience: str = AUDIENCE):
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        self._key = load_pem_private_key(private_pem.encode(), password=None)
        self.issuer, self.audience = issuer, audience

    @classmethod
    def from_file(cls, path) -> "TokenIssuer":
        from pathlib import Path

        return cls(Path(path).read_text())

    def public_pem(self) -> str:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        return self._key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()

    def mint(self, *, sub: str, name: str, roles: Iterable[Role | str], jurisdiction: str, district: str,
             ttl: dt.timedelta = dt.timedelta(hours=12), now: dt.datetime | None = None) -> str:
        now = now or dt.datetime.now(dt.UTC)
        return jwt.encode({"sub": sub, "name": name, "roles": [Role(r).value for r in roles], "jur": jurisdiction,
                           "dst": district, "iss": self.issuer, "aud": self.audience, "iat": now, "exp": now + ttl},
                          self._key, algorithm="EdDSA")


@dataclass(frozen=True)
class Authorize:
    """FastAPI dependency: ``Depends(Authorize(...))``, or via ``AccessPolicy.allow``.

    ``roles``: roles that may call from this service's own jurisdiction.
    ``district_roles``: roles that may call with a district-level token (``jur`` = district code).
    """

    roles: frozenset[Role]
    district_roles: frozenset[Role]
    verifier: TokenVerifier
    district: str
    jurisdiction: str | None  # None for district services

    async def __call__(self, request: Request) -> Principal:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a bearer token is required",
                                headers={"WWW-Authenticate": "Bearer"})
        who = self.verifier.verify(token)
        if who.district != self.district:
            raise DomainRefusal(f"本服务属于区（县）{self.district}，令牌由 {who.district} 签发 / "
                                f"this service belongs to district {self.district}; the token is for {who.district}",
                                rule=ONE_DISTRICT, status=403)
        at_district = who.jurisdiction == self.district
        allowed = self.district_roles if at_district else self.roles
        if self.jurisdiction is not None and not at_district and who.jurisdiction != self.jurisdiction:
            raise DomainRefusal(f"本服务只办理街道（乡镇）{self.jurisdiction} 的事项，登录人属于 {who.jurisdiction} / "
                                f"this service serves jurisdiction {self.jurisdiction}; "
                                f"the token acts for jurisdiction {who.jurisdiction}", rule=OWN_JURISDICTION, status=403)
        if not (who.roles & allowed):
            where, level = ("district", "区级") if at_district else ("jurisdiction", "街道（乡镇）级")
            need = ", ".join(sorted(allowed)) or "nobody at this level"
            raise DomainRefusal(f"{level}的{_titles(who.roles)}不能办理此事项；可办理的：{_titles(allowed)} / "
                                f"role(s) {', '.join(sorted(who.roles))} at {where} level may not do this; "
                                f"allowed: {need}", rule=DUTIES, status=403)
        return who


@dataclass(frozen=True)
class AccessPolicy:
    """Built once in the composition root; routes ask it for their dependency."""

    verifier: TokenVerifier
    district: str
    jurisdiction: str | None

    def allow(self, *roles: Role, district: Iterable[Role] = ()) -> Authorize:
        return Authorize(frozenset(roles), frozenset(district), self.verifier, self.district, self.jurisdiction)
