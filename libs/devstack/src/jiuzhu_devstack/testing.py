"""pytest plugin: real NATS JetStream and real PostgreSQL for every test run.

Order of preference (issue 2): ``NATS_URL`` / ``DATABASE_URL`` when set; testcontainers when a
Docker engine answers; otherwise the embedded servers. Each run gets its own bus prefix (so its
own streams) and its own databases, so runs never see each other's data.
"""

from __future__ import annotations

import itertools
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytest

from jiuzhu_devstack.stack import database_url_for


@dataclass
class Infrastructure:
    nats_url: str
    database_url: str  # server-level URL (database "postgres")
    run_id: str
    source: str
    nats: object | None = None  # EmbeddedNats when embedded, for fault tests
    postgres: object | None = None

    @property
    def bus_prefix(self) -> str:
        return f"t{self.run_id}"

    def database(self, name: str) -> str:
        return database_url_for(self.database_url, f"{self.run_id}_{name}_{next(_counter)}")


_counter = itertools.count()


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def infrastructure(tmp_path_factory: pytest.TempPathFactory):
    run_id = secrets.token_hex(3)
    nats_url, database_url = os.environ.get("NATS_URL"), os.environ.get("DATABASE_URL")
    cleanups = []
    nats = postgres = None
    source = "environment"
    if not (nats_url and database_url) and _docker_answers():
        from testcontainers.core.container import DockerContainer
        from testcontainers.postgres import PostgresContainer

        source = "testcontainers"
        if not database_url:
            pg = PostgresContainer("postgres:16", driver=None).start()
            cleanups.append(pg.stop)
            database_url = pg.get_connection_url().rsplit("/", 1)[0] + "/postgres"
        if not nats_url:
            container = DockerContainer("nats:2.12").with_command("-js").with_exposed_ports(4222).start()
            cleanups.append(container.stop)
            nats_url = f"nats://{container.get_container_host_ip()}:{container.get_exposed_port(4222)}"
    if not nats_url:
        from jiuzhu_devstack.embedded_nats import EmbeddedNats

        source = "embedded"
        nats = EmbeddedNats(tmp_path_factory.mktemp("nats")).start()
        cleanups.append(nats.stop)
        nats_url = nats.url
    if not database_url:
        from jiuzhu_devstack.embedded_postgres import EmbeddedPostgres

        source = "embedded"
        base = Path(os.environ.get("JZ_TEST_PGDIR", "/tmp")) / f"jiuzhu-test-pg-{run_id}"
        postgres = EmbeddedPostgres(base).start()
        cleanups.append(postgres.stop)
        database_url = postgres.url
    yield Infrastructure(nats_url, database_url, run_id, source, nats, postgres)
    for cleanup in reversed(cleanups):
        cleanup()
