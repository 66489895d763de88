"""pytest plugin: real NATS JetStream and real PostgreSQL for every test run.

Order of preference (issue 2): ``NATS_URL`` / ``DATABASE_URL`` when set; testcontainers when a
Docker engine answers; otherwise the embedded servers. Each run gets its own bus prefix (so its
own streams) and its own databases, so runs never see each other's data.
"""

from __future__ import annotations

import itertools
import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from jiuzhu_devstack.stack import database_url_for
from jiuzhu_runtime.settings import nats_servers


@dataclass
class Infrastructure:
    nats_url: str
    database_url: str  # server-level URL (database "postgres")
    run_id: str
    source: str
    credentials: object  # jiuzhu_devstack.credentials.Credentials of the Urho district
    nats: object | None = None  # EmbeddedNats when embedded, for fault tests
    postgres: object | None = None
    # True when the NATS server runs with the generated users and permissions (embedded or
    # testcontainers); a server given by NATS_URL is the operator's, whatever its settings.
    nats_secured: bool = True

    @property
    def bus_prefix(self) -> str:
        return f"t{self.run_id}"

    def new_prefix(self) -> str:
        """A bus prefix (so streams) of one test alone: unique within the run by construction (two
        random hex digits collided now and then, and a test read another's dead letters)."""
        return f"{self.bus_prefix}{next(_prefixes):05x}"

    async def connect(self, user: str = "operator", **options):
        """A NATS connection as one of the district's users (operator by default)."""
        import nats

        return await nats.connect(nats_servers(self.nats_url), **self.credentials.connect_options(user), **options)

    def database(self, name: str) -> str:
        return database_url_for(self.database_url, f"{self.run_id}_{name}_{next(_counter)}")


_counter = itertools.count()
_prefixes = itertools.count(1)


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def infrastructure(tmp_path_factory: pytest.TempPathFactory):
    from jiuzhu_devstack.credentials import ensure
    from jiuzhu_kernel.district_config import load_district_config

    run_id = secrets.token_hex(3)
    nats_url, database_url = os.environ.get("NATS_URL"), os.environ.get("DATABASE_URL")
    secured = not nats_url
    # Every test has its own bus prefix, so the permissions are written for any prefix ("*"); event
    # types, jurisdictions and consumer names are as exact as in production.
    credentials = ensure(tmp_path_factory.mktemp("credentials"), load_district_config(URHO_CONFIG), prefix="*")
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
            from jiuzhu_devstack.embedded_nats import server_config

            conf_dir = tmp_path_factory.mktemp("nats-conf")
            (conf_dir / "nats.conf").write_text(server_config(4222, Path("/data"), credentials.nats_auth_file,
                                                              host="0.0.0.0"))
            container = (DockerContainer("nats:2.12").with_volume_mapping(str(conf_dir), "/etc/jz", "ro")
                         .with_command("-c /etc/jz/nats.conf").with_exposed_ports(4222).start())
            cleanups.append(container.stop)
            nats_url = f"nats://{container.get_container_host_ip()}:{container.get_exposed_port(4222)}"
    if not nats_url:
        from jiuzhu_devstack.embedded_nats import EmbeddedNats

        source = "embedded"
        nats = EmbeddedNats(tmp_path_factory.mktemp("nats"), auth_file=credentials.nats_auth_file).start()
        # Killed, not stopped: its store is thrown away, and a graceful stop of a run's thousands of
        # streams took longer than the 15 s it is given (then it was killed anyway).
        cleanups.append(lambda: nats.stop(hard=True))
        nats_url = nats.url
    if not database_url:
        from jiuzhu_devstack.embedded_postgres import EmbeddedPostgres

        source = "embedded"
        base = Path(os.environ.get("JZ_TEST_PGDIR", "/tmp")) / f"jiuzhu-test-pg-{run_id}"
        # Removed after the run (cleanups run in reverse: the server stops first): a run leaves
        # up to 2 GB of data behind otherwise, and a developer's disk fills within days.
        cleanups.append(lambda: _remove_in_background(base))
        postgres = EmbeddedPostgres(base).start()
        # Immediate: its files are removed next, so the shutdown checkpoint of a run's ~2 GB (30-odd
        # seconds at the end of every suite run) would write what is thrown away.
        cleanups.append(lambda: postgres.stop("immediate"))
        database_url = postgres.url
    yield Infrastructure(nats_url, database_url, run_id, source, credentials, nats, postgres, secured)
    for cleanup in reversed(cleanups):
        cleanup()


def _remove_in_background(path: Path) -> None:
    """``rm -rf path`` in a process of its own that outlives the test run: removing a whole run's
    PostgreSQL files took some 14 s, at the end of every run, for nothing the run waits on."""
    subprocess.Popen(["rm", "-rf", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)


# --- service tests: one service in-process on real PostgreSQL and JetStream ------------------

URHO_CONFIG = Path(__file__).resolve().parents[4] / "config" / "urho.toml"


class RunningService:
    """A service built by its own composition root, started, with an HTTP client on its app."""

    def __init__(self, kit, client, js, prefix: str, credentials):
        self.kit, self.client, self.js, self.prefix, self.credentials = kit, client, js, prefix, credentials

    def token(self, *roles: str, jurisdiction: str | None = None, who: str = "u1", name: str = "测试员") -> dict:
        jur = jurisdiction or (self.kit.jurisdiction.code if self.kit.jurisdiction else self.kit.district)
        return {"Authorization": "Bearer " + self.credentials.issuer().mint(
            sub=who, name=name, roles=roles, jurisdiction=jur, district=self.kit.district)}

    async def drain_outbox(self, timeout: float = 10.0) -> None:
        import asyncio
        import time

        deadline = time.monotonic() + timeout
        while await self.kit.relay.pending():
            if time.monotonic() > deadline:
                raise AssertionError("outbox not drained")
            self.kit.relay.wake.set()
            await asyncio.sleep(0.02)

    async def published(self, event_type: str = "*") -> list:
        """Every envelope of ``event_type`` on this test's stream, in order."""
        await self.drain_outbox()
        return await read_published(self.js, self.prefix, event_type)

    async def publish(self, envelope, *, signed_by: str | None = None) -> None:
        """Put an event on the bus as another service would: signed by an instance of its producer
        for the envelope's jurisdiction (or by ``signed_by``)."""
        from jiuzhu_contracts import encode
        from jiuzhu_contracts.subjects import event_subject, events_stream

        subject = event_subject(envelope.district, envelope.jurisdiction, envelope.event_type, self.prefix)
        body = encode(envelope)
        signer = self.credentials.signer(signed_by or producer_instance(envelope))
        await self.js.publish(subject, body, headers={"Nats-Msg-Id": envelope.event_id,
                                                      **signer.headers(subject, body)},
                              stream=events_stream(self.prefix))


    async def publish_bytes(self, subject: str, body: bytes, *, signed_by: str, msg_id: str | None = None) -> None:
        """Put exact bytes on the bus, genuinely signed by ``signed_by`` (e.g. what a producer with
        a bug would send); the message passes the signature check and meets the contract check."""
        from jiuzhu_contracts.subjects import events_stream

        headers = self.credentials.signer(signed_by).headers(subject, body) | ({"Nats-Msg-Id": msg_id} if msg_id else {})
        await self.js.publish(subject, body, headers=headers, stream=events_stream(self.prefix))


def producer_instance(envelope) -> str:
    """The instance that may say ``envelope`` happened (jiuzhu_contracts.producers)."""
    from jiuzhu_contracts.producers import is_district_service, producer_of

    service = producer_of(envelope.event_type)
    return service if is_district_service(service) else f"{service}-{envelope.jurisdiction}"


@pytest.fixture
def service_runner(infrastructure):
    """``async with service_runner(build, "intake", "650205001") as svc`` — fresh DB and streams."""
    import asyncio
    import contextlib
    import datetime as dt

    import httpx

    from jiuzhu_runtime import migrate
    from jiuzhu_runtime.streams import provision
    from jiuzhu_kernel.clock import FixedClock
    from jiuzhu_runtime.settings import ServiceSettings

    @contextlib.asynccontextmanager
    async def run(build, service: str, jurisdiction: str | None = None, *, today: dt.datetime | None = None,
                  prefix: str | None = None, **settings):
        prefix = prefix or infrastructure.new_prefix()
        from jiuzhu_devstack.credentials import instance_name

        instance = instance_name(service, jurisdiction)
        identity = {k[3:].lower(): v for k, v in infrastructure.credentials.service_env(instance).items()}
        config = ServiceSettings(service=service, district_config=URHO_CONFIG, jurisdiction=jurisdiction,
                                 database_url=settings.pop("database_url", None) or infrastructure.database(service),
                                 nats_url=infrastructure.nats_url, bus_prefix=prefix, **identity, **settings)
        from zoneinfo import ZoneInfo

        clock = FixedClock(today or dt.datetime(2022, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
        nc = await infrastructure.connect()  # the operator: streams, and events "from another service"
        # idempotent: a test may have provisioned them already; this instance's consumers too
        from jiuzhu_contracts.consumers import instance_consumers
        from jiuzhu_kernel.district_config import load_district_config

        district = load_district_config(URHO_CONFIG)
        await provision(nc.jetstream(), prefix, consumers=instance_consumers(
            service, jurisdiction, district.district.code, [j.code for j in district.jurisdictions], prefix))
        kit = build(config, clock=clock)
        await asyncio.to_thread(migrate.upgrade, config.database_url, kit.migrations_dir)
        app = kit.app()
        await kit.start()
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://svc") as client:
                yield RunningService(kit, client, nc.jetstream(), prefix, infrastructure.credentials)
        finally:
            try:
                await asyncio.wait_for(nc.close(), 10)
            except Exception:
                pass
            await asyncio.wait_for(kit.stop(), 90)

    return run


def _api_routes(routes):
    """Every APIRoute, also inside routers that FastAPI ≥ 0.16x includes lazily (no prefixes used)."""
    from fastapi.routing import APIRoute

    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _api_routes(route.original_router.routes)


def access_rules(app):
    """(method, path, Authorize) for every route that declares its callers."""
    from jiuzhu_runtime.auth import Authorize

    for route in _api_routes(app.routes):
        if "public" in (route.tags or []):
            continue  # public pages (no login) are declared public by their tag
        rules = [d.call for d in route.dependant.dependencies if isinstance(d.call, Authorize)]
        for method in route.methods:
            yield method, route.path, (rules[0] if rules else None)


async def walk_access_matrix(svc: RunningService, other_jurisdiction: str) -> int:
    """Every route refuses every role it does not name, at either level, and any role from another
    jurisdiction, with a 403 that says why. Returns how many calls were checked."""
    from jiuzhu_contracts.base import Role

    checked = 0
    app = svc.client._transport.app
    for method, path, rule in access_rules(app):
        if path in ("/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"):
            continue
        assert rule is not None, f"{method} {path} does not declare who may call it"
        url = path.replace("{", "").replace("}", "")  # any id: authorisation comes before lookup
        calls = []
        # A jurisdiction-level caller: this service's own jurisdiction, or any for a district service.
        own = svc.kit.jurisdiction.code if svc.kit.jurisdiction else other_jurisdiction
        for role in Role:
            if role not in rule.roles:
                calls.append(svc.token(role.value, jurisdiction=own))
            if role not in rule.district_roles:
                calls.append(svc.token(role.value, jurisdiction=svc.kit.district))
        if svc.kit.jurisdiction is not None:
            for role in rule.roles:
                calls.append(svc.token(role.value, jurisdiction=other_jurisdiction))
        for headers in calls:
            response = await svc.client.request(method, url, headers=headers, json={})
            assert response.status_code == 403, (method, path, headers, response.status_code, response.text)
            assert "may not" in response.text or "serves jurisdiction" in response.text
            checked += 1
    return checked


async def eventually(check, timeout: float = 15.0, every: float = 0.05):
    """Poll an async or sync predicate until it returns something truthy (wall time only)."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(every)


async def read_published(js, prefix: str, event_type: str = "*", *, fetch_timeout: float = 0.3) -> list:
    """Every envelope of ``event_type`` on the events stream of ``prefix``, in order. A read that
    fails — a fetch timing out before it returned all that the stream held — fails the test: it must
    never pass for "nothing was published"."""
    import asyncio

    import nats.errors

    from jiuzhu_contracts import decode
    from jiuzhu_contracts.subjects import events_stream

    subject = f"{prefix}.evt.*.*.{event_type}" if event_type != "*" else f"{prefix}.evt.>"
    sub = await js.pull_subscribe(subject, stream=events_stream(prefix))
    found = []
    try:
        # How many the stream holds for this subject when we start: a fetch that times out
        # before all of them were read is a failed read, not an empty stream.
        expected = (await sub.consumer_info()).num_pending
        while True:
            try:
                msgs = await sub.fetch(256, timeout=fetch_timeout)
            except (nats.errors.TimeoutError, asyncio.TimeoutError):
                if len(found) < expected:
                    raise AssertionError(f"read {len(found)} of the {expected} {event_type} messages on "
                                         "the stream before a fetch timed out") from None
                break  # all of them read, and nothing more; any other failure is the test's failure
            for msg in msgs:
                found.append(decode(msg.data))
                await msg.ack()
    finally:
        await sub.unsubscribe()
    return found
