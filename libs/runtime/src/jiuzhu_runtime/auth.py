"""Bearer-JWT authentication and per-endpoint authorisation.

A token carries the person's id (``sub``), display name (``name``), roles (``roles``), the
jurisdiction they act for (``jur``; district staff carry the district code) and the district
(``dst``). Every endpoint declares which roles may call it from its own jurisdiction and which
from the district; anything else is a 403 that says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import jwt
from fastapi import HTTPException, Request, status

from jiuzhu_contracts.base import Role
from jiuzhu_contracts.envelope import Actor


@dataclass(frozen=True)
class Principal:
    id: str
    name: str
    roles: frozenset[Role]
    jurisdiction: str
    district: str

    def actor(self, role: Role) -> Actor:
        return Actor(id=self.id, role=role, name=self.name)


class TokenVerifier:
    def __init__(self, *, secret: str | None, public_key: str | None, algorithms: Iterable[str]):
        if not (secret or public_key):
            raise ValueError("set JZ_JWT_SECRET (development) or JZ_JWT_PUBLIC_KEY (production)")
        self._key = public_key or secret
        self._algorithms = list(algorithms)

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(token, self._key, algorithms=self._algorithms,
                                options={"require": ["sub", "exp", "roles", "jur", "dst"]})
            roles = frozenset(Role(r) for r in claims["roles"])
        except (jwt.PyJWTError, ValueError) as exc:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, f"invalid token: {exc}",
                                headers={"WWW-Authenticate": "Bearer"}) from None
        return Principal(id=str(claims["sub"]), name=str(claims.get("name", claims["sub"])), roles=roles,
                         jurisdiction=str(claims["jur"]), district=str(claims["dst"]))


def mint_token(secret: str, *, sub: str, name: str, roles: Iterable[Role | str], jurisdiction: str,
               district: str, ttl: dt.timedelta = dt.timedelta(hours=12)) -> str:
    """Development tokens (``./jz token``). Production tokens come from the identity provider."""
    now = dt.datetime.now(dt.UTC)
    return jwt.encode({"sub": sub, "name": name, "roles": [Role(r).value for r in roles], "jur": jurisdiction,
                       "dst": district, "iat": now, "exp": now + ttl}, secret, algorithm="HS256")


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
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"this service belongs to district {self.district}; the token is for {who.district}")
        at_district = who.jurisdiction == self.district
        allowed = self.district_roles if at_district else self.roles
        if self.jurisdiction is not None and not at_district and who.jurisdiction != self.jurisdiction:
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"this service serves jurisdiction {self.jurisdiction}; "
                                f"the token acts for jurisdiction {who.jurisdiction}")
        if not (who.roles & allowed):
            where = "district" if at_district else "jurisdiction"
            need = ", ".join(sorted(allowed)) or "nobody at this level"
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                f"role(s) {', '.join(sorted(who.roles))} at {where} level may not do this; "
                                f"allowed: {need}")
        return who


@dataclass(frozen=True)
class AccessPolicy:
    """Built once in the composition root; routes ask it for their dependency."""

    verifier: TokenVerifier
    district: str
    jurisdiction: str | None

    def allow(self, *roles: Role, district: Iterable[Role] = ()) -> Authorize:
        return Authorize(frozenset(roles), frozenset(district), self.verifier, self.district, self.jurisdiction)
