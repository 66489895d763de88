"""The deployment description is kept consistent with the code."""

import json
from pathlib import Path

import yaml

from jiuzhu_devstack.compose import COMPOSE, render
from jiuzhu_devstack.stack import SERVICES
from jiuzhu_console.settings import ConsoleSettings
from jiuzhu_runtime.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_is_generated_from_the_current_configuration():
    assert COMPOSE.read_text(encoding="utf-8") == render(), (
        "docker-compose.yml is stale: uv run python -m jiuzhu_devstack.compose --write")


def test_compose_lists_exactly_the_services_that_exist_with_settings_that_exist():
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    on_disk = {p.name for p in (ROOT / "services").iterdir() if (p / "pyproject.toml").exists()} - {"console"}
    assert on_disk == set(SERVICES)
    in_compose = {spec["environment"]["JZ_SERVICE"] for spec in compose.values() if "environment" in spec
                  and "JZ_SERVICE" in spec["environment"]}
    assert in_compose == on_disk
    known = {f"JZ_{name.upper()}" for name in ServiceSettings.model_fields}
    console = {f"JZ_{name.upper()}" for name in ConsoleSettings.model_fields}
    for name, spec in compose.items():
        unknown = {k for k in spec.get("environment", {}) if k.startswith("JZ_")} - (console if name == "console" else known)
        assert not unknown, f"{name} sets {unknown}, which no setting reads"
        if "build" in spec:
            assert (ROOT / spec["build"]["dockerfile"]).exists()
    assert {"nats", "postgres", "jaeger", "console"} <= set(compose)
    services = json.loads(compose["console"]["environment"]["JZ_SERVICES"])
    assert {url.split("//")[1].split(":")[0] for url in services.values()} == set(compose) - {
        "nats", "postgres", "jaeger", "console"}, "the console must know every service instance by its compose name"


def test_shipped_nats_configurations_fsync_before_acknowledging():
    from jiuzhu_devstack.embedded_nats import server_config

    assert "sync_interval: always" in (ROOT / "deploy" / "nats.conf").read_text()
    assert "sync_interval: always" in server_config(4222, Path("/tmp/x"))


def test_every_service_has_its_package_shape_and_migrations():
    for service in SERVICES:
        package = ROOT / "services" / service / "src" / f"jiuzhu_{service}"
        for part in ("domain", "adapters", "entrypoints", "bootstrap.py", "__main__.py"):
            assert (package / part).exists(), f"{service} lacks {part}"
        assert list((package / "migrations" / "versions").glob("0001_*.py"))
        assert (ROOT / "services" / service / "Dockerfile").exists()
