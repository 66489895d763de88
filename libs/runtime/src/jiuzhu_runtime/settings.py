"""Settings every service reads, once, in its composition root (STYLE 8). Env prefix ``JZ_``."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JZ_", extra="ignore")

    service: str = Field(description="intake | verification | publicity | decision | oversight | disbursement")
    district_config: Path = Field(description="Path of the district TOML (see config/urho.toml).")
    jurisdiction: str | None = Field(None, description="Jurisdiction code; unset for district services.")
    database_url: str = Field(description="postgresql+asyncpg://… of this instance's own database.")
    nats_url: str = "nats://127.0.0.1:4222"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    bus_prefix: str = "jiuzhu"
    # HS256 shared secret for development; in production give an RS256/ES256 public key instead.
    jwt_secret: str | None = None
    jwt_public_key: str | None = None
    jwt_algorithms: str = "HS256"
    clock: Literal["system", "bus"] = Field(
        "system", description="'bus': the business date comes from the NATS KV clock (tests, rehearsals)."
    )
    holiday_file: Path | None = Field(None, description="Operator holiday file for years the calendar lacks.")
    otel_exporter: Literal["none", "otlp", "console", "memory"] = "none"
    otel_endpoint: str | None = None
    log_level: str = "INFO"
    max_deliver: int = Field(5, ge=1, description="Deliveries before a failing event is dead-lettered.")
    ack_wait_seconds: float = 30.0
    relay_batch: int = 200
    migrate_on_start: bool = True
    dedupe_window_seconds: int = Field(600, description="JetStream duplicate window (Nats-Msg-Id).")

    def service_name(self) -> str:
        return f"{self.service}-{self.jurisdiction}" if self.jurisdiction else self.service
