"""How a person signs in: the province's identity provider by OpenID Connect (production), or a
pick from the district's staff directory (development, ``./jz up``). Either way the console ends
up with a bearer token the services verify themselves; it keeps it in the signed session cookie."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request

from jiuzhu_runtime.auth import TokenIssuer
from jiuzhu_kernel.district_config import DistrictConfig, StaffMember


class SignInFailed(Exception):
    pass


@dataclass
class DevelopmentSignIn:
    """The development identity provider: mints the picked person's token with its own key."""

    config: DistrictConfig
    issuer: TokenIssuer
    session_hours: float
    kind: str = "development"

    @classmethod
    def from_key_file(cls, config: DistrictConfig, key_file: Path, session_hours: float) -> "DevelopmentSignIn":
        return cls(config, TokenIssuer.from_file(key_file), session_hours)

    def directory(self) -> tuple[StaffMember, ...]:
        return self.config.staff

    def token_for(self, staff_id: str) -> str:
        person = next((p for p in self.config.staff if p.id == staff_id), None)
        if person is None:
            raise SignInFailed(f"工作人员名录中没有编号为“{staff_id}”的人员")
        return self.issuer.mint(sub=person.id, name=person.name, roles=person.roles,
                                jurisdiction=person.jurisdiction, district=self.config.district.code,
                                ttl=dt.timedelta(hours=self.session_hours))


class OidcSignIn:
    """The province's identity provider (authlib). Its access token must carry the claims the
    services verify (``sub``, ``name``, ``roles``, ``jur``, ``dst``; docs/console.md)."""

    kind = "oidc"

    def __init__(self, *, metadata_url: str, client_id: str, client_secret: str, scope: str):
        from authlib.integrations.starlette_client import OAuth

        self._oauth = OAuth()
        self._oauth.register("province", server_metadata_url=metadata_url, client_id=client_id,
                             client_secret=client_secret, client_kwargs={"scope": scope})

    async def redirect(self, request: Request, callback_url: str):
        return await self._oauth.province.authorize_redirect(request, callback_url)

    async def token_from_callback(self, request: Request) -> str:
        from authlib.integrations.base_client.errors import OAuthError

        try:
            token = await self._oauth.province.authorize_access_token(request)
        except OAuthError as exc:
            raise SignInFailed(f"统一身份认证未通过：{exc.description or exc.error}") from None
        access = token.get("access_token")
        if not access:
            raise SignInFailed("统一身份认证未返回访问令牌")
        return access
