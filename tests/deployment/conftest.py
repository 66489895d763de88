"""Every service's HTTP application, built by its own composition root and never started: what
the API documentation needs is neither the database nor the bus."""

from __future__ import annotations

import importlib

import pytest

from jiuzhu_contracts.producers import DISTRICT_SERVICES, SERVICES
from jiuzhu_devstack.credentials import ensure, instance_name
from jiuzhu_devstack.testing import URHO_CONFIG
from jiuzhu_kernel.district_config import load_district_config
from jiuzhu_runtime.settings import ServiceSettings

CONFIG = load_district_config(URHO_CONFIG)


@pytest.fixture(scope="session")
def apps(kits):
    return {service: kit.app() for service, kit in kits.items()}


@pytest.fixture(scope="session")
def kits(tmp_path_factory):
    """Every service as its composition root builds it (its ServiceKit), never started."""
    credentials = ensure(tmp_path_factory.mktemp("credentials"), CONFIG)
    built = {}
    for service in SERVICES:
        jurisdiction = None if service in DISTRICT_SERVICES else CONFIG.jurisdictions[0].code
        identity = {k[3:].lower(): v for k, v in credentials.service_env(instance_name(service, jurisdiction)).items()}
        settings = ServiceSettings(service=service, district_config=URHO_CONFIG, jurisdiction=jurisdiction,
                                   database_url="postgresql+asyncpg://nobody@127.0.0.1:9/none", **identity)
        build = importlib.import_module(f"jiuzhu_{service}.bootstrap").build
        built[service] = build(settings)
    return built
