"""Composition root of the disbursement service: settings are read here, once, and everything is wired."""

from __future__ import annotations

from pathlib import Path

from jiuzhu_runtime.service import ServiceKit
from jiuzhu_runtime.settings import ServiceSettings

MIGRATIONS = Path(__file__).parent / "migrations"


def build(settings: ServiceSettings) -> ServiceKit:
    kit = ServiceKit(settings, MIGRATIONS, title="jiuzhu 资金发放 Disbursement")
    return kit


def main() -> None:
    build(ServiceSettings()).run()
