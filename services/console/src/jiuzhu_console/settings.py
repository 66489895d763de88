"""What the console reads, once, in its composition root (env prefix ``JZ_``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JZ_", extra="ignore")

    district_config: Path = Field(description="Path of the district TOML (see config/urho.toml).")
    http_host: str = "127.0.0.1"
    http_port: int = 8100
    services: dict[str, str] = Field(description=(
        'Base URL of every service instance: {"intake/650205001": "http://…", "oversight": "http://…"} '
        "(JSON). The console reaches the services only through these public APIs."))
    # Sessions: a signed cookie (HttpOnly, SameSite=Lax; Secure when served over HTTPS).
    session_secret_file: Path = Field(description="Secret that signs the session and CSRF cookies.")
    session_hours: float = Field(10, gt=0, le=12, description="A session ends after this; sign in again.")
    idle_minutes: float = Field(30, gt=0, le=12 * 60, description="Signed out after this long without a page.")
    https_only: bool = Field(False, description="Mark cookies Secure (set it behind HTTPS, as production is).")
    # Sign-in: the province's identity provider (OpenID Connect), or the development directory.
    sign_in: Literal["development", "oidc"] = "development"
    dev_issuer_key_file: Path | None = Field(None, description=(
        "development sign-in only: the development identity provider's private key (./jz up)."))
    oidc_metadata_url: str | None = Field(None, description="…/.well-known/openid-configuration of the province's IdP.")
    oidc_client_id: str | None = None
    oidc_client_secret_file: Path | None = None
    oidc_scope: str = "openid profile"
    # Tokens the console forwards are checked as the services check them (same public key).
    jwt_public_key_file: Path = Field(description="PEM public key of the identity provider that signs staff tokens.")
    jwt_algorithms: str = "EdDSA"
    jwt_issuer: str = "jiuzhu-dev-idp"
    jwt_audience: str = "jiuzhu"
    holiday_file: Path | None = None
    api_timeout_seconds: float = 15.0
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"

    @field_validator("services", mode="before")
    @classmethod
    def _json(cls, value):
        return json.loads(value) if isinstance(value, str) else value
