"""The whole district on one machine: every service instance as its own OS process.

Used by ``./jz up`` and by the end-to-end tests, so the tests start the system exactly as the
README does. Jurisdiction services run once per jurisdiction of the district configuration,
district services once; each instance has its own database on the PostgreSQL server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from jiuzhu_contracts.producers import DISTRICT_SERVICES, JURISDICTION_SERVICES, SERVICES  # noqa: F401
from jiuzhu_devstack.credentials import Credentials, instance_name
from jiuzhu_kernel.district_config import DistrictConfig, load_district_config
from jiuzhu_runtime.settings import nats_servers


def database_url_for(server_url: str, database: str) -> str:
    parts = urlsplit(server_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    return urlunsplit(parts._replace(path=f"/{database}"))


@dataclass
class Instance:
    service: str
    jurisdiction: str | None
    slug: str
    port: int
    database: str
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def name(self) -> str:
        return f"{self.service}-{self.slug}" if self.jurisdiction else self.service

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Stack:
    def __init__(self, config_path: Path, *, nats_url: str, database_url: str, credentials: Credentials,
                 log_dir: Path, port_base: int = 8100, clock: str = "system", bus_prefix: str = "jiuzhu",
                 database_prefix: str = "jz", extra_env: dict[str, str] | None = None, with_console: bool = True,
                 nats_replicas: int = 1, ack_wait_seconds: float | None = None):
        """``nats_url``: one server, or every server of a JetStream cluster comma-separated, with
        ``nats_replicas=3`` so that the operator provisions the streams with three replicas.
        ``ack_wait_seconds``: how long a delivered event may stay unacknowledged before the server
        delivers it again (default: ``JZ_ACK_WAIT_SECONDS`` or 30), provisioned on every consumer and
        given to every service, so that the two agree."""
        self.config_path = Path(config_path).resolve()
        self.config: DistrictConfig = load_district_config(self.config_path)
        self.nats_url, self.database_url, self.credentials = nats_url, database_url, credentials
        self.log_dir = Path(log_dir)
        self.clock, self.bus_prefix, self.database_prefix = clock, bus_prefix, database_prefix
        self.extra_env = extra_env or {}
        self.nats_replicas = nats_replicas
        self.ack_wait_seconds = (ack_wait_seconds if ack_wait_seconds is not None
                                 else float(os.environ.get("JZ_ACK_WAIT_SECONDS", 30)))
        self.instances = self._plan(port_base)
        # The staff console: no database and no bus of its own, only the services' HTTP APIs.
        self.console = self._plan_console(port_base) if with_console else None

    def _plan(self, port_base: int) -> list[Instance]:
        planned = [Instance(s, None, s, port_base + i, f"{self.database_prefix}_{s}")
                   for i, s in enumerate(DISTRICT_SERVICES)]
        for j, jur in enumerate(self.config.jurisdictions):
            for i, s in enumerate(JURISDICTION_SERVICES):
                planned.append(Instance(s, jur.code, jur.slug, port_base + 10 * (j + 1) + i,
                                        f"{self.database_prefix}_{s}_{jur.slug}"))
        for inst in planned:
            inst.env = {
                "JZ_SERVICE": inst.service,
                "JZ_DISTRICT_CONFIG": str(self.config_path),
                "JZ_DATABASE_URL": database_url_for(self.database_url, inst.database),
                "JZ_NATS_URL": self.nats_url,
                "JZ_HTTP_PORT": str(inst.port),
                **self.credentials.service_env(instance_name(inst.service, inst.jurisdiction)),
                "JZ_BUS_PREFIX": self.bus_prefix,
                "JZ_CLOCK": self.clock,
                "JZ_ACK_WAIT_SECONDS": f"{self.ack_wait_seconds:g}",
                **({"JZ_JURISDICTION": inst.jurisdiction} if inst.jurisdiction else {}),
                **self.extra_env,
            }
        return planned

    def _plan_console(self, port_base: int) -> Instance:
        import json

        console = Instance("console", None, "console", port_base + 9, "")
        services = {(f"{i.service}/{i.jurisdiction}" if i.jurisdiction else i.service): i.url for i in self.instances}
        console.env = {
            "JZ_DISTRICT_CONFIG": str(self.config_path), "JZ_HTTP_PORT": str(console.port),
            "JZ_SERVICES": json.dumps(services), **self.credentials.console_env(),
            **{k: v for k, v in self.extra_env.items() if k.startswith("JZ_LOG")},
        }
        return console

    @property
    def processes(self) -> list[Instance]:
        """Every process ``./jz up`` runs and supervises: the services, then the console."""
        return self.instances + ([self.console] if self.console else [])

    def instance(self, service: str, jurisdiction: str | None = None) -> Instance:
        for inst in self.instances:
            if inst.service == service and inst.jurisdiction == jurisdiction:
                return inst
        raise KeyError((service, jurisdiction))

    def start_instance(self, inst: Instance) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{inst.name}.log", "ab")
        env = {k: v for k, v in os.environ.items() if not k.startswith("JZ_")} | inst.env
        inst.process = subprocess.Popen([sys.executable, "-m", f"jiuzhu_{inst.service}"], env=env,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def start(self, timeout: float = 180, on_healthy=None) -> None:
        from jiuzhu_devstack.ports import port_is_free

        busy = [f"{i.name} ({i.port})" for i in self.processes if not port_is_free(i.port)]
        if busy:
            raise RuntimeError(f"ports already in use — is another jiuzhu running? {', '.join(busy)}")
        self.provision()
        for inst in self.instances:
            self.start_instance(inst)
        self.wait_healthy(timeout, on_healthy=on_healthy)
        self.start_check_centre_simulator()
        if self.console:
            self.start_instance(self.console)
            self.wait_healthy(timeout, [self.console], on_healthy=on_healthy)

    def provision(self) -> None:
        """The operator's part before any service starts: streams, the clock bucket, every service's
        durable consumers, and each service's database with a role of its own."""
        import asyncio

        import nats

        from jiuzhu_devstack import databases

        from jiuzhu_contracts.consumers import district_consumers
        from jiuzhu_runtime.streams import provision

        consumers = district_consumers(self.config.district.code, [j.code for j in self.config.jurisdictions],
                                       self.bus_prefix)

        async def run() -> None:
            nc = await nats.connect(nats_servers(self.nats_url), **self.credentials.connect_options("operator"))
            try:
                await provision(nc.jetstream(), self.bus_prefix, replicas=self.nats_replicas, consumers=consumers,
                                ack_wait_seconds=self.ack_wait_seconds)
            finally:
                await nc.close()
            for inst in self.instances:  # each service's own role, owning only its own database
                name = instance_name(inst.service, inst.jurisdiction)
                inst.env["JZ_DATABASE_URL"] = await databases.provision(
                    self.database_url, inst.database, inst.database, self.credentials.database_password(name))

        try:
            asyncio.get_running_loop()
        except RuntimeError:  # called from plain code (./jz up, the test fixtures)
            asyncio.run(run())
            return
        import concurrent.futures  # called from a coroutine (the benchmark): its own loop, in a thread

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, run()).result()

    def start_check_centre_simulator(self) -> None:
        """The external check centre's stand-in (jiuzhu_verification.check_centre_simulator). It
        connects to NATS as the ``check-centre`` user and gets its API tokens from the development
        identity provider, fresh whenever one expires (as a real centre would by client credentials)."""
        import json

        data = self.config_path.parent / "check-centre-sample.json"
        urls = {i.jurisdiction: i.url for i in self.instances if i.service == "verification"}
        env = {k: v for k, v in os.environ.items() if not k.startswith("JZ_")} | {
            "JZ_NATS_URL": self.nats_url, "JZ_BUS_PREFIX": self.bus_prefix, "JZ_SIM_DATA": str(data),
            "JZ_SIM_VERIFICATION_URLS": json.dumps(urls), "JZ_SIM_DISTRICT": self.config.district.code,
            "JZ_SIM_NATS_NKEY_FILE": str(self.credentials.user_seed_file("check-centre")),
            "JZ_SIM_ISSUER_KEY_FILE": str(self.credentials.root / "token-issuer.key"),
            "JZ_SIM_TRUST_FILE": str(self.credentials.trust_file)}
        log = open(self.log_dir / "check-centre-simulator.log", "ab")
        self.simulator = subprocess.Popen([sys.executable, "-m", "jiuzhu_verification.check_centre_simulator"],
                                          env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, timeout: float = 180, instances: list[Instance] | None = None, on_healthy=None) -> None:
        """Until every instance answers 200 on /health; ``on_healthy(instance, seconds)`` as each does."""
        waiting = list(instances or self.instances)
        started = time.monotonic()
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2) as client:
            while waiting and time.monotonic() < deadline:
                for inst in list(waiting):
                    if inst.process and inst.process.poll() is not None:
                        raise RuntimeError(f"{inst.name} exited with {inst.process.returncode}; "
                                           f"see {self.log_dir / (inst.name + '.log')}")
                    try:
                        if client.get(f"{inst.url}/health").status_code == 200:
                            waiting.remove(inst)
                            if on_healthy:
                                on_healthy(inst, time.monotonic() - started)
                    except httpx.HTTPError:
                        pass
                time.sleep(0.3)
        if waiting:
            raise RuntimeError(f"not healthy after {timeout:.0f}s: {[i.name for i in waiting]}")

    def exited(self) -> list[Instance]:
        """Instances whose process has ended (crashed, or killed from outside)."""
        return [i for i in self.processes if i.process is not None and i.process.poll() is not None]

    def kill(self, inst: Instance, sig: int = signal.SIGKILL) -> None:
        if inst.process and inst.process.poll() is None:
            inst.process.send_signal(sig)
            inst.process.wait(30)

    def stop(self) -> None:
        simulator = getattr(self, "simulator", None)
        if simulator and simulator.poll() is None:
            simulator.terminate()
            simulator.wait(10)
        for inst in reversed(self.processes):  # the console first: no page calls a stopped service
            if inst.process and inst.process.poll() is None:
                inst.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for inst in self.processes:
            if inst.process:
                try:
                    inst.process.wait(max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    inst.process.kill()
                    inst.process.wait()
